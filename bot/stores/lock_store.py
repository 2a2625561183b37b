"""Per-conversation ticket locks shared by every Rasa worker and replica, atomic in Redis.

Rasa Open Source's `RedisLockStore` issues a ticket by reading a JSON value, changing it and writing it back with a
synchronous client: two replicas can both read the same value and hand out the same ticket, and the event loop stops
for every round trip. Here each step is one Lua script (atomic on the Redis server) run with the asyncio client:

- issue: drop expired tickets, take the next number, queue it with its expiry time;
- try: is this ticket first in the queue (and not expired)?
- release: remove the ticket and wake the next one in the queue at once (a list the waiter blocks on).

A waiter blocks on its wake-up list for at most `POLL_SECONDS` and then looks again (the holder may have died and its
ticket expired), so nobody sleeps a fixed second as Rasa's store does; after `wait_timeout` seconds it gives up with
one warning that says how many messages were ahead, and Rasa answers nothing for that message (as with Rasa's own
lock error).

    lock_store:
      type: bot.stores.lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      db: ${REDIS_DB}
      key_prefix: lock
      wait_timeout: 30
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Optional

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig
from redis.asyncio import Redis

from bot.stores.connection import redis_from_options

logger = logging.getLogger(__name__)

DEFAULT_WAIT_TIMEOUT = 30.0
POLL_SECONDS = 0.25  # longest blocking wait between two looks at the queue (a dead holder's ticket expires)
WAKE_TTL_MS = 10_000

# Shared by the scripts: the current time in ms and the removal of expired tickets (KEYS[1] queue, KEYS[2] expiries).
_PRUNE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local expiries = redis.call('HGETALL', KEYS[2])
for i = 1, #expiries, 2 do
  if tonumber(expiries[i + 1]) <= now then
    redis.call('ZREM', KEYS[1], expiries[i])
    redis.call('HDEL', KEYS[2], expiries[i])
  end
end
"""

# KEYS: queue, expiries, counter. ARGV: lifetime in ms.
# Returns {the new ticket number, how many tickets are ahead of it} (0 ahead: it holds the lock already).
ISSUE = _PRUNE + """
local lifetime = tonumber(ARGV[1])
local ticket = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[1], ticket, ticket)
redis.call('HSET', KEYS[2], ticket, now + lifetime)
for i = 1, 3 do
  if redis.call('PTTL', KEYS[i]) < lifetime + 1000 then redis.call('PEXPIRE', KEYS[i], lifetime + 1000) end
end
return {ticket, redis.call('ZRANK', KEYS[1], ticket)}
"""

# KEYS: queue, expiries, this ticket's wake-up list. ARGV: ticket.
# Returns 0 when the ticket holds the lock, the number of tickets ahead otherwise, -1 when the ticket expired.
TRY = _PRUNE + """
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 0 then return -1 end
local ahead = redis.call('ZRANK', KEYS[1], ARGV[1])
if ahead == 0 then redis.call('DEL', KEYS[3]) end
return ahead
"""

# KEYS: queue, expiries, counter. ARGV: ticket, wake-up list prefix. When the holder leaves, wakes the next ticket.
# Returns how many tickets still wait.
RELEASE = _PRUNE + """
local was_head = redis.call('ZRANK', KEYS[1], ARGV[1]) == 0
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if #head == 0 then
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
  return 0
end
if not was_head then return redis.call('ZCARD', KEYS[1]) end
local wake = ARGV[2] .. head[1]
redis.call('RPUSH', wake, '1')
redis.call('PEXPIRE', wake, %d)
return redis.call('ZCARD', KEYS[1])
""" % WAKE_TTL_MS


def conversation_hash(conversation_id: str) -> str:
    """What logs say instead of a conversation id (a WhatsApp conversation id is the customer's phone number)."""
    return hashlib.sha256(conversation_id.encode()).hexdigest()[:12]


