"""The Redis side of the intake: a stream per channel, a per-customer inbox that fixes the order, leases, dead letters.

- `append` (one Lua script, so both or neither happen): the message goes to the stream `intake:<channel>` (the
  consumer group `rasa`, which every Rasa replica joins, hands it to one replica) and its stream id to the end of
  the customer's inbox list. The channel answers 200 only after that.
- A replica that received a stream entry takes the customer's lease (a key with an expiry it keeps renewing) and
  processes the customer's inbox from its head, so one customer's messages are handled one at a time, in the order
  they arrived, whichever replica read them. Entries of a replica that died stay pending in the group and are
  claimed by another after `CLAIM_IDLE_MS`; its lease runs out after `LEASE_MS`.
- `finish` (Lua): the message leaves the inbox, is acknowledged and deleted from the stream, and its message id is
  marked as processed (the de-duplication key, set only now, never before processing).
- After `MAX_ATTEMPTS` failures a message moves to the dead-letter stream `intake:dead` for an operator.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Optional

from redis.asyncio import Redis
from redis.exceptions import ResponseError

from bot.channels import keys as channel_keys
from bot.channels.dedup import SEEN_SECONDS

GROUP = "rasa"
DEAD_LETTERS = "intake:dead"
CHANNELS = ("whatsapp", "messenger", "rest")
LEASE_MS = 15_000  # renewed every quarter; a starved event loop must not lose it
CLAIM_IDLE_MS = 5_000
MAX_ATTEMPTS = 3
INBOX_DAYS = 8
DEAD_LETTER_LENGTH = 10_000
REPLICATION_WAIT_MS = 500


def stream_key(channel: str) -> str:
    return f"intake:{channel}"


def inbox_key(channel: str, sender: str) -> str:
    return f"intake:inbox:{channel}:{sender}"


def lease_key(channel: str, sender: str) -> str:
    return f"intake:lease:{channel}:{sender}"


def attempts_key(channel: str) -> str:
    return f"intake:attempts:{channel}"


def sending_key(channel: str, message_id: str) -> str:
    """Set while a live replica sends a processed message's replies (renewed; it dies with the replica)."""
    return f"intake:sending:{channel}:{message_id}"


SENDING_TTL_MS = 4_000  # shorter than CLAIM_IDLE_MS: gone when a dead replica's entry is claimed


# KEYS: stream, inbox. ARGV: sender, message id, data, reply mode, inbox ttl (s). Returns the stream id.
_APPEND = """
local id = redis.call('XADD', KEYS[1], '*', 'sender', ARGV[1], 'message_id', ARGV[2], 'data', ARGV[3],
                      'reply', ARGV[4])
redis.call('RPUSH', KEYS[2], id)
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[5]))
return id
"""

# KEYS: stream, inbox, seen key, attempts hash, sending key. ARGV: group, stream id, seen ttl (s), message id.
_FINISH = """
redis.call('DEL', KEYS[5])
redis.call('LREM', KEYS[2], 1, ARGV[2])
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[4], ARGV[4])
if ARGV[4] ~= '' then redis.call('SET', KEYS[3], 1, 'EX', tonumber(ARGV[3])) end
return 1
"""

