"""The handoff queue against a real Redis server (database 2, flushed around each test)."""
from __future__ import annotations

import asyncio
import json

import pytest
from redis.asyncio import Redis

from bot.handoff.queue import Ticket, TicketQueue
from tests.conftest import UNIT_DB


class FakeClock:
    """Deterministic time for ordering tests; the Redis server is real."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def queue(redis, clock) -> TicketQueue:
    return TicketQueue(redis, clock=clock)


def ticket(conversation: str, language: str = "pl", priority: int = 0, reason: str = "request_human") -> Ticket:
    return Ticket(conversation_id=conversation, channel="web", language=language, reason=reason, priority=priority,
                  customer_name="Ola", summary=["customer: chcę rozmawiać z człowiekiem"])


async def test_asking_twice_keeps_one_ticket(queue):
    first, created = await queue.enqueue(ticket("c1"))
    second, created_again = await queue.enqueue(ticket("c1", reason="complain"))
    assert created and not created_again
    assert second.id == first.id and second.reason == "request_human"
    assert [t.id for t in await queue.waiting(["pl"])] == [first.id]


async def test_fields_are_kept(queue):
    stored, _ = await queue.enqueue(ticket("c1"))
    assert (stored.conversation_id, stored.channel, stored.language, stored.customer_name, stored.state) == (
        "c1", "web", "pl", "Ola", "waiting")
    assert stored.summary == ["customer: chcę rozmawiać z człowiekiem"]


async def test_priority_first_then_longest_waiting(queue, clock):
    old, _ = await queue.enqueue(ticket("old"))
    clock.advance(60)
    newer, _ = await queue.enqueue(ticket("newer"))
    clock.advance(60)
    vip, _ = await queue.enqueue(ticket("vip", priority=5))
    assert [t.conversation_id for t in await queue.waiting(["pl"])] == ["vip", "old", "newer"]


async def test_agents_see_only_their_languages(queue):
    await queue.enqueue(ticket("greek", language="el"))
    await queue.enqueue(ticket("polish", language="pl"))
    await queue.enqueue(ticket("danish", language="da"))
    assert {t.conversation_id for t in await queue.waiting(["el", "da"])} == {"greek", "danish"}
    assert await queue.waiting(["nb"]) == []


async def test_claim_is_atomic_under_concurrency(redis_port, clock):
    clients = [Redis(host="127.0.0.1", port=redis_port, db=UNIT_DB) for _ in range(20)]
    try:
        queues = [TicketQueue(client, clock=clock) for client in clients]
        stored, _ = await queues[0].enqueue(ticket("contested"))
        results = await asyncio.gather(*(q.claim(stored.id, f"agent{i}") for i, q in enumerate(queues)))
        winners = [r for r in results if r is not None]
        assert len(winners) == 1
        assert (await queues[0].get(stored.id)).agent == winners[0].agent
        assert await queues[0].waiting(["pl"]) == []
    finally:
        await asyncio.gather(*(client.close() for client in clients))


async def test_release_puts_the_ticket_back_in_its_place(queue, clock):
    first, _ = await queue.enqueue(ticket("first"))
    clock.advance(10)
    await queue.enqueue(ticket("second"))
    await queue.claim(first.id, "marta")
    assert await queue.release(first.id, "someone-else") is None
    released = await queue.release(first.id, "marta")
    assert released.state == "waiting" and released.agent is None
    assert [t.conversation_id for t in await queue.waiting(["pl"])] == ["first", "second"]


async def test_transfer_only_by_the_holder(queue):
    stored, _ = await queue.enqueue(ticket("c1"))
    await queue.claim(stored.id, "marta")
    assert await queue.transfer(stored.id, "piotr", "anna") is None
    assert (await queue.transfer(stored.id, "marta", "anna")).agent == "anna"


async def test_close_then_the_conversation_can_open_a_new_ticket(queue):
    stored, _ = await queue.enqueue(ticket("c1"))
    await queue.claim(stored.id, "marta")
    closed = await queue.close(stored.id, "resolved")
    assert closed.state == "closed" and closed.resolution == "resolved"
    assert await queue.open_ticket("c1") is None
    assert await queue.close(stored.id, "resolved") is None  # closing twice changes nothing
    reopened, created = await queue.enqueue(ticket("c1"))
    assert created and reopened.id != stored.id


async def test_statistics(queue, clock):
    a, _ = await queue.enqueue(ticket("a"))
    clock.advance(120)
    await queue.enqueue(ticket("b"))
    await queue.claim(a.id, "marta")
    clock.advance(30)
    await queue.record_first_response(a.id)  # 150 s after a was opened
    await queue.record_first_response(a.id)  # a second reply does not count again
    stats = await queue.stats(["pl"])
    assert stats == {"waiting": 1, "oldest_wait_seconds": 30.0, "median_first_response_seconds": 150.0}


async def test_open_tickets_and_the_latest_ticket_survive_closing(queue):
    first, _ = await queue.enqueue(ticket("c1"))
    second, _ = await queue.enqueue(ticket("c2", language="el"))
    await queue.claim(second.id, "nikos")
    assert [t.id for t in await queue.open_tickets()] == [first.id, second.id]
    await queue.close(first.id, "resolved")
    assert [t.id for t in await queue.open_tickets()] == [second.id]
    assert (await queue.latest_ticket("c1")).state == "closed"
    assert await queue.open_ticket("c1") is None


async def test_a_rating_is_kept_once_and_only_on_a_closed_ticket(queue):
    stored, _ = await queue.enqueue(ticket("c1"))
    assert await queue.rate(stored.id, 5) is None  # still open
    await queue.close(stored.id, "resolved")
    assert (await queue.rate(stored.id, 4)).rating == 4
    assert await queue.rate(stored.id, 1) is None
    assert (await queue.get(stored.id)).rating == 4
    assert [t.rating for t in await queue.all_tickets()] == [4]


async def test_every_change_is_announced_to_live_views(queue, redis):
    pubsub = redis.pubsub()
    await pubsub.subscribe("handoff:changes")
    await pubsub.get_message(timeout=1)  # the subscription confirmation
    stored, _ = await queue.enqueue(ticket("c1"))
    await queue.claim(stored.id, "ola")
    states = [json.loads((await pubsub.get_message(timeout=2))["data"])["state"] for _ in range(2)]
    await pubsub.close()
    assert states == ["waiting", "claimed"]


async def test_median_handling_time_from_claim_to_close(queue, clock):
    for conversation, minutes in (("c1", 4), ("c2", 10), ("c3", 6)):
        stored, _ = await queue.enqueue(ticket(conversation))
        await queue.claim(stored.id, "ola")
        clock.advance(minutes * 60)
        await queue.close(stored.id, "resolved")
    assert await queue.median_handling_seconds() == 360
