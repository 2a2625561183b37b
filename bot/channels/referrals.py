"""Referrals that arrive on their own (a customer opened an ad or an m.me link before writing): kept in Redis for a
day and attached to that customer's next message, so the ticket and the agent see where the customer came from."""
from __future__ import annotations

import json
from typing import Optional

from redis.asyncio import Redis

from bot.channels import keys

KEEP_SECONDS = 24 * 3600


class PendingReferrals:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def keep(self, channel: str, sender_id: str, referral: dict[str, str]) -> None:
        await self.redis.set(keys.pending_referral(channel, sender_id), json.dumps(referral), ex=KEEP_SECONDS)

    async def take(self, channel: str, sender_id: str) -> Optional[dict[str, str]]:
        """The referral kept for this customer, once (GETDEL: two replicas never both attach it)."""
        stored = await self.redis.getdel(keys.pending_referral(channel, sender_id))
        return json.loads(stored) if stored else None
