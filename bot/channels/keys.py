"""Every Redis key the Messenger and WhatsApp channels use, in one place."""
from __future__ import annotations

PREFIX = "channels"


def seen_message(channel: str, message_id: str) -> str:
    """Set once per platform message id, so a redelivered webhook is processed once."""
    return f"{PREFIX}:seen:{channel}:{message_id}"


def last_inbound(channel: str, sender_id: str) -> str:
    """When the customer last wrote (epoch seconds): decides the 24-hour and 7-day windows."""
    return f"{PREFIX}:last_inbound:{channel}:{sender_id}"


def messenger_profile(psid: str) -> str:
    """Cached Messenger user profile (JSON)."""
    return f"{PREFIX}:profile:messenger:{psid}"


def pending_referral(channel: str, sender_id: str) -> str:
    """An ad or link referral that came before the customer's next message (JSON), kept for that message."""
    return f"{PREFIX}:referral:{channel}:{sender_id}"
