"""The asyncio Redis client of a store, from its endpoints.yml entry (url/host, port, db, password, use_ssl)."""
from __future__ import annotations

from typing import Any, Optional

from redis.asyncio import Redis

from bot.redis_connection import redis_from_endpoint


def redis_from_options(host: Optional[str], options: dict[str, Any]) -> Redis:
    """A client for `host` (a name or a redis:// / rediss:// URL) with the entry's other options; REDIS_URL or
    REDIS_SENTINELS, when set, decide for every store (bot/redis_connection.py)."""
    return redis_from_endpoint({**options, "url": host or options.get("host") or "127.0.0.1"},
                               socket_timeout=float(options.get("socket_timeout", 5)))
