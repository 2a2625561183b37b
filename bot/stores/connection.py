"""The asyncio Redis client of a store, from its endpoints.yml entry (url/host, port, db, password, use_ssl)."""
from __future__ import annotations

from typing import Any, Optional

from redis.asyncio import Redis


def redis_from_options(host: Optional[str], options: dict[str, Any]) -> Redis:
    """A client for `host` (a name or a redis:// / rediss:// URL) with the entry's other options."""
    host = host or options.get("host") or "127.0.0.1"
    timeouts = {"socket_timeout": float(options.get("socket_timeout", 5)), "socket_connect_timeout": 2,
                "health_check_interval": 30}
    if "://" in str(host):
        return Redis.from_url(str(host), **timeouts)
    return Redis(
        host=str(host),
        port=int(options.get("port") or 6379),
        db=int(options.get("db") or 0),
        username=options.get("username") or None,
        password=options.get("password") or None,
        ssl=str(options.get("use_ssl", "false")).lower() == "true",
        **timeouts,
    )
