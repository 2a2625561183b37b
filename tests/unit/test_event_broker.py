"""The Redis stream event broker: events reach the stream, and a Redis outage neither blocks nor loses them."""
from __future__ import annotations

import asyncio
import subprocess
import time

from redis.asyncio import Redis

from bot.events import RedisStreamBroker, all_events
from bot.services import free_port, port_open, redis_server_binary, wait_until


def start_redis(port: int, data_dir) -> subprocess.Popen:
    process = subprocess.Popen(
        [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir), "--save", ""],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: port_open("127.0.0.1", port), 15, "Redis", process)
    return process


async def wait_for(condition, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_every_published_event_lands_in_the_stream_in_order(redis_port):
    redis = Redis(host="127.0.0.1", port=redis_port, db=4)
    await redis.flushdb()
    broker = RedisStreamBroker(Redis(host="127.0.0.1", port=redis_port, db=4))
    for number in range(50):
        broker.publish({"sender_id": "c1", "event": "user", "text": f"message {number}"})

    async def all_written() -> bool:
        return await redis.xlen("events") == 50

    await wait_for(all_written)
    texts = [event["text"] async for event in all_events(redis)]
    assert texts == [f"message {number}" for number in range(50)]
    await broker.close()
    await redis.flushdb()
    await redis.close()


async def test_closing_while_the_writer_runs_writes_every_event_once_in_order(redis_port):
    """Rasa closes the broker on shutdown while the background writer may be mid-batch: nothing twice, nothing lost."""
    redis = Redis(host="127.0.0.1", port=redis_port, db=4)
    await redis.flushdb()
    broker = RedisStreamBroker(Redis(host="127.0.0.1", port=redis_port, db=4))
    for number in range(2000):
        broker.publish({"sender_id": "c1", "event": "user", "text": f"message {number}"})
    await asyncio.sleep(0)  # the writer task starts its first batch
    await broker.close()
    texts = [event["text"] async for event in all_events(redis)]
    assert texts == [f"message {number}" for number in range(2000)]
    await redis.flushdb()
    await redis.close()


async def test_an_outage_does_not_block_and_events_arrive_when_redis_is_back(tmp_path):
    port = free_port()
    broker = RedisStreamBroker(Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5))
    started = time.monotonic()
    for number in range(20):
        broker.publish({"sender_id": "c1", "event": "user", "text": f"while down {number}"})
    assert time.monotonic() - started < 0.5  # publishing only buffers
    await asyncio.sleep(1)
    assert len(broker.pending) == 20
    process = start_redis(port, tmp_path)
    try:
        redis = Redis(host="127.0.0.1", port=port)

        async def all_written() -> bool:
            return await redis.xlen("events") == 20

        await wait_for(all_written, seconds=20)
        assert [event["text"] async for event in all_events(redis)][-1] == "while down 19"
        await broker.close()
        await redis.close()
    finally:
        process.terminate()
        process.wait(10)
