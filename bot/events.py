"""The event stream: every tracker event, published by Rasa to a Redis stream that the desk and `bot stats` read.

`RedisStreamBroker.publish` only appends to an in-memory buffer; a background task writes the buffer to Redis.
When Redis is down the customer's conversation goes on (the tracker store keeps it), events wait in the
buffer and are written when Redis is back; only when the buffer is full are the oldest events dropped.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from typing import Any, AsyncIterator, Optional

from rasa.core.brokers.broker import EventBroker
from rasa.utils.endpoints import EndpointConfig
from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot import metrics
from bot.redis_connection import redis_from_endpoint

logger = logging.getLogger(__name__)

STREAM = "events"
MAX_STREAM_LENGTH = 200_000
BUFFER_SIZE = 20_000
_BATCH = 200
_RETRY_SECONDS = (0.5, 1, 2, 5)


def entry_fields(event: dict[str, Any]) -> dict[str, str]:
    """How one tracker event is stored in the stream: searchable fields plus the whole event as JSON."""
    return {
        "sender_id": str(event.get("sender_id", "")),
        "event": str(event.get("event", "")),
        "data": json.dumps(event, ensure_ascii=False),
    }


def event_from_fields(fields: dict[bytes, bytes]) -> dict[str, Any]:
    return json.loads(fields[b"data"])


class RedisStreamBroker(EventBroker):
    """Rasa event broker: `event_broker: {type: bot.events.RedisStreamBroker, url, port, db}` in endpoints.yml."""

    def __init__(self, redis: Redis, stream: str = STREAM, max_length: int = MAX_STREAM_LENGTH,
                 buffer_size: int = BUFFER_SIZE) -> None:
        self.redis = redis
        self.stream = stream
        self.max_length = max_length
        self.pending: deque[dict[str, Any]] = deque(maxlen=buffer_size)
        self.dropped = 0
        self._wake = asyncio.Event()
        self._flushing = asyncio.Lock()
        self._writer: Optional[asyncio.Task] = None

    @classmethod
    async def from_endpoint_config(
        cls, broker_config: EndpointConfig, event_loop: Optional[asyncio.AbstractEventLoop] = None
    ) -> "RedisStreamBroker":
        options = broker_config.kwargs
        redis = redis_from_endpoint({"url": broker_config.url, **options})
        return cls(redis, stream=options.get("stream", STREAM))

    def publish(self, event: dict[str, Any]) -> None:
        """Never blocks and never raises: the event is buffered and written in the background."""
        metrics.observe_event(event)
        if len(self.pending) == self.pending.maxlen:
            self.dropped += 1
        self.pending.append(event)
        self._wake.set()
        if self._writer is None or self._writer.done():
            try:
                self._writer = asyncio.get_running_loop().create_task(self._write_forever())
            except RuntimeError:
                logger.warning("No running event loop: the event stays buffered until the next publish.")

    async def flush(self) -> None:
        """Write everything buffered now (raises when Redis is unreachable); one flush at a time, so the writer
        task and `close` never write a batch twice or take away each other's events."""
        async with self._flushing:
            while self.pending:
                batch = [self.pending.popleft() for _ in range(min(_BATCH, len(self.pending)))]
                try:
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for event in batch:
                            pipe.xadd(self.stream, entry_fields(event), maxlen=self.max_length, approximate=True)
                        await pipe.execute()
                except BaseException:
                    self.pending.extendleft(reversed(batch))  # back at the front, in order, for the next try
                    raise

    async def _write_forever(self) -> None:
        failures = 0
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.flush()
                failures = 0
            except (RedisError, OSError) as error:
                metrics.REDIS_ERRORS.labels("event_broker").inc()
                delay = _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)]
                failures += 1
                logger.warning("Event stream unavailable (%s); %d events buffered, retrying in %ss",
                               type(error).__name__, len(self.pending), delay)
                await asyncio.sleep(delay)
                self._wake.set()

    def is_ready(self) -> bool:
        return True

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.flush(), timeout=5)
        except (RedisError, OSError, asyncio.TimeoutError):
            logger.warning("Closing the event stream with %d events unwritten", len(self.pending))
        if self._writer is not None:
            self._writer.cancel()
        await self.redis.close()


async def read_events(redis: Redis, after: str = "0-0", count: int = 1000,
                      stream: str = STREAM) -> list[tuple[str, dict[str, Any]]]:
    """Events written after the stream id `after`, oldest first."""
    entries = await redis.xrange(stream, min=f"({after}" if after != "0-0" else "-", count=count)
    return [(entry_id.decode(), event_from_fields(fields)) for entry_id, fields in entries]


async def all_events(redis: Redis, since_timestamp: float = 0.0, stream: str = STREAM
                     ) -> AsyncIterator[dict[str, Any]]:
    """Every event in the stream from `since_timestamp` (seconds), oldest first."""
    start = f"{int(since_timestamp * 1000)}-0" if since_timestamp else "-"
    while True:
        entries = await redis.xrange(stream, min=start, count=5000)
        for _, fields in entries:
            yield event_from_fields(fields)
        if len(entries) < 5000:
            return
        start = f"({entries[-1][0].decode()}"


async def follow(redis: Redis, after: str = "$", block_ms: int = 15000,
                 stream: str = STREAM) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """Events as they are written, forever (for live views)."""
    last = after
    if last == "$":
        newest = await redis.xrevrange(stream, count=1)
        last = newest[0][0].decode() if newest else "0-0"
    while True:
        result = await redis.xread({stream: last}, block=block_ms, count=500)
        for _, entries in result:
            for entry_id, fields in entries:
                last = entry_id.decode()
                yield last, event_from_fields(fields)
