"""The atomic lock store on a real Redis, after the pattern of Rasa's own tests/core/test_lock_store.py (serve
tickets in order, expiry, message order under load, lock error, independent conversations), plus a race between
several OS processes."""
from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
import textwrap

import pytest
from rasa.core.lock_store import LockError

from bot.settings import PROJECT_ROOT
from bot.stores.lock_store import AtomicRedisLockStore, conversation_hash
from tests.conftest import UNIT_DB


@pytest.fixture
def store(redis) -> AtomicRedisLockStore:
    return AtomicRedisLockStore(redis=redis, key_prefix="lock")


async def test_tickets_are_served_in_the_order_they_were_issued(store, redis):
    first = await store.issue("my id 1", 10)
    second = await store.issue("my id 1", 10)
    assert second == first + 1
    assert await store.tickets_ahead("my id 1", first) == 0
    assert await store.tickets_ahead("my id 1", second) == 1

    assert await store.release("my id 1", first) == 1
    assert await store.tickets_ahead("my id 1", second) == 0
    assert await store.release("my id 1", second) == 0
    assert await redis.keys("lock:*") == []  # nothing left behind once no one waits


async def test_an_expired_ticket_no_longer_holds_the_lock(store):
    stale = await store.issue("my id 2", 0.05)
    waiting = await store.issue("my id 2", 10)
    assert await store.tickets_ahead("my id 2", waiting) == 1
    await asyncio.sleep(0.1)
    assert await store.tickets_ahead("my id 2", stale) == -1
    assert await store.tickets_ahead("my id 2", waiting) == 0


async def test_messages_of_one_conversation_are_processed_in_arrival_order(store, redis):
    processed: list[int] = []

    async def handle(number: int, holdup: float) -> None:
        async with store.lock("some id"):
            await asyncio.sleep(holdup)  # later messages are quicker: without the lock they would overtake
            processed.append(number)

    tasks = []
    for number in range(10):
        tasks.append(asyncio.ensure_future(handle(number, 0.1 - number * 0.005)))
        while int(await redis.get("lock:{some id}:counter") or 0) < number + 1:
            await asyncio.sleep(0.001)  # this message has arrived (has its ticket) before the next one comes
    await asyncio.gather(*tasks)
    assert processed == list(range(10))


async def test_a_ticket_that_expires_while_waiting_raises_lock_error(store):
    async def handle() -> None:
        async with store.lock("some id", lock_lifetime=0.01):
            await asyncio.sleep(0.5)

    with pytest.raises(LockError):
        await asyncio.gather(handle(), handle())


async def test_other_conversations_are_not_held_up(store):
    async with store.lock("customer a"):
        async with store.lock("customer b"):
            pass  # would wait forever if the lock were not per conversation


async def test_the_wait_is_bounded_and_logged_without_the_conversation_id(redis, caplog):
    store = AtomicRedisLockStore(redis=redis, wait_timeout=0.3)
    caplog.set_level(logging.WARNING, logger="bot.stores.lock_store")
    async with store.lock("+4712345678"):
        with pytest.raises(LockError):
            async with store.lock("+4712345678"):
                pass
    assert "gave up waiting for the conversation lock" in caplog.text
    assert "1 message(s) ahead" in caplog.text
    assert conversation_hash("+4712345678") in caplog.text and "12345678" not in caplog.text
    async with store.lock("+4712345678"):  # the queue is clean again
        pass


async def test_the_next_message_starts_when_the_previous_one_releases(store):
    order: list[str] = []

    async def first() -> None:
        async with store.lock("quick"):
            await asyncio.sleep(0.05)
            order.append("first done")

    async def second() -> None:
        await asyncio.sleep(0.01)
        async with store.lock("quick"):
            order.append("second started")

    await asyncio.gather(first(), second())
    assert order == ["first done", "second started"]


async def test_a_cancelled_waiter_leaves_the_queue(store):
    async with store.lock("cancelled"):
        waiter = asyncio.ensure_future(store.lock("cancelled").__aenter__())
        await asyncio.sleep(0.05)
        waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
    async with store.lock("cancelled"):  # would wait for the cancelled ticket if it were still queued
        pass


RACER = textwrap.dedent("""
    import asyncio, json, sys
    from redis.asyncio import Redis
    from bot.stores.lock_store import AtomicRedisLockStore

    async def main(port, db, worker, rounds):
        redis = Redis(port=port, db=db)
        store = AtomicRedisLockStore(redis=redis)
        await redis.incr("race:ready")
        while int(await redis.get("race:ready")) < int(sys.argv[5]):
            await asyncio.sleep(0.01)

        async def turn(conversation):
            async with store.lock(conversation):
                # a read-modify-write that loses updates unless the lock excludes every other process
                value = int(await redis.get("race:" + conversation) or 0)
                await asyncio.sleep(0.002)
                await redis.set("race:" + conversation, value + 1)
                await redis.rpush("race:log:" + conversation, worker)

        await asyncio.gather(*(turn(f"c{n % 3}") for n in range(rounds)))
        # every process queues tickets for one conversation at the same time, and keeps them until all are issued
        tickets = await asyncio.gather(*(store.issue("tickets", 30) for _ in range(rounds)))
        await redis.incrby("race:issued", rounds)
        while int(await redis.get("race:issued")) < rounds * int(sys.argv[5]):
            await asyncio.sleep(0.01)
        for ticket in tickets:
            await store.release("tickets", ticket)
        print(json.dumps(tickets))
        await redis.close()

    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])))
""")


async def test_several_processes_never_hold_one_conversation_at_once(redis, redis_port):
    processes, rounds = 4, 30
    racers = [
        subprocess.Popen([sys.executable, "-c", RACER, str(redis_port), str(UNIT_DB), str(worker), str(rounds),
                          str(processes)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
        for worker in range(processes)
    ]
    outputs = [await asyncio.to_thread(racer.communicate, timeout=120) for racer in racers]
    assert all(racer.returncode == 0 for racer in racers)

    counts = [int(await redis.get(f"race:c{n}")) for n in range(3)]
    assert sum(counts) == processes * rounds  # no lost update: the lock excluded every other holder
    assert sorted(counts) == sorted(len(range(n, rounds, 3)) * processes for n in range(3))
    log = [await redis.lrange(f"race:log:c{n}", 0, -1) for n in range(3)]
    assert {worker.decode() for entries in log for worker in entries} == {str(w) for w in range(processes)}

    # the same conversation's tickets, issued by all processes at once: each number handed out once
    tickets = [ticket for stdout, _ in outputs for ticket in json.loads(stdout.strip().splitlines()[-1])]
    assert len(set(tickets)) == processes * rounds
    # no queue left behind (a wake-up list pushed for a ticket that never waited expires within seconds)
    assert [key for key in await redis.keys("lock:*") if b":wake:" not in key] == []
