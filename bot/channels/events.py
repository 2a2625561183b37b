"""The types every Meta payload becomes (`InboundMessage`, `Notice`, `Inbound`) and the defensive readers the
Messenger and WhatsApp parsers share."""
from __future__ import annotations

import hashlib
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Any, Optional

MEDIA_TEXT = "/media_received"
DELETED_TEXT = "/message_deleted"
REACTION_TEXT = "/reaction_received"
HANDOFF_TEXT = "/request_human"
MAX_TEXT_LENGTH = 5000
_COMMAND_PREFIX = re.compile(r"^[\s/]+")

_MESSENGER_MEDIA = {"image": "image", "audio": "audio", "video": "video", "file": "file", "sticker": "sticker",
                    "location": "location", "reel": "video", "ig_reel": "video", "post": "link", "ig_post": "link",
                    "fallback": "link", "appointment_booking": "unsupported", "template": "unsupported"}
_WHATSAPP_MEDIA = {"image": "image", "audio": "audio", "video": "video", "document": "file", "sticker": "sticker",
                   "location": "location", "contacts": "contact"}
# Documented, carry nothing for the bot: recorded (a warning says what was not passed on).
_WHATSAPP_NOTICES = {"system", "ephemeral", "request_welcome"}
_REFERRAL_FIELDS = ("source_type", "source_id", "source_url", "headline", "body", "ctwa_clid", "ref", "source",
                    "type", "ad_id", "referer_uri")


@dataclass(frozen=True)
class InboundMessage:
    """One thing a customer sent: typed text, one of our button payloads, or media the bot cannot read."""

    channel: str
    sender_id: str  # the id to reply to, as Meta gave it (WhatsApp: phone number, else business-scoped user id)
    message_id: str
    timestamp: Optional[float]  # epoch seconds as Meta reported it
    text: str = ""
    media: tuple[str, ...] = ()
    profile_name: str = ""  # WhatsApp: the contact's display name
    business_id: str = ""  # the Page id or WhatsApp phone-number id that received it
    event: str = ""  # "", "edit", "deleted", "reaction", "handoff"
    details: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)  # becomes message metadata

    @property
    def rasa_text(self) -> str:
        special = {"deleted": DELETED_TEXT, "reaction": REACTION_TEXT, "handoff": HANDOFF_TEXT}
        if self.event in special:
            return special[self.event]
        return MEDIA_TEXT if self.media else self.text

    @property
    def too_long(self) -> bool:
        """Typed text longer than we read (MAX_TEXT_LENGTH, as on the web chat): the customer is asked to shorten it."""
        return len(self.text) > MAX_TEXT_LENGTH

    @property
    def answered(self) -> bool:
        """Whether the bot will say something (a typing indicator is shown only then)."""
        return self.event not in ("deleted", "reaction")


@dataclass(frozen=True)
class Notice:
    """An event that is not a customer message: echo, receipt, status, error, group message, unknown kind."""

    kind: str
    error_code: Optional[int] = None
    warn: bool = False  # something Meta documents that the bot does not pass on: logged at warning level
    detail: str = ""


@dataclass
class Inbound:
    messages: list[InboundMessage] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    # Referrals that came on their own (an ad or m.me link opened before the customer wrote), by sender id: kept
    # as context for that customer's next message.
    referrals: dict[str, dict[str, str]] = field(default_factory=dict)


def log_notices(channel: str, notices: list[Notice], logger: logging.Logger) -> None:
    """Warnings for what was not passed on or reports an error; receipts and statuses at debug level."""
    for notice in notices:
        if notice.warn or notice.error_code:
            logger.warning("%s webhook: %s not answered%s%s", channel, notice.kind,
                           f" (error code {notice.error_code})" if notice.error_code else "",
                           f": {notice.detail}" if notice.detail else "")
        else:
            logger.debug("%s webhook: %s recorded", channel, notice.kind)


def neutralise(text: Any) -> str:
    """Typed text as Rasa may read it: a leading "/" would trigger an intent directly, so it is removed.

    Kept up to one character past MAX_TEXT_LENGTH, so that a longer text is recognised (`InboundMessage.too_long`:
    refused with a note to the customer), never cut without telling them.
    """
    if not isinstance(text, str):
        return ""
    return _COMMAND_PREFIX.sub("", text).strip()[:MAX_TEXT_LENGTH + 1]


def _payload(value: Any) -> str:
    """One of our own button payloads ("/affirm"), which passes unchanged."""
    return value.strip()[:MAX_TEXT_LENGTH] if isinstance(value, str) else ""


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _id(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    return str(value).strip()[:200]


def _short(value: Any, width: int = 300) -> str:
    """A documented text field for the transcript or a ticket: strings and numbers only, cut to `width`."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ""
    return " ".join(str(value).split())[:width]


def _seconds(value: Any) -> Optional[float]:
    """Epoch seconds from Messenger's milliseconds or WhatsApp's string of seconds."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(number) or number <= 0:
        return None
    return number / 1000 if number > 1e11 else number


def _unique(kinds: list[str]) -> tuple[str, ...]:
    ordered = tuple(dict.fromkeys(kinds))
    return tuple(kind for kind in ordered if kind != "image") if "sticker" in ordered else ordered


def _referral(value: Any) -> dict[str, str]:
    """What an ad or link that brought the customer says (kept as context for the agent and the bot)."""
    return {key: text for key in _REFERRAL_FIELDS if (text := _short(_dict(value).get(key)))}


def _derived_id(prefix: str, *parts: Any) -> str:
    """A stable id for events Meta sends without one (the same redelivery gives the same id)."""
    return f"{prefix}-" + hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:32]
