"""The append-only tracker store against Rasa's tracker-store contract on a real Redis: the conversation reads back
exactly as Rasa's own RedisTrackerStore gives it (last session, all sessions, slots, restarts), each message appends
only its new events, concurrent writers lose nothing and duplicate nothing, and conversations stored by Rasa's store
are taken over."""
from __future__ import annotations

import asyncio
import json

import pytest
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, BotUttered, Restarted, SessionStarted, SlotSet,
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.events import RedisStreamBroker, event_from_fields
from bot.stores.tracker_store import AppendOnlyRedisTrackerStore
from tests.conftest import UNIT_DB

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet, order_status]
slots:
  language:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
  order_number:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: hi}]
""")


@pytest.fixture
def store(redis) -> AppendOnlyRedisTrackerStore:
    return AppendOnlyRedisTrackerStore(DOMAIN, redis=redis, key_prefix="tracker")


@pytest.fixture
def rasa_store(redis_port) -> RedisTrackerStore:
    """Rasa's own Redis tracker store: the reference for what must read back."""
    return RedisTrackerStore(DOMAIN, host="127.0.0.1", port=redis_port, db=UNIT_DB, key_prefix="rasa")


def turn(text: str, intent: str, stamp: float) -> list:
    return [UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=stamp),
            ActionExecuted("utter_greet", timestamp=stamp + 0.1), BotUttered("hi", timestamp=stamp + 0.2),
            ActionExecuted("action_listen", timestamp=stamp + 0.3)]


def session(stamp: float) -> list:
    return [ActionExecuted("action_session_start", timestamp=stamp), SessionStarted(timestamp=stamp + 0.01),
            SlotSet("language", "nb", timestamp=stamp + 0.02), ActionExecuted("action_listen", timestamp=stamp + 0.03)]


def dicts(tracker: DialogueStateTracker) -> list[dict]:
    return [json.loads(json.dumps(event.as_dict())) for event in tracker.events]


async def save_in_steps(store, sender: str, steps: list[list]) -> None:
    """Like Rasa does per message: read the tracker, add this message's events, save."""
    for events in steps:
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        for event in events:
            tracker.update(event)
        await store.save(tracker)


async def test_a_slot_set_reads_back(store):
    tracker = await store.get_or_create_tracker("default")
    tracker.update(SlotSet("order_number", "10482"))
    await store.save(tracker)
    again = await store.get_or_create_tracker("default")
    assert again.get_slot("order_number") == "10482"


async def test_a_restart_is_where_it_was_after_reading_back(store):
    tracker = await store.get_or_create_tracker("myuser")
    for _ in range(4):
        tracker.update(ActionExecuted("action_listen"))
    tracker.update(Restarted())
    await store.save(tracker)
    assert (await store.retrieve("myuser")).idx_after_latest_restart() == tracker.idx_after_latest_restart()


async def test_sessions_read_back_exactly_as_rasas_redis_store_gives_them(store, rasa_store):
    steps = [session(1.0), turn("hei", "greet", 2.0), [SlotSet("order_number", "10403", timestamp=2.5)],
             turn("hvor er pakken", "order_status", 3.0), session(100.0), turn("hei igjen", "greet", 101.0)]
    for each in (store, rasa_store):
        await save_in_steps(each, "two-sessions", steps)

    ours, theirs = await store.retrieve("two-sessions"), await rasa_store.retrieve("two-sessions")
    assert dicts(ours) == dicts(theirs)
    assert dicts(ours)[0]["name"] == "action_session_start" and len(dicts(ours)) == 8  # the last session only
    assert ours.current_state() == theirs.current_state()
    full, rasa_full = (await store.retrieve_full_tracker("two-sessions"),
                       await rasa_store.retrieve_full_tracker("two-sessions"))
    assert dicts(full) == dicts(rasa_full) and len(dicts(full)) == 21
    assert full.current_state() == rasa_full.current_state()
    assert full.get_slot("order_number") is None  # a new session starts without the old order (no carry-over here)


async def test_a_conversation_without_a_session_start_reads_back_whole(store, rasa_store):
    steps = [turn("hello", "greet", 1.0), turn("where is my order", "order_status", 2.0)]
    for each in (store, rasa_store):
        await save_in_steps(each, "no-session", steps)
    assert dicts(await store.retrieve("no-session")) == dicts(await rasa_store.retrieve("no-session"))


async def test_each_message_appends_only_its_own_events(store, redis):
    await save_in_steps(store, "growing", [session(1.0)])
    assert await redis.llen("tracker:events:growing") == 4
    await redis.lset("tracker:events:growing", 0, await redis.lindex("tracker:events:growing", 0))  # untouched below
    first_item = await redis.lindex("tracker:events:growing", 0)
    await save_in_steps(store, "growing", [turn("hi", "greet", 2.0), turn("hi", "greet", 3.0)])
    assert await redis.llen("tracker:events:growing") == 12
    assert await redis.lindex("tracker:events:growing", 0) == first_item
    tracker = await store.retrieve("growing")
    await store.save(tracker)  # nothing new: nothing written
    assert await redis.llen("tracker:events:growing") == 12


