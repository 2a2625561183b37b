"""Facts about a conversation read from its events: reply language and script, repeated fallbacks.

Works on event dicts as both Rasa (tracker.events serialised) and rasa-sdk (tracker.events) give them.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

from bot import languages
from bot.text import letter_count, script_of
from bot.transliterate import LATIN_ANYWAY

FALLBACK_INTENT = "nlu_fallback"


def _user_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [event for event in events if event.get("event") == "user"]


def detected_language(user_event: dict[str, Any]) -> dict[str, Any]:
    return (user_event.get("parse_data") or {}).get("language") or {}


def reply_language(slot_value: Optional[str], events: Iterable[dict[str, Any]]) -> str:
    """The language to answer in: the slot, else the last message's best guess, else English."""
    if languages.is_supported(slot_value):
        return slot_value
    for event in reversed(_user_events(events)):
        code = detected_language(event).get("code")
        if languages.is_supported(code):
            return code
    return languages.DEFAULT_LANGUAGE


_LATIN_ANYWAY = re.compile(LATIN_ANYWAY)  # says nothing about the script the customer prefers


def serbian_script(events: Iterable[dict[str, Any]]) -> str:
    """The script the customer last wrote Serbian words in (`Latn` unless they wrote Cyrillic)."""
    for event in reversed(_user_events(events)):
        detected = detected_language(event)
        words = _LATIN_ANYWAY.sub(" ", str(event.get("text") or ""))
        if detected.get("code") == "sr" and letter_count(words) >= 2:
            return script_of(words) if script_of(words) in ("Latn", "Cyrl") else "Latn"
    return "Latn"


def consecutive_fallbacks(events: Iterable[dict[str, Any]]) -> int:
    """How many of the latest customer messages in a row the bot did not understand."""
    count = 0
    for event in reversed(_user_events(events)):
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") != FALLBACK_INTENT:
            break
        count += 1
    return count


def consecutive_unsupported(events: Iterable[dict[str, Any]]) -> int:
    """How many of the latest customer messages in a row were in a language we do not support."""
    count = 0
    for event in reversed(_user_events(events)):
        if detected_language(event).get("supported") is not False:
            break
        count += 1
    return count
