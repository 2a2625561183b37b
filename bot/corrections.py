"""Agents' corrections of what the bot understood: "this message meant ask_shipping", marked in the console.

`bot review` puts each corrected message in the trainer's review file with the agent's intent filled in.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass

from redis.asyncio import Redis

KEY = "review:corrections"  # hash: "<conversation>|<message time>" -> correction JSON
KEEP_DAYS = 90


@dataclass(frozen=True)
class Correction:
    conversation_id: str
    message_time: float  # the customer message's event timestamp (identifies it within the conversation)
    intent: str  # what the message really meant
    agent: str
    corrected_at: float = 0.0

    @property
    def field(self) -> str:
        return field_of(self.conversation_id, self.message_time)


def field_of(conversation_id: str, message_time: float) -> str:
    return f"{conversation_id}|{message_time:.6f}"


class Corrections:
    def __init__(self, redis: Redis, clock=time.time) -> None:
        self.redis = redis
        self.clock = clock

    async def mark(self, correction: Correction) -> Correction:
        """Store (or replace) the correction of one customer message."""
        stored = Correction(**{**asdict(correction), "corrected_at": correction.corrected_at or self.clock()})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(KEY, stored.field, json.dumps(asdict(stored)))
            pipe.expire(KEY, KEEP_DAYS * 86400)
            await pipe.execute()
        return stored

    async def all(self) -> dict[str, Correction]:
        """Every correction by `field_of(conversation, message time)`."""
        raw = await self.redis.hgetall(KEY)
        return {key.decode(): Correction(**json.loads(value)) for key, value in raw.items()}

    async def of_conversation(self, conversation_id: str) -> dict[float, str]:
        """Message time -> corrected intent, for one conversation (to show in the console)."""
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", conversation_id) + "|*"
        found = {}
        async for _, value in self.redis.hscan_iter(KEY, match=pattern):
            correction = Correction(**json.loads(value))
            found[correction.message_time] = correction.intent
        return found
