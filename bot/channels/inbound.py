"""Webhook payloads from Messenger and WhatsApp as a flat list of customer messages, plus the notices
(echoes, delivery and read receipts, statuses) that are recorded but never answered.

Any JSON is accepted: what does not have the documented shape is skipped, never an error.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from typing import Any, Optional

MEDIA_TEXT = "/media_received"
MAX_TEXT_LENGTH = 5000
_COMMAND_PREFIX = re.compile(r"^[\s/]+")

_MESSENGER_MEDIA = {"image": "image", "audio": "audio", "video": "video", "file": "file", "sticker": "sticker",
                    "location": "location"}
_WHATSAPP_MEDIA = {"image": "image", "audio": "audio", "video": "video", "document": "file", "sticker": "sticker",
                   "location": "location", "contacts": "contact"}
_WHATSAPP_IGNORED = {"reaction", "system", "ephemeral", "request_welcome"}


@dataclass(frozen=True)
class InboundMessage:
    """One thing a customer sent: typed text, one of our button payloads, or media the bot cannot read."""

    channel: str
    sender_id: str
    message_id: str
    timestamp: Optional[float]  # epoch seconds as Meta reported it
    text: str = ""
    media: tuple[str, ...] = ()
    profile_name: str = ""  # WhatsApp: the contact's display name
    business_id: str = ""  # the Page id or WhatsApp phone-number id that received it

    @property
    def rasa_text(self) -> str:
        return MEDIA_TEXT if self.media else self.text


@dataclass(frozen=True)
class Notice:
    """An event that is not a customer message: echo, delivery, read, a WhatsApp status or error."""

    kind: str
    error_code: Optional[int] = None


@dataclass
class Inbound:
    messages: list[InboundMessage] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def neutralise(text: Any) -> str:
    """Typed text as Rasa may read it: a leading "/" would trigger an intent directly, so it is removed."""
    if not isinstance(text, str):
        return ""
    return _COMMAND_PREFIX.sub("", text)[:MAX_TEXT_LENGTH].strip()


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


# ---- Messenger --------------------------------------------------------------------------------------------------
def messenger(payload: Any) -> Inbound:
    result = Inbound()
    if _dict(payload).get("object") != "page":
        return result
    for entry in map(_dict, _list(payload.get("entry"))):
        for event in map(_dict, _list(entry.get("messaging"))):
            _messenger_event(event, _id(entry.get("id")), result)
        result.notices.extend(Notice("standby") for _ in _list(entry.get("standby")))
    return result


def _messenger_event(event: dict, page_id: str, result: Inbound) -> None:
    sender = _id(_dict(event.get("sender")).get("id"))
    timestamp = _seconds(event.get("timestamp"))
    message, postback = event.get("message"), event.get("postback")
    if isinstance(message, dict):
        if message.get("is_echo"):
            result.notices.append(Notice("echo"))
            return
        inbound = _messenger_message(message, sender, timestamp, page_id)
    elif isinstance(postback, dict):
        inbound = _messenger_postback(postback, sender, timestamp, page_id)
    else:
        kind = next((k for k in ("delivery", "read", "reaction", "optin", "referral") if k in event), "other")
        result.notices.append(Notice(kind))
        return
    if inbound is None:
        result.notices.append(Notice("unusable"))
    else:
        result.messages.append(inbound)


def _messenger_message(message: dict, sender: str, timestamp: Optional[float], page_id: str
                       ) -> Optional[InboundMessage]:
    mid = _id(message.get("mid"))
    if not sender or not mid:
        return None
    quick_reply = _payload(_dict(message.get("quick_reply")).get("payload"))
    text = quick_reply or neutralise(message.get("text"))
    media: tuple[str, ...] = ()
    if not text:
        attachments = map(_dict, _list(message.get("attachments")))
        kinds = [_MESSENGER_MEDIA.get(str(attachment.get("type")), "unsupported") for attachment in attachments]
        media = ("sticker",) if message.get("sticker_id") else _unique(kinds)
    if not text and not media:
        return None
    return InboundMessage("messenger", sender, mid, timestamp, text, media, business_id=page_id)


def _messenger_postback(postback: dict, sender: str, timestamp: Optional[float], page_id: str
                        ) -> Optional[InboundMessage]:
    payload = _payload(postback.get("payload"))
    if not sender or not payload:
        return None
    mid = _id(postback.get("mid"))
    if not mid:  # older Graph versions: no id, so one is derived from what identifies the tap
        mid = "postback-" + hashlib.sha256(f"{sender}:{timestamp}:{payload}".encode()).hexdigest()[:32]
    return InboundMessage("messenger", sender, mid, timestamp, payload, business_id=page_id)


# ---- WhatsApp ---------------------------------------------------------------------------------------------------
def whatsapp(payload: Any) -> Inbound:
    result = Inbound()
    if _dict(payload).get("object") != "whatsapp_business_account":
        return result
    for entry in map(_dict, _list(payload.get("entry"))):
        for change in map(_dict, _list(entry.get("changes"))):
            if change.get("field") != "messages":
                result.notices.append(Notice("other"))
                continue
            _whatsapp_value(_dict(change.get("value")), result)
    return result


def _error_code(item: Any) -> Optional[int]:
    errors = _list(_dict(item).get("errors"))
    code = _dict(errors[0]).get("code") if errors else _dict(item).get("code")
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _whatsapp_value(value: dict, result: Inbound) -> None:
    number_id = _id(_dict(value.get("metadata")).get("phone_number_id"))
    names = {}
    for contact in map(_dict, _list(value.get("contacts"))):
        name = _dict(contact.get("profile")).get("name")
        if isinstance(name, str):
            names[_id(contact.get("wa_id"))] = name.strip()[:100]
    for status in map(_dict, _list(value.get("statuses"))):
        result.notices.append(Notice(f"status:{_id(status.get('status')) or 'unknown'}", _error_code(status)))
    for error in _list(value.get("errors")):
        result.notices.append(Notice("error", _error_code({"errors": [error]})))
    for message in map(_dict, _list(value.get("messages"))):
        kind = _id(message.get("type"))
        if kind in _WHATSAPP_IGNORED:
            result.notices.append(Notice(kind))
            continue
        inbound = _whatsapp_message(message, kind, number_id, names)
        if inbound is None:
            result.notices.append(Notice("unusable"))
        else:
            result.messages.append(inbound)


def _whatsapp_message(message: dict, kind: str, number_id: str, names: dict[str, str]) -> Optional[InboundMessage]:
    sender, mid = _id(message.get("from")), _id(message.get("id"))
    if not sender or not mid:
        return None
    text, media = "", ()
    if kind == "text":
        text = neutralise(_dict(message.get("text")).get("body"))
    elif kind == "interactive":
        interactive = _dict(message.get("interactive"))
        reply = _dict(interactive.get("button_reply")) or _dict(interactive.get("list_reply"))
        text = _payload(reply.get("id"))
        media = () if text else ("unsupported",)
    elif kind == "button":
        button = _dict(message.get("button"))
        text = _payload(button.get("payload")) or neutralise(button.get("text"))
    else:
        media = (_WHATSAPP_MEDIA.get(kind, "unsupported"),)
    if not text and not media:
        return None
    return InboundMessage("whatsapp", sender, mid, _seconds(message.get("timestamp")), text, media,
                          names.get(sender, ""), number_id)
