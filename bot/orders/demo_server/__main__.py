"""`python -m bot.orders.demo_server --port 8090 --db run/orders.db`: serve the demo order system."""
from __future__ import annotations

import argparse
from pathlib import Path

from aiohttp import web

from bot import logging_setup
from bot.orders.demo_server.app import init_app
from bot.profile import load_profile
from bot.settings import Settings


def main() -> None:
    settings = Settings()
    parser = argparse.ArgumentParser(prog="python -m bot.orders.demo_server", description=__doc__)
    parser.add_argument("--host", default=settings.host)
    parser.add_argument("--port", type=int, default=settings.orders_port)
    parser.add_argument("--db", type=Path, default=settings.run_dir / "orders.db")
    parser.add_argument("--return-window-days", type=int,
                        help="days a delivered item may be sent back (default: returns.window_days of business.yml)")
    args = parser.parse_args()
    logging_setup.configure("orders")
    window = args.return_window_days or int(load_profile().data.get("returns", {}).get("window_days", 30))
    app = init_app(args.db, settings.orders_api_key, return_window_days=window)
    web.run_app(app, host=args.host, port=args.port, print=None, access_log=None)


if __name__ == "__main__":
    main()
