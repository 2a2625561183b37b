"""What the agent reads in the transcript for the Meta events the bot does not answer (published payloads)."""
from __future__ import annotations

from tests.unit.channels.test_real_payloads import HANDWRITTEN, PYWA, fixture, one

from bot.channels.customer import whatsapp_metadata
from bot.desk.transcript import customer_text


def shown(payload: dict) -> str:
    message = one(payload)
    return customer_text({"event": "user", "text": message.rasa_text, "metadata": whatsapp_metadata(message)})


def test_deletions_reactions_edits_and_orders_read_as_what_happened():
    assert shown(fixture("whatsapp/pywa_deleted_message.json")["revoke"]) == "[deleted a message]"
    assert shown(PYWA["reaction"]) == "[reacted 😮 to a message]"
    assert shown(PYWA["unreaction_empty"]) == "[removed a reaction]"
    assert shown(HANDWRITTEN["edited_text"]) == "Which payment methods do you take? [edited]"
    assert shown(PYWA["order"]) == ("[catalogue order: 3 × HAMBURGER (30 ILS); 2 × FRENCH_FRIES (35 ILS); "
                                    "2 × SODA (10 ILS); catalogue: 354160437058781]")


def test_typed_text_that_looks_like_an_event_is_shown_as_typed():
    assert customer_text({"event": "user", "text": "/message_deleted", "metadata": {}}) == "/message_deleted"
    assert customer_text({"event": "user", "text": "hello", "metadata": {"channel": "web"}}) == "hello"
