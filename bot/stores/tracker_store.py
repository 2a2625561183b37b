"""Conversations kept in Redis as an append-only list of events: each message writes only its new events.

Rasa's `RedisTrackerStore` rewrites the whole conversation on every message: it reads and replays the stored tracker
twice (once to find the events to publish, once to merge) and writes it back as one JSON value, all with a
synchronous client inside the event loop, so a message costs more the longer the conversation is and stops every
other customer meanwhile. Here, per conversation:

- `<prefix>:events:<id>`: a Redis list, one JSON event per item (`Event.as_dict()`, the format Rasa stores);
- `<prefix>:meta:<id>`: a hash with `n` (events stored) and `s` (index of the last `action_session_start`);
- `<prefix>:ids:<id>`: a set of the channel message ids of the customer's messages stored, so that "is this message
  in the conversation already?" (the intake's idempotency check, on every message) costs one lookup instead of
  reading and replaying the conversation.

`retrieve` reads only the last session (`LRANGE s -1`, as Rasa returns the last session); `save` appends only the
events after those the store already has, in one Lua script that checks nobody appended in between (otherwise it
merges: events already stored are not written twice). The new events go to the event broker directly, without the
extra read Rasa's `stream_events` makes. A conversation that only exists in Rasa's old format (`<prefix>:tracker:<id>`)
is read from there the first time and copied over, so switching stores loses nothing.

    tracker_store:
      type: bot.stores.tracker_store.AppendOnlyRedisTrackerStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
      db: ${REDIS_DB}
      key_prefix: tracker
      record_exp: 2592000
"""
from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any, Iterable, Optional, Sequence

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.constants import ACTION_SESSION_START_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker
from redis.asyncio import Redis

from bot.stores.connection import redis_from_options

logger = logging.getLogger(__name__)

# KEYS: events, meta, Rasa's old key. ARGV: 1 = whole conversation, 0 = last session.
# Returns {start index, events...}; when only the old format exists, {-1, old JSON}.
READ = """
local meta = redis.call('HMGET', KEYS[2], 'n', 's')
if not meta[1] then
  local old = redis.call('GET', KEYS[3])
  if old then return {-1, old} end
  return {0}
end
local start = 0
if ARGV[1] == '0' then start = tonumber(meta[2] or '0') end
local events = redis.call('LRANGE', KEYS[1], start, -1)
table.insert(events, 1, start)
return events
"""

# KEYS: events, meta, ids. ARGV: expected n, session start within the new events (-1: none), expiry s (0: none),
# k, k message ids, events... Appends when the list still has `expected n` events; returns the new n, or -1 (and
# writes nothing) otherwise.
APPEND = """
local n = tonumber(redis.call('HGET', KEYS[2], 'n') or '0')
if n ~= tonumber(ARGV[1]) then return -1 end
local k = tonumber(ARGV[4])
local first = 5 + k
if #ARGV >= first then redis.call('RPUSH', KEYS[1], unpack(ARGV, first)) end
if k > 0 then redis.call('SADD', KEYS[3], unpack(ARGV, 5, 4 + k)) end
local total = n + #ARGV - first + 1
redis.call('HSET', KEYS[2], 'n', total)
if n == 0 then redis.call('HSET', KEYS[2], 'i', 1) end
if tonumber(ARGV[2]) >= 0 then redis.call('HSET', KEYS[2], 's', n + tonumber(ARGV[2])) end
if tonumber(ARGV[3]) > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  redis.call('EXPIRE', KEYS[2], ARGV[3])
  if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('EXPIRE', KEYS[3], ARGV[3]) end
end
return total
"""

# KEYS: meta, ids, Rasa's old key. ARGV: message id.
# 1: stored; 0: not stored; -1: the conversation predates the id set (look in its events).
HAS_MESSAGE = """
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 1 end
local meta = redis.call('HMGET', KEYS[1], 'n', 'i')
if meta[2] then return 0 end
if not meta[1] and redis.call('EXISTS', KEYS[3]) == 0 then return 0 end
return -1
"""

_RETRIES = 5


@lru_cache(maxsize=None)
def _event_class(type_name: str) -> Optional[type[Event]]:
    """Rasa's own lookup, done once per event type: `Event.from_parameters` walks every Event subclass (with an
    abstractness check each) for every event it reads, which was 89% of reading a 40-turn conversation."""
    return Event.resolve_by_type(type_name)


def event_from_dict(parameters: dict[str, Any]) -> Optional[Event]:
    """`Event.from_parameters`, the same events, without the per-event class search."""
    event_class = _event_class(parameters["event"]) if parameters.get("event") else None
    return event_class._from_parameters(parameters) if event_class else None


def _starts_session(event: dict[str, Any]) -> bool:
    return event.get("event") == ActionExecuted.type_name and event.get("name") == ACTION_SESSION_START_NAME


def _as_json(event: Event) -> Any:
    """The event as it reads back from the store (tuples become lists)."""
    return json.loads(json.dumps(event.as_dict(), ensure_ascii=False))


def last_session_start(events: Sequence[dict[str, Any]]) -> int:
    """Index of the last `action_session_start` (where Rasa splits sessions), 0 when there is none."""
    for index in range(len(events) - 1, -1, -1):
        if _starts_session(events[index]):
            return index
    return 0


