"""What the intake remembers about a message's turn beyond the tracker, so that a re-claim finishes it exactly once.

- `intake:sent:<channel>:<message id>`: how many of the turn's bot messages reached the customer (or were given up
  after Meta refused them), written after each is sent. A replica killed after Rasa saved the turn and before the
  replies went out leaves fewer here than the tracker holds: the one that claims the message sends the rest.
- `intake:resume:<channel>:<message id>`: the turn was saved but an action of it did not run because the action
  server could not be reached (Rasa logs that and goes on without the action's events, so the customer would
  hear nothing). The message stays at the head of the customer's line until the turn has been resumed: the
  failed action and what followed it are reverted and the prediction runs again from the stored tracker.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Optional

from redis.asyncio import Redis

from bot.channels.dedup import SEEN_SECONDS

RESUME_BACKOFF_SECONDS = (1, 2, 4, 8, 15, 30)  # between resumes that failed again (each adds events to the tracker)


def sent_key(channel: str, message_id: str) -> str:
    return f"intake:sent:{channel}:{message_id}"


def resume_key(channel: str, message_id: str) -> str:
    return f"intake:resume:{channel}:{message_id}"


# KEYS: sent key. ARGV: count, ttl. The count only grows (a late writer never lowers it).
_MARK_SENT = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'EX', tonumber(ARGV[2])) end
return 1
"""


@dataclass(frozen=True)
class Resume:
    """A turn to finish: the action that did not run, the number of tracker events when that was saved, tries."""

    action: str
    events: int
    attempts: int = 0
    not_before: float = 0.0

    def due(self) -> bool:
        return time.time() >= self.not_before

    def failed_again(self, events: int) -> "Resume":
        wait = RESUME_BACKOFF_SECONDS[min(self.attempts, len(RESUME_BACKOFF_SECONDS) - 1)]
        return Resume(self.action, events, self.attempts + 1, time.time() + wait)


class TurnMarks:
    """One channel's sent counts and pending resumes."""

    def __init__(self, redis: Redis, channel: str) -> None:
        self.redis = redis
        self.channel = channel

    async def sent(self, message_id: str) -> int:
        return int(await self.redis.get(sent_key(self.channel, message_id)) or 0)

    async def mark_sent(self, message_id: str, count: int) -> None:
        await self.redis.eval(_MARK_SENT, 1, sent_key(self.channel, message_id), count, SEEN_SECONDS)

    async def resume(self, message_id: str) -> Optional[Resume]:
        value = await self.redis.get(resume_key(self.channel, message_id))
        return Resume(**json.loads(value)) if value else None

    async def need_resume(self, message_id: str, resume: Resume) -> None:
        await self.redis.set(resume_key(self.channel, message_id), json.dumps(asdict(resume)), ex=SEEN_SECONDS)

    async def resumed(self, message_id: str) -> None:
        await self.redis.delete(resume_key(self.channel, message_id))
