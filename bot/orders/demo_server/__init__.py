"""The demo order system: a small aiohttp + SQLite shop back end seeded with sample orders (the default back end)."""
from bot.orders.demo_server.app import API_KEY_HEADER, init_app

__all__ = ["API_KEY_HEADER", "init_app"]