class AtomicRedisLockStore(LockStore):
    """Ticket locks whose issue, check and release are each one atomic Redis script, awaited without blocking."""

    def __init__(self, redis: Optional[Redis] = None, key_prefix: str = "lock",
                 wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
                 endpoint_config: Optional[EndpointConfig] = None) -> None:
        if endpoint_config is not None:
            options = dict(endpoint_config.kwargs)
            redis = redis or redis_from_options(endpoint_config.url, options)
            key_prefix = str(options.get("key_prefix", key_prefix))
            wait_timeout = float(options.get("wait_timeout", wait_timeout))
        if redis is None:
            raise ValueError("AtomicRedisLockStore needs a Redis client or an endpoint configuration")
        self.redis = redis
        self.prefix = key_prefix
        self.wait_timeout = wait_timeout
        self._issue = redis.register_script(ISSUE)
        self._try = redis.register_script(TRY)
        self._release = redis.register_script(RELEASE)
        super().__init__()

    def _keys(self, conversation_id: str) -> list[str]:
        # One hash tag per conversation: all its keys live on the same Redis Cluster slot.
        base = f"{self.prefix}:{{{conversation_id}}}"
        return [f"{base}:queue", f"{base}:expires", f"{base}:counter"]

    def _wake_prefix(self, conversation_id: str) -> str:
        return f"{self.prefix}:{{{conversation_id}}}:wake:"

    async def issue(self, conversation_id: str, lifetime: float = LOCK_LIFETIME) -> int:
        """Queue a new ticket for the conversation and return its number."""
        return (await self._issue_and_look(conversation_id, lifetime))[0]

    async def _issue_and_look(self, conversation_id: str, lifetime: float) -> tuple[int, int]:
        """The new ticket and how many tickets are ahead of it, in one round trip."""
        ticket, ahead = await self._issue(keys=self._keys(conversation_id), args=[max(1, int(lifetime * 1000))])
        return int(ticket), int(ahead)

    async def tickets_ahead(self, conversation_id: str, ticket: int) -> int:
        """0 when `ticket` holds the lock, how many tickets are ahead otherwise, -1 when it expired."""
        queue, expires, _ = self._keys(conversation_id)
        wake = self._wake_prefix(conversation_id) + str(ticket)
        return int(await self._try(keys=[queue, expires, wake], args=[ticket]))

    async def release(self, conversation_id: str, ticket: int) -> int:
        """Give the lock up (or leave the queue) and wake the next ticket; returns how many tickets still wait."""
        return int(await self._release(keys=self._keys(conversation_id),
                                       args=[ticket, self._wake_prefix(conversation_id)]))

    async def wait_for_turn(self, conversation_id: str, ticket: int, timeout: float, ahead: Optional[int] = None
                            ) -> None:
        """Return once `ticket` holds the lock; LockError when it expired or `timeout` seconds passed."""
        started = time.monotonic()
        wake = self._wake_prefix(conversation_id) + str(ticket)
        while True:
            if ahead is None:
                ahead = await self.tickets_ahead(conversation_id, ticket)
            if ahead == 0:
                return
            waited = time.monotonic() - started
            if ahead < 0:
                logger.warning("Conversation %s: lock ticket %d expired after %.1f s in the queue; message dropped",
                               conversation_hash(conversation_id), ticket, waited)
                raise LockError(f"Lock ticket {ticket} expired while waiting for its turn.")
            if waited >= timeout:
                logger.warning("Conversation %s: gave up waiting for the conversation lock after %.1f s with %d "
                               "message(s) ahead; message dropped", conversation_hash(conversation_id), waited, ahead)
                raise LockError(f"Timed out after {waited:.1f} s waiting for the conversation lock.")
            await self.redis.blpop([wake], timeout=max(0.01, min(POLL_SECONDS, timeout - waited)))
            ahead = None

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[TicketLock, None]:
        """Hold the conversation's lock inside the block (Rasa's `wait_time_in_seconds` poll is not needed here)."""
        try:
            ticket, ahead = await self._issue_and_look(conversation_id, lock_lifetime)
        except Exception as error:  # noqa: BLE001 - Rasa expects LockError from a lock store that cannot lock
            raise LockError(f"Could not issue a lock ticket: {type(error).__name__}") from error
        try:
            await self.wait_for_turn(conversation_id, ticket, self.wait_timeout, ahead)
            yield TicketLock(conversation_id)
        finally:
            try:
                await asyncio.shield(self.release(conversation_id, ticket))
            except Exception as error:  # noqa: BLE001 - the ticket expires by itself; the answer must not fail
                logger.warning("Conversation %s: could not release lock ticket %d (%s); it expires by itself",
                               conversation_hash(conversation_id), ticket, type(error).__name__)
