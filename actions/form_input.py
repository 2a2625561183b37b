"""What a form may take from the customer's latest message, and when the message is about something else."""
from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

# Messages with these intents leave a form's question unanswered even when they contain text: the customer
# stops, leaves, wants a person, or asks something else (rules answer them; FAQs then return to the form).
_ELSEWHERE = {
    "deny", "goodbye", "request_human", "complain", "greet", "thank", "out_of_scope", "rate_conversation",
    "ask_opening_hours", "ask_shipping", "ask_payment_methods", "ask_return_policy",
    "check_order_status", "start_return", "report_damaged_item", "ask_restock", "ticket_status",
}
# For free-text answers (a return reason, a damage description, a product name) only these mean "not an answer":
# "the zip is broken" may well be classified as a complaint, and it is still the description we asked for.
_STOPS = {"deny", "goodbye", "request_human"}
# What the Messenger and WhatsApp connectors send for a photo, a deleted message or a reaction, and a bare request
# for another language ("can we continue in English?", bot.nlu.language_request): never an answer.
_CONNECTOR_EVENTS = {"media_received", "message_deleted", "reaction_received", "switch_language"}
_ELSEWHERE |= _CONNECTOR_EVENTS
_STOPS |= _CONNECTOR_EVENTS
_SURE = 0.6


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def latest_entity(tracker: Tracker, entity: str) -> Optional[str]:
    value = next(tracker.get_latest_entity_values(entity), None)
    return str(value).strip() if value is not None else None


def _sure_intent(tracker: Tracker) -> Optional[str]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name") if float(intent.get("confidence") or 0.0) >= _SURE else None


def is_asked(tracker: Tracker, slot: str) -> bool:
    return tracker.get_slot("requested_slot") == slot


def answers_structured_question(tracker: Tracker) -> bool:
    """An answer to "what's your order number / e-mail?" unless it is clearly about something else."""
    return _sure_intent(tracker) not in _ELSEWHERE


def answers_free_text_question(tracker: Tracker) -> bool:
    """An answer to "why are you returning it / what's wrong with it?" unless the customer stops or leaves."""
    return _sure_intent(tracker) not in _STOPS and bool(latest_text(tracker))
