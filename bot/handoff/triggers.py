"""Why a conversation is handed to a person, and how urgent it is, read from the conversation's events."""
from __future__ import annotations

from typing import Any, Iterable, Optional

CUSTOMER_REQUEST = "customer_request"
COMPLAINT = "complaint"
LOW_CONFIDENCE = "low_confidence"
UNSUPPORTED_LANGUAGE = "unsupported_language"
BACKEND_DOWN = "backend_down"

# Bot answers that offer a person; accepting the offer hands off for this reason.
_OFFERS = {"utter_complain": COMPLAINT, "utter_offer_human": LOW_CONFIDENCE}
# The answer that says "a colleague can help with that": the reason is the intent it answered.
_NEEDS_PERSON = "utter_needs_person"

PRIORITY = {COMPLAINT: 2, BACKEND_DOWN: 1, "report_damaged_item": 2}
VIP_BONUS = 3


def _intent(event: dict[str, Any]) -> Optional[str]:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def handoff_reason(events: Iterable[dict[str, Any]], offered_reason: Optional[str] = None) -> str:
    """The reason for a handoff happening now.

    `offered_reason` is what an action that offered a person recorded (the `handoff_reason` slot), e.g. a back
    end that is down; it counts only when the customer accepted an offer rather than asked outright.
    """
    events = list(events)
    users = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if not users:
        return offered_reason or CUSTOMER_REQUEST
    latest = users[-1]
    if _intent(events[latest]) != "affirm":
        return offered_reason if _intent(events[latest]) != "request_human" and offered_reason else CUSTOMER_REQUEST
    previous_user = users[-2] if len(users) > 1 else -1
    actions = [event.get("name") for event in events[previous_user + 1:latest] if event.get("event") == "action"]
    for name in reversed(actions):
        if name in _OFFERS:
            return _OFFERS[name]
        if name == _NEEDS_PERSON and previous_user >= 0:
            return _intent(events[previous_user]) or CUSTOMER_REQUEST
    return offered_reason or CUSTOMER_REQUEST


def handoff_priority(reason: str, metadata: Optional[dict[str, Any]] = None) -> int:
    """0 is normal; complaints and damaged items come first; VIP customers (channel metadata) before all."""
    vip = bool((metadata or {}).get("vip"))
    return PRIORITY.get(reason, 0) + (VIP_BONUS if vip else 0)


def conversation_summary(events: Iterable[dict[str, Any]], turns: int = 6, width: int = 200) -> list[str]:
    """The last few customer and bot messages, for the agent's first look at the ticket."""
    lines = []
    for event in events:
        if event.get("event") in ("user", "bot") and event.get("text"):
            who = "customer" if event["event"] == "user" else "bot"
            text = " ".join(str(event["text"]).split())
            lines.append(f"{who}: {text[:width]}")
    return lines[-turns:]


def customer_name(metadata: Optional[dict[str, Any]]) -> str:
    """The name the channel gave us (Messenger profile, WhatsApp contact, web chat form), if any."""
    metadata = metadata or {}
    for key in ("customer_name", "name", "profile_name"):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:80]
    return ""


def first_name(metadata: Optional[dict[str, Any]]) -> str:
    """What to call the customer in a greeting: the channel's first name, else the first word of the full name."""
    given = (metadata or {}).get("first_name")
    if isinstance(given, str) and given.strip():
        return given.strip()[:40]
    full = customer_name(metadata)
    return full.split()[0] if full else ""
