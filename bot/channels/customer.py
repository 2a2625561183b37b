"""What a channel tells us about the customer, as the message metadata the bot and the actions read:
`channel`, `customer_name`, `first_name`, `locale`, `phone`, `calling_code` (and `media` for media messages)."""
from __future__ import annotations

from typing import Any, Optional

from bot.channels.inbound import InboundMessage

# ITU-T E.164 country calling codes are prefix-free: +1 and +7 are one digit, these are two, all others three.
_TWO_DIGIT_CODES = frozenset(
    "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 "
    "60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98".split()
)


def calling_code(phone: Optional[str]) -> Optional[str]:
    """The country calling code of an international number: "+306912345678" -> "30", "+38164…" -> "381"."""
    if not phone or not phone.startswith("+"):
        return None
    digits = phone[1:]
    if not digits.isdigit() or len(digits) < 7:
        return None
    if digits[0] in "17":
        return digits[0]
    return digits[:2] if digits[:2] in _TWO_DIGIT_CODES else digits[:3]


def international_phone(wa_id: str) -> Optional[str]:
    """WhatsApp's `wa_id` as "+<digits>" when it is a phone number (newer ids may be opaque usernames)."""
    return f"+{wa_id}" if wa_id.isdigit() and 7 <= len(wa_id) <= 15 else None


def first_name(full_name: str) -> str:
    """The first word of a display name, when it looks like a name (not an emoji or a number)."""
    words = full_name.split()
    if not words or not any(ch.isalpha() for ch in words[0]):
        return ""
    return words[0]


def _without_empty(metadata: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in metadata.items() if value}


def whatsapp_metadata(message: InboundMessage) -> dict[str, Any]:
    """The phone is kept when Meta gives one, also for a customer written to by business-scoped user id."""
    phone = international_phone(str(message.details.get("phone_number") or message.sender_id))
    return _without_empty({
        "channel": "whatsapp",
        "customer_name": message.profile_name,
        "first_name": first_name(message.profile_name),
        "phone": phone,
        "calling_code": calling_code(phone),
        "media": list(message.media),
        **event_metadata(message),
    })


def event_metadata(message: InboundMessage) -> dict[str, Any]:
    """What the transcript, the agent and the ticket need about this event: edits, deletions, reactions, referrals,
    the content handed to a person, the WhatsApp user id and username."""
    details = {key: value for key, value in message.details.items() if key != "phone_number"}
    return {**details, "event": message.event} if message.event else details


def messenger_metadata(message: InboundMessage, profile: Optional[dict[str, Any]]) -> dict[str, Any]:
    """From the Messenger user profile (first_name, last_name, locale where the app may read it)."""
    profile = profile or {}
    given = str(profile.get("first_name") or "").strip()
    full = " ".join(part for part in (given, str(profile.get("last_name") or "").strip()) if part)
    locale = profile.get("locale")
    return _without_empty({
        "channel": "messenger",
        "customer_name": full,
        "first_name": given,
        "locale": locale if isinstance(locale, str) else None,
        "media": list(message.media),
        **event_metadata(message),
    })
