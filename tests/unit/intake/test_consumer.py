"""The intake on a real Redis: order per customer across consumers, re-claim after a consumer died, dead letters."""
from __future__ import annotations

import asyncio
import json

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.intake import consumer as consumer_module
from bot.intake import stream as stream_module
from bot.intake.consumer import IntakeConsumer, Outcome, Sending
from bot.intake.stream import DEAD_LETTERS, Entry, IntakeStream, inbox_key
from tests.conftest import UNIT_DB


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    monkeypatch.setattr(consumer_module, "RETRY_SECONDS", 0.05)
    monkeypatch.setattr(consumer_module, "CLAIM_EVERY_SECONDS", 0.1)
    monkeypatch.setattr(consumer_module, "READ_BLOCK_MS", 100)


async def until(check, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached in time")


def client(redis_port: int) -> Redis:
    return Redis(host="127.0.0.1", port=redis_port, db=UNIT_DB)


async def processed_by_another_replica(redis_port: int, channel: str, expected: list[str], settle: float
                                       ) -> list[str]:
    """Start a live replica's consumer until it processed `expected` (and `settle` seconds more): what it processed."""
    done: list[str] = []

    async def process(entry: Entry) -> Outcome:
        done.append(entry.message_id)
        return Outcome.DONE

    other = client(redis_port)
    alive = IntakeConsumer(IntakeStream(other, channel, "alive-replica"), process, None)
    alive.start()
    await until(lambda: asyncio.sleep(0, done == expected))
    await asyncio.sleep(settle)
    await alive.stop()
    await other.close()
    return done


async def test_each_customer_in_order_once_across_two_consumers(redis, redis_port):
    done: list[tuple[str, str]] = []

    async def process(entry: Entry) -> Outcome:
        await asyncio.sleep(0.01)
        done.append((entry.sender, entry.data["text"]))
        return Outcome.DONE

    async def no_dead(*_) -> None:
        raise AssertionError("nothing should fail")

    writer = IntakeStream(redis, "whatsapp")
    sent = {f"4850000000{c}": [f"message {n}" for n in range(6)] for c in range(4)}
    for n in range(6):
        for sender, texts in sent.items():
            await writer.append(sender, f"wamid.{sender}.{n}", {"text": texts[n]})
    clients = [client(redis_port), client(redis_port)]
    consumers = [IntakeConsumer(IntakeStream(c, "whatsapp", f"replica-{i}"), process, no_dead)
                 for i, c in enumerate(clients)]
    for c in consumers:
        c.start()
    await until(lambda: asyncio.sleep(0, len(done) == 24))
    await asyncio.sleep(0.3)
    for c in consumers:
        await c.stop()
    for sender, texts in sent.items():
        assert [text for who, text in done if who == sender] == texts
    assert await redis.xlen("intake:whatsapp") == 0
    assert await writer.processed("wamid.48500000000.5")  # a redelivery from Meta is recognised for 8 days
    assert 7 * 86400 < await redis.ttl("channels:seen:whatsapp:wamid.48500000000.5") <= 8 * 86400
    for c in clients:
        await c.close()


async def test_a_message_left_by_a_dead_consumer_is_claimed_and_processed_once(redis, redis_port, monkeypatch):
    monkeypatch.setattr(stream_module, "CLAIM_IDLE_MS", 300)
    monkeypatch.setattr(stream_module, "LEASE_MS", 600)
    dead = IntakeStream(redis, "messenger", "dead-replica")
    await dead.ensure_group()
    await dead.append("psid-1", "m_1", {"text": "where is my order?"})
    assert len(await dead.read(10, 100)) == 1  # read, and then the replica is killed mid-message
    assert await dead.take_lease("psid-1")
    assert await processed_by_another_replica(redis_port, "messenger", ["m_1"], settle=0.5) == ["m_1"]
    assert await redis.xpending("intake:messenger", "rasa") == {"pending": 0, "min": None, "max": None,
                                                                 "consumers": []}


async def test_a_poisoned_message_moves_aside_and_does_not_block_the_customer(redis):
    tries: list[str] = []
    told: list[tuple[str, str, dict]] = []

    async def process(entry: Entry) -> Outcome:
        tries.append(entry.data["text"])
        if entry.data["text"] == "poison":
            raise KeyError("crashes every time")
        return Outcome.DONE

    async def dead_letter(sender: str, message_id: str, data: dict) -> None:
        told.append((sender, message_id, data))

    writer = IntakeStream(redis, "rest")
    await writer.append("web-1", "a", {"text": "poison"})
    await writer.append("web-1", "b", {"text": "after it"})
    worker = IntakeConsumer(IntakeStream(redis, "rest", "replica"), process, dead_letter)
    worker.start()
    await until(lambda: asyncio.sleep(0, "after it" in tries))
    await worker.stop()
    assert tries == ["poison"] * stream_module.MAX_ATTEMPTS + ["after it"]
    assert told == [("web-1", "a", {"text": "poison"})]
    (_, fields), = await redis.xrange(DEAD_LETTERS)
    assert fields[b"channel"] == b"rest" and fields[b"error"] == b"KeyError" and fields[b"attempts"] == b"3"
    assert json.loads(fields[b"data"]) == {"text": "poison"}
    assert await redis.llen(inbox_key("rest", "web-1")) == 0


async def test_redis_errors_and_busy_parts_are_retried_without_counting_as_failures(redis):
    calls: list[str] = []

    async def process(entry: Entry) -> Outcome:
        calls.append("try")
        if len(calls) <= 3:
            raise RuntimeError("tracker store failed") from RedisConnectionError("Redis went away")
        if len(calls) <= 6:
            return Outcome.LATER  # the action server is down
        return Outcome.DONE

    async def no_dead(*_) -> None:
        raise AssertionError("a part being down is no poisoned message")

    writer = IntakeStream(redis, "whatsapp")
    await writer.append("48501", "wamid.x", {"text": "hej"})
    worker = IntakeConsumer(IntakeStream(redis, "whatsapp", "replica"), process, no_dead)
    worker.start()
    await until(lambda: writer.processed("wamid.x"))
    await worker.stop()
    assert len(calls) == 7
    assert await redis.xlen(DEAD_LETTERS) == 0


async def test_replies_still_sending_let_the_next_message_go_ahead_and_a_dead_senders_entry_is_claimed(
        redis, redis_port, monkeypatch):
    monkeypatch.setattr(stream_module, "CLAIM_IDLE_MS", 300)
    monkeypatch.setattr(stream_module, "SENDING_TTL_MS", 200)
    monkeypatch.setattr(consumer_module, "KEEP_CLAIMED_SECONDS", 0.1)
    first_seen: list[str] = []
    never_sent = asyncio.get_running_loop().create_future()  # the Graph API hangs; then the replica is killed

    async def sending(entry: Entry):
        first_seen.append(entry.message_id)
        return Sending(never_sent) if entry.message_id == "m_1" else Outcome.DONE

    writer = IntakeStream(redis, "whatsapp")
    await writer.append("4850", "m_1", {"text": "one"})
    await writer.append("4850", "m_2", {"text": "two"})
    dying_client = client(redis_port)
    dying = IntakeConsumer(IntakeStream(dying_client, "whatsapp", "dying"), sending, None)
    dying.start()
    await until(lambda: asyncio.sleep(0, first_seen == ["m_1", "m_2"]))  # m_2 did not wait for m_1's replies
    await asyncio.sleep(0.5)
    assert first_seen == ["m_1", "m_2"]  # kept claimed while sending: nobody took m_1 again
    assert (await redis.xpending("intake:whatsapp", "rasa"))["pending"] == 1  # m_1 stays pending meanwhile
    assert await writer.sending("m_1") and not await writer.processed("m_1")
    await dying.stop()
    await dying_client.close()

    assert await processed_by_another_replica(redis_port, "whatsapp", ["m_1"], settle=0.3) == ["m_1"]
    assert await writer.processed("m_1")
    assert (await redis.xpending("intake:whatsapp", "rasa"))["pending"] == 0
