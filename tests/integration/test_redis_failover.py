"""Redis with a replica and three Sentinels: the master is killed (kill -9), the Sentinels promote the replica, and
the intake goes on through the one connection factory every component uses, losing nothing."""
from __future__ import annotations

import asyncio
import time

from bench.sentinels import MASTER_NAME, SentinelRedis
from bot.intake import consumer as consumer_module
from bot.intake.consumer import IntakeConsumer, Outcome
from bot.intake.stream import Entry, IntakeStream
from bot.redis_connection import redis_client
from bot.settings import Settings


async def test_the_intake_goes_on_after_a_sentinel_failover(tmp_path, monkeypatch):
    monkeypatch.setattr(consumer_module, "RETRY_SECONDS", 0.2)
    cluster = SentinelRedis(tmp_path).start()
    try:
        settings = Settings(redis_sentinels=cluster.sentinels, redis_sentinel_master=MASTER_NAME, redis_db=0)
        writer, reader = redis_client(settings), redis_client(settings)
        done: list[str] = []

        async def process(entry: Entry) -> Outcome:
            done.append(entry.message_id)
            return Outcome.DONE

        async def no_dead(*_) -> None:
            raise AssertionError("a failover is no poisoned message")

        consumer = IntakeConsumer(IntakeStream(reader, "whatsapp", "replica-a"), process, no_dead)
        consumer.start()
        stream = IntakeStream(writer, "whatsapp")
        for n in range(5):
            await stream.append("48501", f"before-{n}", {"text": f"message {n}"})
        await until(lambda: len(done) == 5)
        await writer.execute_command("WAIT", 1, 2000)  # the replica has it all

        old = cluster.kill_master()
        started = time.monotonic()
        for n in range(5):
            while True:  # what a webhook does: it answers 503 until Redis takes the message
                try:
                    await stream.append("48501", f"after-{n}", {"text": f"later {n}"})
                    break
                except Exception:  # noqa: BLE001
                    assert time.monotonic() - started < 30, "no new master within 30 s"
                    await asyncio.sleep(0.2)
        assert cluster.master_port() != old
        await until(lambda: len(done) >= 10)
        await consumer.stop()
        assert done[:5] == [f"before-{n}" for n in range(5)]
        assert done[5:] == [f"after-{n}" for n in range(5)]
        await writer.close()
        await reader.close()
    finally:
        cluster.stop()


async def until(check, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.1)