async def test_two_writers_of_one_conversation_keep_both_messages_once(store):
    await save_in_steps(store, "shared", [session(1.0)])
    first, second = await store.retrieve("shared"), await store.retrieve("shared")
    for event in turn("hei", "greet", 2.0):
        first.update(event)
    for event in turn("hallo", "greet", 3.0):
        second.update(event)
    await store.save(first)
    await store.save(second)  # built from the same state as `first`: merged, not overwritten or repeated
    texts = [e.get("text") for e in dicts(await store.retrieve("shared")) if e["event"] == "user"]
    assert texts == ["hei", "hallo"]
    assert len(dicts(await store.retrieve("shared"))) == 12


async def test_many_conversations_written_at_once_are_all_complete(store):
    senders = [f"customer-{n}" for n in range(30)]
    await asyncio.gather(*(save_in_steps(store, sender, [session(1.0), turn(sender, "greet", 2.0)])
                           for sender in senders))
    for sender in senders:
        events = dicts(await store.retrieve(sender))
        assert [e.get("text") for e in events if e["event"] == "user"] == [sender]
    assert sorted(await store.keys()) == sorted(senders)
    assert await store.exists("customer-3") and not await store.exists("nobody")


async def test_a_conversation_stored_by_rasas_redis_store_is_taken_over(redis, redis_port):
    rasa_store = RedisTrackerStore(DOMAIN, host="127.0.0.1", port=redis_port, db=UNIT_DB, key_prefix="tracker")
    await save_in_steps(rasa_store, "before-the-switch", [session(1.0), turn("hej", "greet", 2.0)])
    store = AppendOnlyRedisTrackerStore(DOMAIN, redis=redis, key_prefix="tracker")
    assert dicts(await store.retrieve("before-the-switch")) == dicts(await rasa_store.retrieve("before-the-switch"))
    await save_in_steps(store, "before-the-switch", [turn("tak", "greet", 3.0)])
    texts = [e.get("text") for e in dicts(await store.retrieve("before-the-switch")) if e["event"] == "user"]
    assert texts == ["hej", "tak"]


def message(text: str, message_id: str, stamp: float) -> list:
    return [UserUttered(text, {"name": "greet", "confidence": 0.9}, timestamp=stamp, message_id=message_id),
            ActionExecuted("action_listen", timestamp=stamp + 0.1)]


async def test_a_customer_message_is_known_by_its_channel_id_in_every_session(store):
    await save_in_steps(store, "ids", [session(1.0), message("hei", "wamid.A", 2.0), session(3.0),
                                       message("takk", "wamid.B", 4.0)])
    assert await store.has_user_message("ids", "wamid.A")  # an earlier session too
    assert await store.has_user_message("ids", "wamid.B")
    assert not await store.has_user_message("ids", "wamid.C")
    assert not await store.has_user_message("nobody", "wamid.A")


async def test_message_ids_of_conversations_stored_before_the_id_set_are_still_found(redis, redis_port):
    rasa_store = RedisTrackerStore(DOMAIN, host="127.0.0.1", port=redis_port, db=UNIT_DB, key_prefix="tracker")
    await save_in_steps(rasa_store, "old", [session(1.0), message("hej", "wamid.OLD", 2.0)])
    store = AppendOnlyRedisTrackerStore(DOMAIN, redis=redis, key_prefix="tracker")
    assert await store.has_user_message("old", "wamid.OLD")  # still in Rasa's format
    assert not await store.has_user_message("old", "wamid.NEW")
    await store.retrieve("old")  # taken over
    assert await store.has_user_message("old", "wamid.OLD")


async def test_new_events_reach_the_event_stream_once_each(redis):
    broker = RedisStreamBroker(redis, stream="events-test")
    store = AppendOnlyRedisTrackerStore(DOMAIN, redis=redis, event_broker=broker)
    await save_in_steps(store, "streamed", [session(1.0), turn("hi", "greet", 2.0), turn("bye", "greet", 3.0)])
    while broker.pending:  # the broker writes in the background
        await asyncio.sleep(0.01)
    streamed = [event_from_fields(fields) for _, fields in await redis.xrange("events-test")]
    assert [(e["sender_id"], e["event"], e["timestamp"]) for e in streamed] == [
        ("streamed", e["event"], e["timestamp"]) for e in dicts(await store.retrieve_full_tracker("streamed"))]


async def test_conversations_expire_after_record_exp(redis):
    store = AppendOnlyRedisTrackerStore(DOMAIN, redis=redis, record_exp=3600)
    await save_in_steps(store, "expiring", [session(1.0)])
    assert 3500 < await redis.ttl("tracker:events:expiring") <= 3600
    assert 3500 < await redis.ttl("tracker:meta:expiring") <= 3600
    await save_in_steps(store, "expiring", [message("hi", "m1", 2.0)])
    assert 3500 < await redis.ttl("tracker:ids:expiring") <= 3600  # the message ids go with the conversation
