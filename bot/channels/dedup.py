"""Meta redelivers webhooks (WhatsApp for up to 7 days), to every Rasa replica: each message id is claimed once."""
from __future__ import annotations

from redis.asyncio import Redis

from bot.channels import keys

# WhatsApp retries for up to 7 days; a day more of margin.
SEEN_SECONDS = 8 * 24 * 3600


async def first_delivery(redis: Redis, channel: str, message_id: str, ttl: int = SEEN_SECONDS) -> bool:
    """True for exactly one caller per message id, across processes (Redis SET NX EX)."""
    return bool(await redis.set(keys.seen_message(channel, message_id), 1, nx=True, ex=ttl))