class AppendOnlyRedisTrackerStore(TrackerStore):
    """Rasa tracker store: `tracker_store: {type: bot.stores.tracker_store.AppendOnlyRedisTrackerStore, ...}`."""

    def __init__(self, domain: Optional[Domain] = None, host: Optional[str] = None,
                 event_broker: Optional[EventBroker] = None, key_prefix: str = "tracker",
                 record_exp: Optional[float] = None, redis: Optional[Redis] = None, **options: Any) -> None:
        self.redis = redis or redis_from_options(host, options)
        self.prefix = str(key_prefix)
        self.record_exp = int(float(record_exp)) if record_exp else 0
        self._read = self.redis.register_script(READ)
        self._append = self.redis.register_script(APPEND)
        self._has_message = self.redis.register_script(HAS_MESSAGE)
        super().__init__(domain, event_broker)

    def _keys(self, sender_id: str) -> list[str]:
        return [f"{self.prefix}:events:{sender_id}", f"{self.prefix}:meta:{sender_id}",
                f"{self.prefix}:tracker:{sender_id}"]

    def _ids_key(self, sender_id: str) -> str:
        return f"{self.prefix}:ids:{sender_id}"

    async def _write(self, sender_id: str, expected: int, session: int, events: list[dict[str, Any]]) -> int:
        """The APPEND script: the events, and the message ids of the customer's messages among them."""
        events_key, meta_key, _ = self._keys(sender_id)
        ids = sorted({str(e["message_id"]) for e in events if e.get("event") == "user" and e.get("message_id")})
        return int(await self._append(keys=[events_key, meta_key, self._ids_key(sender_id)], args=[
            expected, session, self.record_exp, len(ids), *ids, *(json.dumps(e, ensure_ascii=False) for e in events)]))

    async def has_user_message(self, sender_id: str, message_id: str) -> bool:
        """Whether a customer message with this channel message id is stored in the conversation (any session)."""
        _, meta_key, old_key = self._keys(sender_id)
        found = int(await self._has_message(keys=[meta_key, self._ids_key(sender_id), old_key], args=[message_id]))
        if found >= 0:
            return bool(found)
        events = await self.stored_events(sender_id) or []
        return any(e.get("event") == "user" and e.get("message_id") == message_id for e in events)

    async def stored_events(self, sender_id: str, all_sessions: bool = True) -> Optional[list[dict[str, Any]]]:
        """The stored events as dicts (None for an unknown conversation)."""
        reply = await self._read(keys=self._keys(sender_id), args=[1 if all_sessions else 0])
        if int(reply[0]) == -1:
            return await self._migrate(sender_id, json.loads(reply[1]).get("events") or [], all_sessions)
        if len(reply) == 1:
            return None
        return [json.loads(item) for item in reply[1:]]

    async def _migrate(self, sender_id: str, events: list[dict[str, Any]], all_sessions: bool) -> list[dict[str, Any]]:
        """Copy a conversation stored by Rasa's RedisTrackerStore into the event list (once; a race writes nothing)."""
        await self._write(sender_id, 0, last_session_start(events), events)
        return events if all_sessions else events[last_session_start(events):]

    def _tracker(self, sender_id: str, events: list[dict[str, Any]]) -> DialogueStateTracker:
        tracker = self.init_tracker(sender_id)
        tracker.events.extend(event for event in map(event_from_dict, events) if event is not None)
        tracker.replay_events()
        return tracker

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        """The tracker of the conversation's last session."""
        events = await self.stored_events(sender_id, all_sessions=False)
        return None if events is None else self._tracker(sender_id, events)

    async def retrieve_full_tracker(self, conversation_id: str) -> Optional[DialogueStateTracker]:
        """The tracker with every session of the conversation."""
        events = await self.stored_events(conversation_id, all_sessions=True)
        return None if events is None else self._tracker(conversation_id, events)

    async def exists(self, conversation_id: str) -> bool:
        _, meta, old = self._keys(conversation_id)
        return bool(await self.redis.exists(meta, old))

    async def keys(self) -> Iterable[str]:
        """Every stored conversation id."""
        marker = f"{self.prefix}:meta:"
        return [key.decode()[len(marker):] async for key in self.redis.scan_iter(match=marker + "*", count=1000)]

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Append the tracker's events the store does not have yet, and publish them."""
        events_key, meta_key, _ = self._keys(tracker.sender_id)
        for _ in range(_RETRIES):
            async with self.redis.pipeline(transaction=False) as pipe:  # one round trip
                meta, last_stored = await pipe.hmget(meta_key, "n", "s").lindex(events_key, -1).execute()
            stored, start = (int(value or 0) for value in meta)
            new = [event.as_dict() for event in list(tracker.events)[stored - start:]]
            if stored and not self._continues_stored(tracker, last_stored, stored - start):
                new = await self._not_stored_yet(tracker, events_key)
            if not new:
                return
            session = max((i for i, event in enumerate(new) if _starts_session(event)), default=-1)
            if await self._write(tracker.sender_id, stored, session, new) >= 0:
                self._publish(tracker.sender_id, new)
                return
        raise RuntimeError(f"Could not append to a conversation after {_RETRIES} concurrent writes")

    @staticmethod
    def _continues_stored(tracker: DialogueStateTracker, last_stored: Optional[bytes], known: int) -> bool:
        """Does the tracker start with what is stored (the usual case: it was read from this store)?"""
        if known == 0 or len(tracker.events) < known:
            return known == 0
        return last_stored is not None and json.loads(last_stored) == _as_json(tracker.events[known - 1])

    async def _not_stored_yet(self, tracker: DialogueStateTracker, events_key: str) -> list[dict]:
        """The tracker's events not stored yet (a tracker built elsewhere, or saved concurrently by another writer)."""
        seen = {json.dumps(json.loads(item), sort_keys=True) for item in await self.redis.lrange(events_key, 0, -1)}
        return [event.as_dict() for event in tracker.events
                if json.dumps(_as_json(event), sort_keys=True) not in seen]

    def _publish(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        if self.event_broker is None:
            return
        for event in events:
            self.event_broker.publish({"sender_id": sender_id, **event})
