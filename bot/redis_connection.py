"""The one place every process gets its Redis client from: tracker and lock stores, event broker, intake streams,
handoff queue, de-duplication, desk and actions.

Production settings come from the environment (`bot/settings.py`) and win over everything else:
- `REDIS_URL`: `redis://:password@host:6379/0`, or `rediss://...` for TLS;
- `REDIS_SENTINELS` (`host1:26379,host2:26379,...`) with `REDIS_SENTINEL_MASTER` (`mymaster`) and
  `REDIS_PASSWORD`: the client asks the Sentinels where the master is on every new connection, so after a
  failover it follows the new master by itself;
- otherwise `REDIS_HOST`, `REDIS_PORT`, `REDIS_DB` (the local default).
"""
from __future__ import annotations

from typing import Any, Optional

import redis
from redis.asyncio import Redis
from redis.asyncio.sentinel import Sentinel
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.asyncio.retry import Retry
from redis.retry import Retry as SyncRetry

from bot.settings import Settings

CONNECT_TIMEOUT = 2.0
SOCKET_TIMEOUT = 5.0


def sentinel_addresses(value: str) -> list[tuple[str, int]]:
    """`host:port,host:port` (port 26379 when left out)."""
    addresses = []
    for part in value.split(","):
        part = part.strip()
        if part:
            host, _, port = part.rpartition(":") if ":" in part else (part, "", "26379")
            addresses.append((host, int(port or 26379)))
    return addresses


# Stores (tracker, lock, events) ride out a Sentinel failover (a few seconds): Rasa would otherwise keep a turn it
# could not save in memory only. Channels fail fast instead, to answer the customer and keep the message themselves.
STORE_RETRIES = 10


def _options(socket_timeout: Optional[float], retries: int = 2, sync: bool = False) -> dict[str, Any]:
    """Shared client options; `socket_timeout=None` for clients that block on purpose (XREAD BLOCK)."""
    backoff = ExponentialBackoff(cap=1.0, base=0.1) if retries > 2 else ExponentialBackoff(cap=0.5, base=0.05)
    return {
        "socket_connect_timeout": CONNECT_TIMEOUT,
        "socket_timeout": socket_timeout,
        "health_check_interval": 30,
        # A command that meets a dropped connection (a restart, a failover) is tried again on a new one.
        "retry": (SyncRetry if sync else Retry)(backoff, retries),
        "retry_on_error": [RedisConnectionError, RedisTimeoutError],
    }


def redis_client(settings: Optional[Settings] = None, *, db: Optional[int] = None,
                 socket_timeout: Optional[float] = SOCKET_TIMEOUT, retries: int = 2) -> Redis:
    """An asyncio client for the configured Redis (URL, Sentinels or host/port)."""
    s = settings or Settings()
    options = _options(socket_timeout, retries)
    if s.redis_sentinels:
        sentinel = Sentinel(sentinel_addresses(s.redis_sentinels),
                            sentinel_kwargs={"socket_connect_timeout": CONNECT_TIMEOUT,
                                             "socket_timeout": CONNECT_TIMEOUT},
                            **options)
        return sentinel.master_for(s.redis_sentinel_master, db=s.redis_db if db is None else db,
                                   password=s.redis_password or None)
    if s.redis_url:
        extra = {"db": db} if db is not None else {}
        return Redis.from_url(s.redis_url, **options, **extra)
    return Redis(host=s.redis_host, port=s.redis_port, db=s.redis_db if db is None else db,
                 password=s.redis_password or None, **options)


def sync_redis_client(settings: Optional[Settings] = None) -> redis.Redis:
    """A blocking client, for command-line tools only (never inside an event loop)."""
    s = settings or Settings()
    options = _options(SOCKET_TIMEOUT, sync=True)
    if s.redis_sentinels:
        from redis.sentinel import Sentinel as SyncSentinel

        return SyncSentinel(sentinel_addresses(s.redis_sentinels), **options).master_for(
            s.redis_sentinel_master, db=s.redis_db, password=s.redis_password or None)
    if s.redis_url:
        return redis.Redis.from_url(s.redis_url, **options)
    return redis.Redis(host=s.redis_host, port=s.redis_port, db=s.redis_db, password=s.redis_password or None,
                       **options)


def production_configured(settings: Optional[Settings] = None) -> bool:
    s = settings or Settings()
    return bool(s.redis_url or s.redis_sentinels)


def redis_from_endpoint(options: dict[str, Any], socket_timeout: Optional[float] = SOCKET_TIMEOUT) -> Redis:
    """The client for an endpoints.yml entry (`url`/`host`, `port`, `db`, `password`, `use_ssl`).

    With `REDIS_URL` or `REDIS_SENTINELS` set, those decide for every entry, so one variable moves every component.
    """
    if production_configured():
        return redis_client(socket_timeout=socket_timeout, retries=STORE_RETRIES)
    host = str(options.get("url") or options.get("host") or "127.0.0.1")
    if "://" in host:
        return Redis.from_url(host, **_options(socket_timeout, STORE_RETRIES))
    return Redis(host=host, port=int(options.get("port") or 6379), db=int(options.get("db") or 0),
                 username=options.get("username") or None, password=options.get("password") or None,
                 ssl=str(options.get("use_ssl", "false")).lower() == "true", **_options(socket_timeout, STORE_RETRIES))
