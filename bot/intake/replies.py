"""Getting the bot's replies back to a web chat request that waits for them, possibly on another replica.

The waiting request keeps `intake:waiting:<message id>` alive; the replica that processed the message pushes the
replies to `intake:reply:<message id>` while someone waits, otherwise to the conversation's outbox, which the chat
page follows. Both decisions are single Lua scripts, so a reply is never pushed to a list nobody reads.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Optional

from redis.asyncio import Redis

from bot.channels.dedup import SEEN_SECONDS
from bot.handoff.delivery import OUTBOX_DAYS, OUTBOX_LENGTH, outbox_key
from bot.intake import turns
from bot.intake.turns import TurnMarks

WAITING_TTL_SECONDS = 5
REPLY_TTL_SECONDS = 300
_POLL_SECONDS = 2


def waiting_key(message_id: str) -> str:
    return f"intake:waiting:{message_id}"


def reply_key(message_id: str) -> str:
    return f"intake:reply:{message_id}"


# KEYS: waiting, reply list, outbox, sent count ("-": none). ARGV: all replies (JSON list), reply ttl, outbox length,
# outbox ttl, the turn's replies delivered with these, sent ttl, each reply. The sent count only grows.
_DELIVER = """
if KEYS[4] ~= '-' and tonumber(ARGV[5]) > tonumber(redis.call('GET', KEYS[4]) or '0') then
  redis.call('SET', KEYS[4], ARGV[5], 'EX', tonumber(ARGV[6]))
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  redis.call('EXPIRE', KEYS[2], tonumber(ARGV[2]))
  return 1
end
for i = 7, #ARGV do
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', tonumber(ARGV[3]), '*', 'message', ARGV[i])
end
if #ARGV >= 7 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[4])) end
return 0
"""

# KEYS: waiting, reply list. Stop waiting and take a reply that arrived at the last moment.
_GIVE_UP = """
redis.call('DEL', KEYS[1])
return redis.call('LPOP', KEYS[2])
"""


async def deliver_replies(redis: Redis, message_id: str, conversation_id: str, replies: list[dict[str, Any]],
                          sent: Optional[tuple[TurnMarks, int]] = None) -> bool:
    """To the waiting request (True) or the outbox (False); with `sent`, the turn's count of replies delivered is
    kept in the same step (so a re-claim delivers the rest, never one twice)."""
    sent_key = turns.sent_key(sent[0].channel, message_id) if sent and message_id else "-"
    return bool(await redis.eval(
        _DELIVER, 4, waiting_key(message_id or "-"), reply_key(message_id or "-"), outbox_key(conversation_id),
        sent_key, json.dumps(replies, ensure_ascii=False), REPLY_TTL_SECONDS, OUTBOX_LENGTH, OUTBOX_DAYS * 86400,
        sent[1] if sent else 0, SEEN_SECONDS, *[json.dumps(reply, ensure_ascii=False) for reply in replies]))


async def start_waiting(redis: Redis, message_id: str) -> None:
    """Before the message is appended: from now on its replies come to `wait_for_replies`."""
    await redis.set(waiting_key(message_id), 1, ex=WAITING_TTL_SECONDS)


async def wait_for_replies(redis: Redis, message_id: str, timeout: float) -> Optional[list[dict[str, Any]]]:
    """The replies, or None after `timeout` seconds (they will then go to the outbox)."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            late = await redis.eval(_GIVE_UP, 2, waiting_key(message_id), reply_key(message_id))
            return json.loads(late) if late else None
        await redis.set(waiting_key(message_id), 1, ex=WAITING_TTL_SECONDS)
        found = await redis.blpop([reply_key(message_id)], timeout=max(1, min(_POLL_SECONDS, int(remaining))))
        if found:
            await redis.delete(waiting_key(message_id))
            return json.loads(found[1])
        await asyncio.sleep(0)
