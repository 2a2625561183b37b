"""What every action needs from the tracker: the reply language and the business profile."""
from __future__ import annotations

from rasa_sdk import Tracker

from bot import conversation
from bot.profile import BusinessProfile, cached_profile


def reply_language(tracker: Tracker) -> str:
    return conversation.reply_language(tracker.get_slot("language"), tracker.events)


def profile() -> BusinessProfile:
    return cached_profile()
