"""Facts about a conversation read from its events: its language, the reply script, repeated fallbacks.

The conversation owns the language. `conversation_language` decides it from all the evidence, in order: the
channel (locale, phone country), every customer message (the detector's best guess, the languages the message
fits equally, how sure it is) and explicit requests ("could you write in English?"). A message that fits the
current language (a Croatian-or-Serbian "hvala", an "ok", a number, an emoji) never changes it; a switch needs an
explicit request or two confident messages in a row in another language, except while nothing but the channel
or ambiguous messages spoke for the current one. Unsupported languages stay what they are and are answered in
English (or the deployment's choice, `UNSUPPORTED_LANGUAGE_REPLIES`), never in a supported neighbour.

Works on event dicts as both Rasa (tracker.events serialised) and rasa-sdk (tracker.events) give them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

from bot import languages
from bot.language_requests import requested_language
from bot.text import letter_count, script_of
from bot.transliterate import LATIN_ANYWAY

FALLBACK_INTENT = "nlu_fallback"
LANGUAGE_SLOT = "language"
METADATA_SLOT = "session_started_metadata"
CONFIDENT = 0.7  # a detection this sure (or one with evidence) counts towards a switch


@dataclass(frozen=True)
class ConversationLanguage:
    code: str  # the customer's language, supported or not ("de")
    reply: str  # the supported language we answer in
    settled_by: str  # "default", "channel", "carried", "message", "request"
    strength: int = 0  # confident, unambiguous messages in a row that spoke for it (capped)

    @property
    def supported(self) -> bool:
        return languages.is_supported(self.code)


def _reply_for(code: str, unsupported_replies: Mapping[str, str]) -> str:
    if languages.is_supported(code):
        return code
    mapped = unsupported_replies.get(code)
    return mapped if languages.is_supported(mapped) else languages.DEFAULT_LANGUAGE


@dataclass
class _State:
    code: Optional[str] = None
    settled_by: str = "default"
    strength: int = 0
    pending: Optional[str] = None  # a language one confident message spoke for, waiting for a second

    def settle(self, code: str, settled_by: str, strength: int) -> None:
        self.code, self.settled_by, self.strength, self.pending = code, settled_by, min(strength, 3), None

    def observe(self, text: str, detected: dict[str, Any]) -> None:
        """One customer message: its text and the detector's verdict (`parse_data.language`)."""
        requested = requested_language(text)
        if requested:
            self.settle(requested, "request", 3)
            return
        code = detected.get("code")
        if not code:
            return
        supported = detected.get("supported") is not False
        candidates = list(detected.get("candidates") or [code])
        confident = float(detected.get("confidence") or 0.0) >= CONFIDENT or bool(detected.get("evidence"))
        if supported and len(candidates) >= len(languages.SUPPORTED):
            return  # "ok", a number, an emoji: fits every language
        if self.code is None:
            self.settle(code, "message", 1 if confident and len(candidates) <= 1 else 0)
            return
        if self.code in candidates:
            if len(candidates) == 1 and confident:
                self.strength = min(self.strength + 1, 3)
            self.pending = None
            return
        if not confident and len(candidates) <= 1:
            self.pending = None
            return
        # A message in another language (or one that fits two others equally, like sr/hr after English).
        if self.strength == 0 or (not self.supported_now() and code == languages.DEFAULT_LANGUAGE and supported):
            self.settle(code, "message", 1 if len(candidates) <= 1 else 0)
        elif self.pending is not None and (self.pending == code or self.pending in candidates):
            self.settle(self.pending if self.pending in candidates else code, "message", 1)
        else:
            self.pending = code

    def supported_now(self) -> bool:
        return languages.is_supported(self.code)


def _hint(metadata: Any) -> Optional[str]:
    return languages.hint_from_metadata(metadata) if isinstance(metadata, dict) else None


def conversation_language(
    events: Iterable[dict[str, Any]], unsupported_replies: Optional[Mapping[str, str]] = None
) -> ConversationLanguage:
    """The conversation's language from all its events (see the module docstring)."""
    if unsupported_replies is None:
        from bot.settings import Settings

        unsupported_replies = Settings().unsupported_language_replies
    state = _State()
    seen_user = False
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == METADATA_SLOT and state.code is None:
            hint = _hint(event.get("value"))
            if hint:
                state.settle(hint, "channel", 0)
        elif kind == "slot" and event.get("name") == LANGUAGE_SLOT and not seen_user and event.get("value"):
            state.settle(str(event["value"]), "carried", 1)  # carried over from an earlier session
        elif kind == "user":
            seen_user = True
            if state.code is None:
                hint = _hint(event.get("metadata"))
                if hint:
                    state.settle(hint, "channel", 0)
            state.observe(str(event.get("text") or ""), detected_language(event))
    code = state.code or languages.DEFAULT_LANGUAGE
    return ConversationLanguage(code, _reply_for(code, unsupported_replies), state.settled_by, state.strength)


def _user_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [event for event in events if event.get("event") == "user"]


def detected_language(user_event: dict[str, Any]) -> dict[str, Any]:
    return (user_event.get("parse_data") or {}).get("language") or {}


def language_request_turn(events: Iterable[dict[str, Any]]) -> Optional[float]:
    """The timestamp of the latest customer message when it asked for another language (`language_request` in its
    parse data) and nothing has been said since; None otherwise."""
    for event in reversed(list(events)):
        if event.get("event") == "bot":
            return None
        if event.get("event") == "user":
            if (event.get("parse_data") or {}).get("language_request"):
                return float(event.get("timestamp") or 0.0)
            return None
    return None


def reply_language(events: Iterable[dict[str, Any]]) -> str:
    """The language to answer in: the conversation's (a supported one, see `conversation_language`)."""
    return conversation_language(events).reply


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
