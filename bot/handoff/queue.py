"""Handoff tickets: one open ticket per conversation, ordered by priority then waiting time, claimed atomically.

Every read-modify-write is one Lua script, so two agents (or two Rasa replicas) never race.
"""
from __future__ import annotations

import json
import statistics
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Optional

from redis.asyncio import Redis

from bot import metrics
from bot.handoff import keys

MAX_PRIORITY = 9
_BAND = 10_000_000_000  # seconds: one priority band is larger than any waiting time

# KEYS[1] conversation -> open ticket, KEYS[2] counter, KEYS[3] waiting set of the language,
# KEYS[4] set of open tickets, KEYS[5] conversation -> latest ticket
# ARGV[1] ticket JSON without id, ARGV[2] score, ARGV[3] ticket key prefix
# Returns {ticket id, 1 if created / 0 if the conversation already had an open ticket}.
_ENQUEUE = """
local existing = redis.call('GET', KEYS[1])
if existing then return {existing, 0} end
local id = tostring(redis.call('INCR', KEYS[2]))
local ticket = cjson.decode(ARGV[1])
ticket['id'] = id
redis.call('SET', ARGV[3] .. id, cjson.encode(ticket))
redis.call('SET', KEYS[1], id)
redis.call('SET', KEYS[5], id)
redis.call('ZADD', KEYS[3], ARGV[2], id)
redis.call('SADD', KEYS[4], id)
return {id, 1}
"""

# KEYS[1] ticket, KEYS[2] waiting set of its language
# ARGV[1] agent, ARGV[2] now, ARGV[3] ticket id
# Returns the claimed ticket JSON, or false when it is not waiting any more.
_CLAIM = """
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local ticket = cjson.decode(raw)
if ticket['state'] ~= 'waiting' then return false end
ticket['state'] = 'claimed'
ticket['agent'] = ARGV[1]
ticket['claimed_at'] = tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(ticket))
redis.call('ZREM', KEYS[2], ARGV[3])
return cjson.encode(ticket)
"""

# KEYS[1] ticket, KEYS[2] waiting set, ARGV[1] agent expected to hold it, ARGV[2] ticket id, ARGV[3] score
_RELEASE = """
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local ticket = cjson.decode(raw)
if ticket['state'] ~= 'claimed' or ticket['agent'] ~= ARGV[1] then return false end
ticket['state'] = 'waiting'
ticket['agent'] = cjson.null
redis.call('SET', KEYS[1], cjson.encode(ticket))
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return cjson.encode(ticket)
"""

# KEYS[1] ticket, ARGV[1] agent holding it, ARGV[2] new agent
_TRANSFER = """
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local ticket = cjson.decode(raw)
if ticket['state'] ~= 'claimed' or ticket['agent'] ~= ARGV[1] then return false end
ticket['agent'] = ARGV[2]
redis.call('SET', KEYS[1], cjson.encode(ticket))
return cjson.encode(ticket)
"""

# KEYS[1] ticket, KEYS[2] conversation -> ticket, KEYS[3] waiting set, KEYS[4] set of open tickets
# ARGV[1] resolution, ARGV[2] now, ARGV[3] ticket id
_CLOSE = """
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local ticket = cjson.decode(raw)
if ticket['state'] == 'closed' then return false end
ticket['state'] = 'closed'
ticket['resolution'] = ARGV[1]
ticket['closed_at'] = tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(ticket))
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('SREM', KEYS[4], ARGV[3])
if redis.call('GET', KEYS[2]) == ARGV[3] then redis.call('DEL', KEYS[2]) end
return cjson.encode(ticket)
"""


@dataclass
class Ticket:
    conversation_id: str
    channel: str
    language: str
    reason: str
    customer_name: str = ""
    priority: int = 0
    summary: list[str] = field(default_factory=list)
    context: dict[str, str] = field(default_factory=dict)  # what the bot collected: order, case, item, description
    created_at: float = 0.0
    state: str = "waiting"
    id: str = ""
    agent: Optional[str] = None
    claimed_at: Optional[float] = None
    first_response_at: Optional[float] = None
    closed_at: Optional[float] = None
    resolution: Optional[str] = None
    rating: Optional[int] = None

    @property
    def reference(self) -> str:
        """How the ticket is named to the customer (and quoted back for its status)."""
        return f"T-{self.id}"

    @classmethod
    def from_json(cls, raw: str | bytes) -> "Ticket":
        data: dict[str, Any] = json.loads(raw)
        data["summary"] = data.get("summary") or []  # cjson writes an empty list as {}
        data["context"] = data.get("context") or {}
        known = {name for name in cls.__dataclass_fields__}
        return cls(**{key: value for key, value in data.items() if key in known})

    def waiting_seconds(self, now: float) -> float:
        return max(0.0, now - self.created_at)


