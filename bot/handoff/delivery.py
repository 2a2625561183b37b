"""Sending messages that do not answer a customer's request (agent replies, hand-back, rating question)
through the channel the customer wrote on.

The web chat (and Rasa's plain REST channel) cannot be pushed to, so their messages go to a per-conversation
Redis stream, the outbox, which the chat page follows live and which keeps them for a customer who comes back.
Channels that can push (Messenger, WhatsApp) register a sender here.
"""
from __future__ import annotations

import json
from typing import Any, AsyncIterator, Awaitable, Callable

from redis.asyncio import Redis

OUTBOX_LENGTH = 500
OUTBOX_DAYS = 14

Sender = Callable[[str, list[dict[str, Any]]], Awaitable[None]]


class NotDelivered(Exception):
    """The message did not reach the customer; the text is a sentence for the agent."""


class UndeliverableChannel(NotDelivered):
    """No sender is known for the customer's channel."""


class OutsideWindow(NotDelivered):
    """The channel's messaging window is closed (Messenger after 7 days, WhatsApp after 24 hours without a
    template), so the platform would refuse the message."""


class ChannelFailed(NotDelivered):
    """The platform did not accept the message, even after retries."""


def outbox_key(conversation_id: str) -> str:
    return f"outbox:{conversation_id}"


class Outbox:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def push(self, conversation_id: str, messages: list[dict[str, Any]]) -> None:
        key = outbox_key(conversation_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            for message in messages:
                pipe.xadd(key, {"message": json.dumps(message, ensure_ascii=False)}, maxlen=OUTBOX_LENGTH,
                          approximate=True)
            pipe.expire(key, OUTBOX_DAYS * 86400)
            await pipe.execute()

    async def follow(self, conversation_id: str, after: str = "$", block_ms: int = 20000
                     ) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        """Messages pushed after stream id `after`; `$` means from now on. Runs until cancelled."""
        key, last = outbox_key(conversation_id), after
        if last == "$":
            newest = await self.redis.xrevrange(key, count=1)
            last = newest[0][0].decode() if newest else "0-0"
        while True:
            for _, entries in await self.redis.xread({key: last}, block=block_ms, count=100):
                for entry_id, fields in entries:
                    last = entry_id.decode()
                    yield last, json.loads(fields[b"message"])


class Delivery:
    """Channel name -> how to reach the customer there. Web and REST use the outbox."""

    def __init__(self, redis: Redis) -> None:
        outbox = Outbox(redis)
        self.senders: dict[str, Sender] = {"web": outbox.push, "rest": outbox.push}

    def register(self, channel: str, sender: Sender) -> None:
        self.senders[channel] = sender

    async def send(self, channel: str, conversation_id: str, messages: list[dict[str, Any]]) -> None:
        if not messages:
            return
        sender = self.senders.get(channel)
        if sender is None:
            raise UndeliverableChannel(f"no way to send messages to the '{channel}' channel")
        await sender(conversation_id, messages)
