"""What every action needs: the reply language, the business profile, the channel and a Redis connection."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from redis.asyncio import Redis

from bot import conversation
from bot.orders.factory import order_system_from_env
from bot.orders.system import OrderSystem
from bot.profile import BusinessProfile, cached_profile
from bot.redis_connection import redis_client


def reply_language(tracker: Tracker) -> str:
    """The conversation's language (`bot.conversation.conversation_language`): replies, prices, tickets."""
    return conversation.reply_language(tracker.events)


def profile() -> BusinessProfile:
    return cached_profile()


def channel_metadata(tracker: Tracker) -> dict[str, Any]:
    """What the channel told us about the customer: this message's metadata over the session's."""
    session = tracker.get_slot("session_started_metadata") or {}
    latest = tracker.latest_message.get("metadata") or {}
    return {**session, **latest}


def channel_name(tracker: Tracker) -> str:
    """The channel the customer writes on: `web`, `messenger`, `whatsapp`, or Rasa's input channel name."""
    named = channel_metadata(tracker).get("channel")
    return named if isinstance(named, str) and named else tracker.get_latest_input_channel() or "rest"


@lru_cache(maxsize=1)
def redis() -> Redis:
    """One connection pool for the action server process."""
    return redis_client()


@lru_cache(maxsize=1)
def order_system() -> OrderSystem:
    """The shop's order system, chosen by ORDER_SYSTEM (demo, rest, shopify, woocommerce)."""
    return order_system_from_env(return_window_days=return_window_days())


def return_window_days() -> int:
    return int(profile().data["returns"]["window_days"])


def refund_days() -> int:
    return int(profile().data["returns"]["refund_days"])
