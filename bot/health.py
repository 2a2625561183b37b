"""Readiness checks shared by every process's /readyz: answers only when what the process needs is reachable."""
from __future__ import annotations

import asyncio
from typing import Any

from redis.exceptions import RedisError

from bot.metrics import REDIS_ERRORS

CHECK_SECONDS = 1.5  # a probe must answer well within Kubernetes' timeout


async def redis_ready(redis: Any, component: str) -> tuple[bool, str]:
    """(reachable, reason) for a Redis ping bounded in time."""
    try:
        await asyncio.wait_for(redis.ping(), CHECK_SECONDS)
        return True, "ok"
    except (RedisError, OSError, asyncio.TimeoutError) as error:
        REDIS_ERRORS.labels(component).inc()
        return False, f"redis unreachable ({type(error).__name__})"
