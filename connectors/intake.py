"""The durable intake inside a Rasa process, shared by the Messenger, WhatsApp and web chat channels.

Each channel's blueprint starts one consumer (`bot.intake.consumer`) after the server started (Rasa's agent is
loaded then) and stops it with the server: Rasa's own extension points, nothing patched. This module adds what needs
Rasa: "was this message id handled already?" against the tracker, the customer's language from the loaded model
(no Redis needed), whether the action server answers, and a memory buffer for messages that arrive while Redis is
down (appended as soon as it is back).
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from typing import Any, Optional

import aiohttp
from rasa.core.lock_store import LockError
from rasa.core.channels.channel import UserMessage
from rasa.shared.core.events import UserUttered
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sanic import Blueprint, Sanic

from bot.intake.consumer import DeadLetterHook, IntakeConsumer, PartUnavailable, Processor, consumer_name
from bot.intake.stream import IntakeStream
from bot.intake.texts import language_for
from bot.redis_connection import redis_client
from bot.settings import Settings

logger = logging.getLogger(__name__)

HEALTH_CACHE_SECONDS = 1.0
CONSUMER_SOCKET_TIMEOUT = 30.0
BUSY_REPEAT_SECONDS = 120.0  # a customer is told "busy" at most this often
SPILL_LIMIT = 10_000
SPILL_RETRY_SECONDS = 1.0
HANDLED_HERE = 10_000  # message ids this process answered, remembered for when Redis fails right after


class Intake:
    """One channel's intake in this process."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.app: Optional[Sanic] = None
        self._redis: Optional[Redis] = None
        self._consumer: Optional[IntakeConsumer] = None
        self._spill: deque[tuple[str, str, dict[str, Any], str]] = deque(maxlen=SPILL_LIMIT)
        self._spill_task: Optional[asyncio.Task] = None
        self._busy_told: dict[str, float] = {}
        self._actions_checked = (0.0, True)
        self._http: Optional[aiohttp.ClientSession] = None
        self._handled_here: OrderedDict[str, None] = OrderedDict()

    # ---- wiring ------------------------------------------------------------------------------------------------
    def redis(self) -> Redis:
        """One connection pool per process, created inside the server's event loop."""
        if self._redis is None:
            self._redis = redis_client()
        return self._redis

    def stream(self) -> IntakeStream:
        return IntakeStream(self.redis(), self.channel, consumer_name())

    def attach(self, blueprint: Blueprint, process: Processor, on_dead_letter: DeadLetterHook) -> None:
        """Start the consumer with the server and stop it with the server."""

        async def start(app: Sanic, *_: Any) -> None:
            self.app = app
            # Its own client with a long read timeout: Rasa's NLU can hold the event loop for seconds under load,
            # and a blocking read that looks timed out is not Redis being down.
            reader = IntakeStream(redis_client(socket_timeout=CONSUMER_SOCKET_TIMEOUT), self.channel, consumer_name())
            self._consumer = IntakeConsumer(reader, process, on_dead_letter, transient=(LockError,))
            self._consumer.start()

        async def stop(*_: Any) -> None:
            if self._consumer is not None:
                await self._consumer.stop()
                await self._consumer.stream.redis.close()
            if self._spill_task is not None:
                self._spill_task.cancel()
            if self._http is not None:
                await self._http.close()
            if self._redis is not None:
                await self._redis.close()

        blueprint.listener("after_server_start")(start)
        blueprint.listener("before_server_stop")(stop)

    # ---- accepting ---------------------------------------------------------------------------------------------
    async def accept(self, sender: str, message_id: str, data: dict[str, Any], reply: str = "none") -> Optional[str]:
        """Append to the stream; when Redis is down keep it in memory (appended once Redis is back) and return None."""
        try:
            return await self.stream().append(sender, message_id, data, reply)
        except RedisError:
            self._spill.append((sender, message_id, data, "outbox" if reply == "wait" else reply))
            if self._spill_task is None or self._spill_task.done():
                self._spill_task = asyncio.get_running_loop().create_task(self._append_spilled())
            logger.error("%s intake: Redis unavailable, %d message(s) kept in memory until it is back", self.channel,
                         len(self._spill))
            return None

    async def _append_spilled(self) -> None:
        while self._spill:
            sender, message_id, data, reply = self._spill[0]
            try:
                if not await self.stream().processed(message_id):
                    await self.stream().append(sender, message_id, data, reply)
                self._spill.popleft()
            except RedisError:
                await asyncio.sleep(SPILL_RETRY_SECONDS)
        logger.info("%s intake: messages kept in memory are in the stream again", self.channel)

    async def processed(self, message_id: str) -> bool:
        return await self.stream().processed(message_id)

    # ---- processing --------------------------------------------------------------------------------------------
    async def already_handled(self, sender: str, message_id: str) -> bool:
        """Processed before: the de-duplication key, or the message id among the tracker's user messages
        (a replica that died after Rasa saved the turn, before it marked the message)."""
        if not message_id:
            return False
        if message_id in self._handled_here or await self.stream().processed(message_id):
            return True
        store = self.app.ctx.agent.tracker_store if self.app else None
        # Rasa wraps the store in a FailSafeTrackerStore that reads "no conversation" when Redis fails: ask the
        # store itself, so that an error is an error (the message waits) and never a reason to answer again.
        store = getattr(store, "_tracker_store", store)
        if store is None:
            return False
        if hasattr(store, "has_user_message"):  # ours: one set lookup, not the conversation read and replayed
            return await store.has_user_message(sender, message_id)
        tracker = await store.retrieve(sender)
        return tracker is not None and any(
            isinstance(event, UserUttered) and event.message_id == message_id for event in tracker.events)

    async def handle_once(self, message: UserMessage) -> None:
        """Rasa's `Agent.handle_message`, with "handled already?" asked again inside the conversation lock: two
        replicas that both hold a message (a lease lost in a Redis failover) answer it once."""
        agent = self.app.ctx.agent if self.app else None
        if agent is None or not agent.is_ready():
            raise PartUnavailable("the model is not loaded yet")
        async with agent.lock_store.lock(message.sender_id):
            if not await self.already_handled(message.sender_id, message.message_id):
                await agent.processor.handle_message(message)
                self._handled_here[message.message_id] = None  # in case marking it processed fails next
                while len(self._handled_here) > HANDLED_HERE:
                    self._handled_here.popitem(last=False)

    async def language(self, text: str, metadata: Optional[dict[str, Any]] = None) -> str:
        """The customer's language from the loaded model's language detector (in memory), else the channel's hint."""
        detected = None
        agent = self.app.ctx.agent if self.app else None
        if agent is not None and text and agent.is_ready():
            try:
                parsed = await agent.parse_message(text[:500])
                found = parsed.get("language")
                detected = found.get("code") if isinstance(found, dict) else found
            except Exception:  # noqa: BLE001 - the busy message must go out anyway
                logger.warning("%s intake: could not detect the language of a message", self.channel)
        return language_for(detected, metadata)

    async def action_server_up(self) -> bool:
        """Whether the action server answers its health check (cached for a second)."""
        checked_at, up = self._actions_checked
        if time.monotonic() - checked_at < HEALTH_CACHE_SECONDS:
            return up
        url = Settings().action_server_url.rsplit("/webhook", 1)[0] + "/health"
        if self._http is None:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2))
        try:
            async with self._http.get(url) as response:
                up = response.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
            up = False
        self._actions_checked = (time.monotonic(), up)
        if up:
            self._busy_told.clear()
        return up

    def should_tell_busy(self, sender: str) -> bool:
        """Once per customer per outage (and not more often than every two minutes)."""
        now = time.monotonic()
        if now - self._busy_told.get(sender, -BUSY_REPEAT_SECONDS) < BUSY_REPEAT_SECONDS:
            return False
        self._busy_told[sender] = now
        return True


