"""One channel's consumer in one Rasa process: reads the stream as a member of the group, claims what a dead
replica left behind, and processes each customer's inbox in order under the customer's lease."""
from __future__ import annotations

import asyncio
import enum
import json
import logging
import os
import socket
import time
from dataclasses import dataclass
from typing import Awaitable, Callable, Optional, Union

from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.intake.stream import LEASE_MS, MAX_ATTEMPTS, Entry, IntakeStream

logger = logging.getLogger(__name__)

READ_BLOCK_MS = 1000
CLAIM_EVERY_SECONDS = 1.0
POLL_SECONDS = 0.25
KEEP_CLAIMED_SECONDS = 2.0
RETRY_SECONDS = 1.0
CONCURRENCY = 32


class PartUnavailable(Exception):
    """Something the message needs is not there yet (the model still loading): try again, it is no failure."""


class Outcome(enum.Enum):
    DONE = "done"  # processed (or found processed already): remove it
    LATER = "later"  # a part it needs is down: keep it, in its place, and try again


@dataclass(frozen=True)
class Sending:
    """Processed, its replies still going out (a Graph API retry can take seconds): the customer's next message
    goes ahead, and the entry is finished once `done` has completed. A replica that dies before leaves the entry
    pending outside the customer's line; another claims it and sends what was not sent."""

    done: Awaitable[None]


Processor = Callable[[Entry], Awaitable[Union[Outcome, Sending]]]
DeadLetterHook = Callable[[str, str, dict], Awaitable[None]]  # sender, message id, the entry's data (may be {})


def entry_data(fields: dict[bytes, bytes]) -> dict:
    """The entry's data as far as it can be read ({} when it cannot)."""
    try:
        data = json.loads(fields.get(b"data", b"{}"))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def consumer_name() -> str:
    """Unique per process: a replica (or a Sanic worker) is one consumer of the group."""
    return f"{socket.gethostname()}-{os.getpid()}"


