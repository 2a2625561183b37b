"""Back-in-stock notifications: a customer's contact is stored only after they said yes, with that consent recorded.

Each subscription keeps what the customer was asked and what they answered, when, in which language and on
which channel, so the shop can show the consent; it is meant to be used once and then deleted.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import asdict, dataclass
from typing import Any, Optional

from redis.asyncio import Redis

PREFIX = "restock"
KEEP_DAYS = 365


def _subscription_key(subscription_id: str) -> str:
    return f"{PREFIX}:subscription:{subscription_id}"


def _product_key(sku: str) -> str:
    return f"{PREFIX}:product:{sku}"


@dataclass(frozen=True)
class Subscription:
    sku: str
    product: str
    conversation_id: str
    channel: str
    contact: str  # how to reach them: an e-mail address, or the channel's sender id (Messenger, WhatsApp)
    language: str
    consent_question: str  # the bot's words the customer agreed to
    consent_answer: str  # the customer's words
    consented_at: float = 0.0
    id: str = ""


class RestockSubscriptions:
    def __init__(self, redis: Redis, clock=time.time) -> None:
        self.redis = redis
        self.clock = clock

    async def subscribe(self, subscription: Subscription) -> Subscription:
        """Store a consented subscription; one per conversation and product (asking twice keeps the first)."""
        existing = await self.find(subscription.sku, subscription.conversation_id)
        if existing is not None:
            return existing
        stored = Subscription(**{**asdict(subscription), "id": uuid.uuid4().hex,
                                 "consented_at": subscription.consented_at or self.clock()})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(_subscription_key(stored.id), json.dumps(asdict(stored), ensure_ascii=False),
                     ex=KEEP_DAYS * 86400)
            pipe.hset(_product_key(stored.sku), stored.conversation_id, stored.id)
            await pipe.execute()
        return stored

    async def find(self, sku: str, conversation_id: str) -> Optional[Subscription]:
        subscription_id = await self.redis.hget(_product_key(sku), conversation_id)
        return await self.get(subscription_id.decode()) if subscription_id else None

    async def get(self, subscription_id: str) -> Optional[Subscription]:
        raw = await self.redis.get(_subscription_key(subscription_id))
        return Subscription(**json.loads(raw)) if raw else None

    async def for_product(self, sku: str) -> list[Subscription]:
        """Everyone waiting for `sku` (for the notification run when it is back)."""
        ids = await self.redis.hvals(_product_key(sku))
        found = [await self.get(subscription_id.decode()) for subscription_id in ids]
        return [subscription for subscription in found if subscription is not None]

    async def remove(self, subscription: Subscription) -> None:
        """Forget a subscription and the contact in it (after notifying, or when the customer withdraws)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(_subscription_key(subscription.id))
            pipe.hdel(_product_key(subscription.sku), subscription.conversation_id)
            await pipe.execute()


OFFERS = ("utter_restock_date", "utter_restock_not_planned")


def consent_evidence(events: list[dict[str, Any]]) -> tuple[str, str]:
    """The notification offer the customer saw (the bot's words) and their answer to it, from the tracker."""
    question, answer = "", ""
    for event in events:
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") in OFFERS:
            question, answer = str(event.get("text") or ""), ""
        elif event.get("event") == "user" and question and not answer:
            answer = str(event.get("text") or "")
    return question, answer
