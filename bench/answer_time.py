"""How long a customer waits for the bot's answer to "where is my order?", with the order system healthy (the
baseline) and during an outage (down, hanging), side by side against the 5-second target.

    .venv/bin/python -m bench.answer_time [--conversations 20]

Starts its own Redis, demo order system, action server and Rasa on free ports (about a minute), then times the
customer's last message (the e-mail that verifies them and triggers the order lookup) through Rasa's REST channel.
"""
from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from bot.orders.demo_server.seed import SCENARIOS
from bot.services import Stack, free_port
from bot.settings import PROJECT_ROOT, Settings

TARGET_SECONDS = 5.0
MODES = ("healthy", "down", "slow")  # healthy is the baseline


def _post(url: str, body: dict, headers: dict[str, str] | None = None, timeout: float = 60) -> object:
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def _outage(settings: Settings, mode: str) -> None:
    body = {"mode": "off"} if mode == "healthy" else {"mode": mode, "seconds": 600}
    _post(f"{settings.orders_url}/api/admin/outage", body, {"X-Api-Key": settings.orders_api_key})


def _answer_seconds(settings: Settings, order: dict) -> float:
    """Ask for the order, then time the verifying message until the bot's answer arrives."""
    sender, url = f"bench-{uuid.uuid4().hex}", f"{settings.rasa_url}/webhooks/rest/webhook"
    _post(url, {"sender": sender, "message": f"where is my order {order['number']}?"})
    started = time.monotonic()
    replies = _post(url, {"sender": sender, "message": order["email"]})
    elapsed = time.monotonic() - started
    if not replies:
        raise RuntimeError("the bot did not answer")
    return elapsed


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=20, help="per mode")
    args = parser.parse_args(argv)
    run_dir = Path(tempfile.mkdtemp(prefix="bench-answer-"))
    settings = Settings(redis_port=free_port(), redis_db=0, rasa_port=free_port(), action_port=free_port(),
                        desk_port=free_port(), orders_port=free_port(), run_dir=run_dir,
                        model=PROJECT_ROOT / "models/current.tar.gz", rasa_token=secrets.token_urlsafe(16),
                        orders_api_key=secrets.token_urlsafe(16))
    stack = Stack(settings, run_dir / "logs")
    orders = [SCENARIOS[f"shipped_{code}"] for code in ("en", "el", "pl", "sr", "hr", "nb", "da")]
    try:
        print("Starting Redis, the demo order system, the action server and Rasa ...", flush=True)
        stack.start_redis(run_dir / "redis", persist=False)
        stack.start_orders()
        stack.start_actions()
        stack.start_rasa()
        _answer_seconds(settings, orders[0])  # warm-up: first-request costs are not what customers see
        results: dict[str, list[float]] = {}
        for mode in MODES:
            _outage(settings, mode)
            results[mode] = [_answer_seconds(settings, orders[n % len(orders)]) for n in range(args.conversations)]
        _outage(settings, "healthy")
    finally:
        stack.stop()
    baseline = statistics.median(results["healthy"])
    print(f"\nTime to the bot's answer after the verifying message ({args.conversations} conversations per mode)")
    print(f"{'order system':14} {'median s':>9} {'p95 s':>7} {'max s':>7} {'median vs healthy':>18} {'within 5 s':>11}")
    for mode, values in results.items():
        within = sum(value <= TARGET_SECONDS for value in values)
        print(f"{mode:14} {statistics.median(values):9.2f} {_percentile(values, 0.95):7.2f} {max(values):7.2f} "
              f"{statistics.median(values) / baseline:17.1f}x {within:>6}/{len(values)}")
    return 0 if all(max(values) <= TARGET_SECONDS for values in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
