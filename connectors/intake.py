"""The durable intake inside a Rasa process, shared by the Messenger, WhatsApp and web chat channels.

Each channel's blueprint starts one consumer (`bot.intake.consumer`) after the server started (Rasa's agent is
loaded then) and stops it with the server: Rasa's own extension points, nothing patched. This module adds what needs
Rasa: "was this message id handled already?" against the tracker, the customer's language from the loaded model
(no Redis needed), whether the action server answers, and a memory buffer for messages that arrive while Redis is
down (appended as soon as it is back). A turn saved but not finished is finished from the tracker: resumed when the
action server could not be reached mid-turn, and its replies not counted as sent are sent (`connectors/turns.py`,
`bot/intake/turns.py`).
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections import OrderedDict, deque
from typing import Any, Callable, Optional

import aiohttp
from rasa.core.lock_store import LockError
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.shared.core.trackers import DialogueStateTracker
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sanic import Blueprint, Sanic

from bot.intake.consumer import DeadLetterHook, IntakeConsumer, PartUnavailable, Processor, consumer_name
from bot.intake.stream import IntakeStream
from bot.intake.texts import language_for
from bot.intake.turns import Resume, TurnMarks
from bot.redis_connection import redis_client
from bot.settings import Settings
from connectors.turns import (Turn, failed_in_turn, has_message, resumed_since, revert_failed_action, turn_replies,
                              watch_action_failures, watching)

logger = logging.getLogger(__name__)

HEALTH_CACHE_SECONDS = 1.0
CONSUMER_SOCKET_TIMEOUT = 30.0
BUSY_REPEAT_SECONDS = 120.0  # a customer is told "busy" at most this often
SPILL_LIMIT = 10_000
SPILL_RETRY_SECONDS = 1.0
HANDLED_HERE = 10_000  # message ids this process answered, remembered for when Redis fails right after
NEW, SAVED, DONE = "new", "saved", "done"


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
            watch_action_failures()
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

    # ---- processing ------------------------------------------------------------------------------------------
    def marks(self) -> TurnMarks:
        return TurnMarks(self.redis(), self.channel)

    def _agent(self) -> Any:
        agent = self.app.ctx.agent if self.app else None
        if agent is None or not agent.is_ready():
            raise PartUnavailable("the model is not loaded yet")
        return agent

    def _store(self) -> Any:
        """Rasa wraps the store in a FailSafeTrackerStore that reads "no conversation" (and saves nothing) when Redis
        fails: use the store itself, so that an error is an error (the message waits), never a reason to answer
        again."""
        store = self.app.ctx.agent.tracker_store if self.app and self.app.ctx.agent else None
        return getattr(store, "_tracker_store", store)

    async def _stored(self, sender: str) -> Optional[DialogueStateTracker]:
        store = self._store()
        return await store.retrieve(sender) if store is not None else None

    async def status(self, sender: str, message_id: str) -> str:
        """DONE: processed (the de-duplication key); SAVED: the turn is in the tracker (a replica that died after
        Rasa saved it, before it finished; the turn may need resuming or replies sending); NEW: not seen yet."""
        if not message_id:
            return NEW
        if message_id in self._handled_here or await self.stream().processed(message_id) or \
                await self.stream().sending(message_id):
            return DONE
        store = self._store()
        if store is None:
            return NEW
        if hasattr(store, "has_user_message"):  # ours: one set lookup, not the conversation read and replayed
            return SAVED if await store.has_user_message(sender, message_id) else NEW
        return SAVED if has_message(await store.retrieve(sender), message_id) else NEW

    async def handle_once(self, message: UserMessage, turn: Turn) -> bool:
        """Rasa's `Agent.handle_message`, with "handled already?" asked again inside the conversation lock (two
        replicas that both hold a message, after a lease lost in a Redis failover, answer it once): False when it
        was. A turn in which the action server could not be reached is marked for resuming."""
        agent = self._agent()
        async with agent.lock_store.lock(message.sender_id):
            if await self.status(message.sender_id, message.message_id) != NEW:
                return False
            with watching(turn):
                await agent.processor.handle_message(message)
            if turn.failed:
                await self._need_resume(message.sender_id, turn, None)
            else:
                self._done_here(message.sender_id, message.message_id)
        return True

    async def _need_resume(self, sender: str, turn: Turn, before: Optional[Resume]) -> None:
        """Mark the turn for resuming (again, with a longer wait, when `before` is the resume that just failed)."""
        tracker = await self._stored(sender)
        action = failed_in_turn(tracker, turn.message_id, turn.failed) if tracker is not None else None
        if action is None:
            logger.error("%s intake: the action server failed outside the message's turn; it cannot be resumed",
                         self.channel)
            await self.marks().resumed(turn.message_id)
            return
        logger.warning("%s intake: the action server could not be reached mid-turn; the turn will be resumed",
                       self.channel)
        events = len(tracker.events)
        pending = Resume(action, events) if before is None else \
            dataclasses.replace(before.failed_again(events), action=action)
        await self.marks().need_resume(turn.message_id, pending)

    def _done_here(self, sender: str, message_id: str) -> None:
        self._busy_told.pop(sender, None)  # answered: the next outage may tell them again
        self._handled_here[message_id] = None  # in case marking it processed fails next
        while len(self._handled_here) > HANDLED_HERE:
            self._handled_here.popitem(last=False)

    async def resume(self, sender: str, message_id: str, output: Callable[[Turn], OutputChannel]) -> Optional[Turn]:
        """Finish a turn whose action did not run: revert it and what followed, predict again from the stored
        tracker and save. None when there is nothing (left) to resume; the turn's `failed` when it failed again."""
        agent = self._agent()
        async with agent.lock_store.lock(sender):
            pending = await self.marks().resume(message_id)
            tracker = await self._stored(sender)
            if pending is None or tracker is None:
                return None
            if resumed_since(tracker, pending.events, message_id) or \
                    not revert_failed_action(tracker, message_id, pending.action):
                await self.marks().resumed(message_id)  # resumed before (its replies go out as unsent) or gone
                return None
            turn = Turn(message_id, next_index=len(turn_replies(tracker, message_id)))
            with watching(turn):
                # Rasa's own loop (it resumes reminders and external events the same way), then the plain store.
                await agent.processor._run_prediction_loop(output(turn), tracker)
            await self._store().save(tracker)
            if turn.failed:
                await self._need_resume(sender, turn, pending)
            else:
                await self.marks().resumed(message_id)
                self._done_here(sender, message_id)
        return turn

    async def unsent(self, sender: str, message_id: str) -> tuple[list[dict[str, Any]], int]:
        """The turn's replies (from the tracker) not sent yet, and how many were."""
        tracker = await self._stored(sender)
        replies = turn_replies(tracker, message_id) if tracker is not None else []
        sent = await self.marks().sent(message_id)
        return replies[sent:], max(sent, 0)

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
        return up

    def should_tell_busy(self, sender: str) -> bool:
        """Once per customer until one of their turns is answered (and not more often than every two minutes)."""
        now = time.monotonic()
        if now - self._busy_told.get(sender, -BUSY_REPEAT_SECONDS) < BUSY_REPEAT_SECONDS:
            return False
        self._busy_told[sender] = now
        return True