class TicketQueue:
    def __init__(self, redis: Redis, clock=time.time) -> None:
        self.redis = redis
        self.clock = clock
        self._enqueue = redis.register_script(_ENQUEUE)
        self._claim = redis.register_script(_CLAIM)
        self._release = redis.register_script(_RELEASE)
        self._transfer = redis.register_script(_TRANSFER)
        self._close = redis.register_script(_CLOSE)

    @staticmethod
    def score(ticket: Ticket) -> float:
        return (MAX_PRIORITY - max(0, min(ticket.priority, MAX_PRIORITY))) * _BAND + ticket.created_at

    async def enqueue(self, ticket: Ticket) -> tuple[Ticket, bool]:
        """Open a ticket for the conversation, or return the one already open (created=False)."""
        ticket.created_at = ticket.created_at or self.clock()
        ticket.state = "waiting"
        payload = {key: value for key, value in asdict(ticket).items() if key != "id"}
        ticket_id, created = await self._enqueue(
            keys=[keys.open_ticket_of(ticket.conversation_id), keys.counter(), keys.waiting(ticket.language),
                  keys.open_tickets(), keys.latest_ticket_of(ticket.conversation_id)],
            args=[json.dumps(payload), self.score(ticket), keys.ticket("")],
        )
        stored = await self.get(ticket_id.decode() if isinstance(ticket_id, bytes) else str(ticket_id))
        if created:
            metrics.HANDOFFS.labels(ticket.language, ticket.reason).inc()
            await self._changed(stored)
        return stored, bool(created)

    async def _changed(self, ticket: Optional[Ticket]) -> Optional[Ticket]:
        """Tell live views (the agents' queue) that a ticket changed."""
        if ticket is not None:
            await self.redis.publish(keys.changes(), json.dumps({"id": ticket.id, "state": ticket.state}))
        return ticket

    async def get(self, ticket_id: str) -> Optional[Ticket]:
        raw = await self.redis.get(keys.ticket(ticket_id))
        return Ticket.from_json(raw) if raw else None

    async def open_ticket(self, conversation_id: str) -> Optional[Ticket]:
        ticket_id = await self.redis.get(keys.open_ticket_of(conversation_id))
        return await self.get(ticket_id.decode()) if ticket_id else None

    async def latest_ticket(self, conversation_id: str) -> Optional[Ticket]:
        """The conversation's most recent ticket, open or closed."""
        ticket_id = await self.redis.get(keys.latest_ticket_of(conversation_id))
        return await self.get(ticket_id.decode()) if ticket_id else None

    async def open_tickets(self) -> list[Ticket]:
        """Every ticket not closed yet (waiting or claimed), oldest first."""
        ids = sorted(await self.redis.smembers(keys.open_tickets()), key=lambda member: int(member))
        tickets = [await self.get(member.decode()) for member in ids]
        return [ticket for ticket in tickets if ticket is not None]

    async def all_tickets(self, since: float = 0.0) -> list[Ticket]:
        """Every ticket created at or after `since` (for statistics)."""
        last = int(await self.redis.get(keys.counter()) or 0)
        tickets = []
        for start in range(1, last + 1, 500):
            raws = await self.redis.mget([keys.ticket(str(n)) for n in range(start, min(last, start + 499) + 1)])
            tickets += [Ticket.from_json(raw) for raw in raws if raw]
        return [ticket for ticket in tickets if ticket.created_at >= since]

    async def waiting(self, languages: Iterable[str]) -> list[Ticket]:
        """Waiting tickets in the given languages, most urgent and then longest-waiting first."""
        scored: list[tuple[float, str]] = []
        for language in languages:
            entries = await self.redis.zrange(keys.waiting(language), 0, -1, withscores=True)
            scored += [(score, member.decode()) for member, score in entries]
        tickets = [await self.get(ticket_id) for _, ticket_id in sorted(scored)]
        return [ticket for ticket in tickets if ticket is not None]

    async def claim(self, ticket_id: str, agent: str) -> Optional[Ticket]:
        """Give the ticket to `agent`; None when someone else got it first (or it is gone)."""
        ticket = await self.get(ticket_id)
        if ticket is None:
            return None
        raw = await self._claim(
            keys=[keys.ticket(ticket_id), keys.waiting(ticket.language)], args=[agent, self.clock(), ticket_id]
        )
        return await self._changed(Ticket.from_json(raw) if raw else None)

    async def release(self, ticket_id: str, agent: str) -> Optional[Ticket]:
        """Put a claimed ticket back in the queue, in its original place."""
        ticket = await self.get(ticket_id)
        if ticket is None:
            return None
        raw = await self._release(
            keys=[keys.ticket(ticket_id), keys.waiting(ticket.language)], args=[agent, ticket_id, self.score(ticket)]
        )
        return await self._changed(Ticket.from_json(raw) if raw else None)

    async def transfer(self, ticket_id: str, from_agent: str, to_agent: str) -> Optional[Ticket]:
        raw = await self._transfer(keys=[keys.ticket(ticket_id)], args=[from_agent, to_agent])
        return await self._changed(Ticket.from_json(raw) if raw else None)

    async def record_first_response(self, ticket_id: str) -> None:
        """The first agent reply on a ticket: kept for the median first-response time."""
        ticket = await self.get(ticket_id)
        if ticket is None or ticket.first_response_at is not None:
            return
        now = self.clock()
        ticket.first_response_at = now
        metrics.FIRST_RESPONSE_SECONDS.labels(ticket.language).observe(now - ticket.created_at)
        await self.redis.set(keys.ticket(ticket_id), json.dumps(asdict(ticket)))
        await self.redis.zadd(keys.first_responses(), {f"{ticket_id}:{now - ticket.created_at}": now})

    async def close(self, ticket_id: str, resolution: str) -> Optional[Ticket]:
        """Close with a resolution code; the conversation goes back to the bot when the customer writes again."""
        ticket = await self.get(ticket_id)
        if ticket is None:
            return None
        raw = await self._close(
            keys=[keys.ticket(ticket_id), keys.open_ticket_of(ticket.conversation_id), keys.waiting(ticket.language),
                  keys.open_tickets()],
            args=[resolution, self.clock(), ticket_id],
        )
        return await self._changed(Ticket.from_json(raw) if raw else None)

    async def rate(self, ticket_id: str, rating: int) -> Optional[Ticket]:
        """Store the customer's 1-5 satisfaction rating on a closed ticket (the first rating counts)."""
        ticket = await self.get(ticket_id)
        if ticket is None or ticket.state != "closed" or ticket.rating is not None or not 1 <= rating <= 5:
            return None
        ticket.rating = rating
        await self.redis.set(keys.ticket(ticket_id), json.dumps(asdict(ticket)))
        return ticket

    async def median_handling_seconds(self, recent: int = 50) -> Optional[float]:
        """Median time from claim to close over the latest closed tickets (for wait estimates)."""
        last = int(await self.redis.get(keys.counter()) or 0)
        ids = [str(n) for n in range(max(1, last - 4 * recent), last + 1)]
        raws = await self.redis.mget([keys.ticket(n) for n in ids]) if ids else []
        spans = [t.closed_at - t.claimed_at for t in map(Ticket.from_json, filter(None, raws))
                 if t.closed_at and t.claimed_at]
        return statistics.median(spans[-recent:]) if spans else None

    async def stats(self, languages: Iterable[str]) -> dict[str, Optional[float]]:
        """Waiting count, oldest wait (s) and median first-response time (s)."""
        now = self.clock()
        waiting = await self.waiting(languages)
        responses = await self.redis.zrange(keys.first_responses(), 0, -1)
        seconds = [float(member.decode().split(":", 1)[1]) for member in responses]
        return {
            "waiting": len(waiting),
            "oldest_wait_seconds": max((t.waiting_seconds(now) for t in waiting), default=None),
            "median_first_response_seconds": statistics.median(seconds) if seconds else None,
        }