def caused_by(error: BaseException, kinds: tuple[type[BaseException], ...]) -> bool:
    """Whether the error or anything that led to it is one of `kinds` (Redis down under Rasa's tracker store)."""
    seen: set[int] = set()
    current: Optional[BaseException] = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kinds):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class IntakeConsumer:
    def __init__(self, stream: IntakeStream, process: Processor, on_dead_letter: DeadLetterHook,
                 transient: tuple[type[BaseException], ...] = ()) -> None:
        self.stream = stream
        self.process = process
        self.on_dead_letter = on_dead_letter
        self.transient = (RedisError, OSError, asyncio.TimeoutError, PartUnavailable) + transient
        self._tasks: set[asyncio.Task] = set()
        self._finishing: set[asyncio.Task] = set()
        self._sending: set[str] = set()  # stream ids whose replies this consumer is still sending
        self._handling: set[str] = set()
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self._runner: Optional[asyncio.Task] = None

    def start(self) -> None:
        self._runner = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        tasks = [t for t in [self._runner, *self._tasks, *self._finishing] if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def run(self) -> None:
        name = self.stream.channel
        group_ready, last_claim = False, 0.0
        while True:
            try:
                if not group_ready:
                    await self.stream.ensure_group()
                    group_ready = True
                entries = []
                if time.monotonic() - last_claim > CLAIM_EVERY_SECONDS:
                    last_claim = time.monotonic()
                    entries += await self.stream.claim_abandoned(CONCURRENCY)
                entries += await self.stream.read(CONCURRENCY, READ_BLOCK_MS)
            except RedisTimeoutError:
                continue  # a read that outlived its timeout (a starved event loop): read again at once
            except RedisError as error:
                logger.warning("%s intake: Redis unavailable (%s), reading again in a second", name,
                               type(error).__name__)
                group_ready = False
                await asyncio.sleep(RETRY_SECONDS)
                continue
            for stream_id, fields in entries:
                if stream_id in self._handling or stream_id in self._sending:
                    continue
                await self._slots.acquire()
                self._handling.add(stream_id)
                task = asyncio.get_running_loop().create_task(self._handle(stream_id, fields))
                self._tasks.add(task)
                task.add_done_callback(lambda done, stream_id=stream_id: self._done(done, stream_id))

    def _done(self, task: asyncio.Task, stream_id: str) -> None:
        self._tasks.discard(task)
        self._handling.discard(stream_id)
        self._slots.release()

    async def _handle(self, stream_id: str, fields: dict[bytes, bytes]) -> None:
        """Wait for the customer's lease, unless another consumer already processed this entry."""
        sender = fields.get(b"sender", b"").decode()
        kept_at = time.monotonic()
        while True:
            try:
                if not await self.stream.in_inbox(sender, stream_id):
                    if stream_id in self._sending:  # its replies are being sent here; finished after
                        return
                    if await self.stream.entry(stream_id) is None:  # finished or set aside by another consumer
                        await self.stream.acknowledge(stream_id)
                        return
                    # Out of the line but not finished: its replica died while sending the replies.
                    if await self.stream.take_lease(sender):
                        try:
                            if await self._process_one(sender, stream_id, fields):
                                return
                        finally:
                            await self.stream.release_lease(sender)
                        await asyncio.sleep(RETRY_SECONDS)
                    else:
                        await asyncio.sleep(POLL_SECONDS)
                    continue
                if await self.stream.take_lease(sender):
                    try:
                        later = await self._drain(sender)
                    finally:
                        await self.stream.release_lease(sender)
                    if later:
                        await asyncio.sleep(RETRY_SECONDS)
                    continue
                if time.monotonic() - kept_at > KEEP_CLAIMED_SECONDS:
                    await self.stream.keep_claimed(stream_id)
                    kept_at = time.monotonic()
                await asyncio.sleep(POLL_SECONDS)
            except RedisError:
                await asyncio.sleep(RETRY_SECONDS)

    async def _drain(self, sender: str) -> bool:
        """Process the customer's inbox from its head while we hold the lease; True when something must wait."""
        keeper = asyncio.get_running_loop().create_task(self._keep_lease(sender))
        try:
            while True:
                head = await self.stream.head(sender)
                if head is None:
                    return False
                fields = await self.stream.entry(head)
                if fields is None:
                    await self.stream.drop(sender, head)
                    continue
                if not await self._process_one(sender, head, fields):
                    return True
                if keeper.done():  # the lease was lost (Redis failed over): let the loop take it again
                    return False
        finally:
            keeper.cancel()

    async def _process_one(self, sender: str, stream_id: str, fields: dict[bytes, bytes]) -> bool:
        """Process one entry; False when it stays at the head for a later try."""
        message_id = fields.get(b"message_id", b"").decode()
        try:
            entry = Entry.from_fields(self.stream.channel, stream_id, fields)
            outcome = await self.process(entry)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - any failure of one message must not stop the others
            if caused_by(error, self.transient):
                logger.warning("%s intake: a part is unavailable (%s), the message waits", self.stream.channel,
                               type(error).__name__)
                return False
            attempts = await self.stream.failed_attempt(stream_id)
            logger.error("%s intake: processing failed (%s), attempt %d of %d", self.stream.channel,
                         type(error).__name__, attempts, MAX_ATTEMPTS)
            if attempts < MAX_ATTEMPTS:
                return False
            await self.stream.dead_letter(stream_id, sender, message_id, type(error).__name__, attempts, fields)
            logger.error("%s intake: message moved to the dead-letter stream after %d attempts",
                         self.stream.channel, attempts)
            try:
                await self.on_dead_letter(sender, message_id, entry_data(fields))
            except Exception:  # noqa: BLE001
                logger.exception("%s intake: could not tell the customer about a failed message", self.stream.channel)
            return True
        if outcome is Outcome.LATER:
            return False
        if isinstance(outcome, Sending):
            await self.stream.leave_line(entry)
            task = asyncio.get_running_loop().create_task(self._finish_after(entry, outcome.done))
            self._finishing.add(task)
            self._sending.add(stream_id)
            task.add_done_callback(lambda done: (self._finishing.discard(done), self._sending.discard(stream_id)))
            return True
        await self.stream.finish(entry)
        return True

    async def _finish_after(self, entry: Entry, done: Awaitable[None]) -> None:
        """Keep the entry claimed (no other replica sends its replies again) until they are sent, then finish it."""
        waiter = asyncio.ensure_future(done)
        while not (await asyncio.wait({waiter}, timeout=KEEP_CLAIMED_SECONDS))[0]:
            try:
                await self.stream.keep_sending(entry)
            except RedisError:
                pass
        while True:
            try:
                await self.stream.finish(entry)
                return
            except RedisError:
                await asyncio.sleep(RETRY_SECONDS)

    async def _keep_lease(self, sender: str) -> None:
        """Renew the lease while processing; ends when it could not be renewed."""
        while True:
            await asyncio.sleep(LEASE_MS / 4000)
            try:
                if not await self.stream.renew_lease(sender):
                    logger.warning("%s intake: lost a customer's lease", self.stream.channel)
                    return
            except RedisError:
                return
