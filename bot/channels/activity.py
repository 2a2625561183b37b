"""When each customer last wrote on a channel, kept in Redis for the window rules of the desk's senders."""
from __future__ import annotations

import time
from typing import Optional

from redis.asyncio import Redis

from bot.channels import keys
from bot.channels.window import HUMAN_AGENT_WINDOW_SECONDS

# Past the longest window nothing depends on the time any more, so the key may expire.
KEEP_SECONDS = HUMAN_AGENT_WINDOW_SECONDS + 24 * 3600


async def record_inbound(redis: Redis, channel: str, sender_id: str, at: Optional[float] = None) -> None:
    """Remember that the customer wrote at `at` (Meta's timestamp; never in the future, never moving back)."""
    now = time.time()
    moment = min(at, now) if at else now
    key = keys.last_inbound(channel, sender_id)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.zadd(key, {"at": moment}, gt=True)  # GT: an older, redelivered message does not move it back
        pipe.expire(key, KEEP_SECONDS)
        await pipe.execute()


async def last_inbound(redis: Redis, channel: str, sender_id: str) -> Optional[float]:
    return await redis.zscore(keys.last_inbound(channel, sender_id), "at")