# KEYS: lease. ARGV: owner, ttl ms. Renew or release only a lease we hold.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@dataclass(frozen=True)
class Entry:
    """One accepted message: who sent it, the channel's message id, the channel's own data, where replies go."""

    channel: str
    stream_id: str
    sender: str
    message_id: str
    data: dict[str, Any]
    reply: str = "none"  # "wait": a request waits for the replies; "outbox": the web chat outbox; "none": pushed

    @classmethod
    def from_fields(cls, channel: str, stream_id: str, fields: dict[bytes, bytes]) -> "Entry":
        """Raises ValueError for an entry whose data is not a JSON object (a poisoned message)."""
        data = json.loads(fields.get(b"data", b"{}"))
        if not isinstance(data, dict):
            raise ValueError("the entry's data is not a JSON object")
        return cls(channel, stream_id, fields.get(b"sender", b"").decode(), fields.get(b"message_id", b"").decode(),
                   data, fields.get(b"reply", b"none").decode())


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class IntakeStream:
    """One channel's stream, as seen by one consumer (`consumer` names this process)."""

    def __init__(self, redis: Redis, channel: str, consumer: str = "") -> None:
        self.redis = redis
        self.channel = channel
        self.consumer = consumer
        self.stream = stream_key(channel)
        self._replicas_checked = (-1e9, False)

    async def append(self, sender: str, message_id: str, data: dict[str, Any], reply: str = "none") -> str:
        """Durable once this returns: the stream entry and the customer's place in line, in one step."""
        stream_id = await self.redis.eval(
            _APPEND, 2, self.stream, inbox_key(self.channel, sender), sender, message_id,
            json.dumps(data, ensure_ascii=False), reply, INBOX_DAYS * 86400)
        return _text(stream_id)

    async def processed(self, message_id: str) -> bool:
        """Whether this message id was processed already (the de-duplication key)."""
        return bool(message_id) and bool(await self.redis.exists(channel_keys.seen_message(self.channel, message_id)))

    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    async def read(self, count: int, block_ms: int) -> list[tuple[str, dict[bytes, bytes]]]:
        """New entries for this consumer."""
        answer = await self.redis.xreadgroup(GROUP, self.consumer, {self.stream: ">"}, count=count, block=block_ms)
        return [(_text(entry_id), fields) for _, entries in answer or [] for entry_id, fields in entries]

    async def claim_abandoned(self, count: int) -> list[tuple[str, dict[bytes, bytes]]]:
        """Entries another consumer left pending for longer than CLAIM_IDLE_MS (it died or lost Redis)."""
        answer = await self.redis.xautoclaim(self.stream, GROUP, self.consumer, CLAIM_IDLE_MS, "0-0", count=count)
        return [(_text(entry_id), fields) for entry_id, fields in answer[1] if fields]

    async def keep_claimed(self, stream_id: str) -> None:
        """Reset the entry's idle time: this consumer is alive and still waiting for the customer's lease."""
        await self.redis.xclaim(self.stream, GROUP, self.consumer, 0, [stream_id], justid=True)

    async def in_inbox(self, sender: str, stream_id: str) -> bool:
        return await self.redis.lpos(inbox_key(self.channel, sender), stream_id) is not None

    async def head(self, sender: str) -> Optional[str]:
        value = await self.redis.lindex(inbox_key(self.channel, sender), 0)
        return _text(value) if value is not None else None

    async def entry(self, stream_id: str) -> Optional[dict[bytes, bytes]]:
        found = await self.redis.xrange(self.stream, stream_id, stream_id)
        return found[0][1] if found else None

    async def drop(self, sender: str, stream_id: str) -> None:
        """An inbox id whose stream entry is gone (trimmed by hand): nothing left to process."""
        await self.redis.lrem(inbox_key(self.channel, sender), 1, stream_id)

    async def acknowledge(self, stream_id: str) -> None:
        await self.redis.xack(self.stream, GROUP, stream_id)

    async def take_lease(self, sender: str) -> bool:
        """The customer's lease; with a replica, only once the replica has it (a failover keeps it)."""
        taken = bool(await self.redis.set(lease_key(self.channel, sender), self.consumer, nx=True, px=LEASE_MS))
        if taken and await self._has_replicas():
            await self.redis.execute_command("WAIT", 1, REPLICATION_WAIT_MS)
        return taken

    async def renew_lease(self, sender: str) -> bool:
        return bool(await self.redis.eval(_RENEW, 1, lease_key(self.channel, sender), self.consumer, LEASE_MS))

    async def release_lease(self, sender: str) -> None:
        await self.redis.eval(_RELEASE, 1, lease_key(self.channel, sender), self.consumer)

    async def finish(self, entry: Entry) -> None:
        """Processed: out of the inbox and the stream, and the message id marked as processed.

        With a replica (Sentinel), wait until the replica has it too (and with it the turn Rasa saved before):
        otherwise a failover right after could bring the message back unanswered-looking and answer it twice.
        """
        await self.redis.eval(
            _FINISH, 5, self.stream, inbox_key(self.channel, entry.sender),
            channel_keys.seen_message(self.channel, entry.message_id) if entry.message_id else "-",
            attempts_key(self.channel), sending_key(self.channel, entry.message_id or "-"), GROUP, entry.stream_id,
            SEEN_SECONDS, entry.message_id)
        if await self._has_replicas():
            await self.redis.execute_command("WAIT", 1, REPLICATION_WAIT_MS)

    async def leave_line(self, entry: Entry) -> None:
        """Processed, replies still going out: the customer's next message may go ahead; the entry stays pending."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(sending_key(self.channel, entry.message_id or "-"), 1, px=SENDING_TTL_MS)
            pipe.lrem(inbox_key(self.channel, entry.sender), 1, entry.stream_id)
            await pipe.execute()

    async def keep_sending(self, entry: Entry) -> None:
        """Still sending: keep the entry claimed and the sending mark alive."""
        await self.keep_claimed(entry.stream_id)
        await self.redis.set(sending_key(self.channel, entry.message_id or "-"), 1, px=SENDING_TTL_MS)

    async def sending(self, message_id: str) -> bool:
        """Whether a live replica is sending this message's replies right now."""
        return bool(message_id) and bool(await self.redis.exists(sending_key(self.channel, message_id)))

    async def _has_replicas(self) -> bool:
        """Whether the master has a replica to wait for (asked once a minute; False where INFO is not allowed)."""
        if time.monotonic() - self._replicas_checked[0] > 60:
            try:
                replicas = int((await self.redis.info("replication")).get("connected_slaves", 0)) > 0
            except ResponseError:
                replicas = False
            self._replicas_checked = (time.monotonic(), replicas)
        return self._replicas_checked[1]

    async def failed_attempt(self, stream_id: str) -> int:
        """Count one failed processing of this entry; returns the attempts so far."""
        return int(await self.redis.hincrby(attempts_key(self.channel), stream_id, 1))

    async def dead_letter(self, stream_id: str, sender: str, message_id: str, error: str, attempts: int,
                          fields: dict[bytes, bytes]) -> None:
        """Move the entry aside for an operator (the message itself kept for a retry by hand), out of the line."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(DEAD_LETTERS, {
                "channel": self.channel, "sender": sender, "message_id": message_id, "stream_id": stream_id,
                "error": error[:200], "attempts": attempts, "at": int(time.time()),
                "data": fields.get(b"data", b""),
            }, maxlen=DEAD_LETTER_LENGTH, approximate=True)
            pipe.lrem(inbox_key(self.channel, sender), 1, stream_id)
            pipe.xack(self.stream, GROUP, stream_id)
            pipe.xdel(self.stream, stream_id)
            pipe.hdel(attempts_key(self.channel), stream_id)
            await pipe.execute()


async def intake_figures(redis: Redis) -> dict[str, int]:
    """For metrics: per channel, messages accepted and not processed yet (`intake_waiting_<channel>`) and read by a
    replica but not finished (`intake_pending_<channel>`); dead letters in all (`intake_dead_letters`)."""
    figures: dict[str, int] = {}
    for channel in CHANNELS:
        figures[f"intake_waiting_{channel}"] = int(await redis.xlen(stream_key(channel)))
        try:
            summary = await redis.xpending(stream_key(channel), GROUP)
            figures[f"intake_pending_{channel}"] = int(summary.get("pending", 0))
        except ResponseError:  # no stream or group yet
            figures[f"intake_pending_{channel}"] = 0
    figures["intake_dead_letters"] = int(await redis.xlen(DEAD_LETTERS))
    return figures
