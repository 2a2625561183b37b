"""Back-in-stock subscriptions against a real Redis: stored only with consent, one per customer, removable."""
from __future__ import annotations

import pytest

from bot.restock import RestockSubscriptions, Subscription, consent_evidence


@pytest.fixture
def subscriptions(redis):
    return RestockSubscriptions(redis, clock=lambda: 1_000.0)


def subscription(conversation: str = "c1") -> Subscription:
    return Subscription(sku="NV-RJ-01", product="Rain jacket", conversation_id=conversation, channel="whatsapp",
                        contact="wa-4520123456", language="da", consent_question="Skal jeg give dig besked?",
                        consent_answer="ja tak")


async def test_a_subscription_keeps_the_consent_and_is_stored_once(subscriptions):
    first = await subscriptions.subscribe(subscription())
    again = await subscriptions.subscribe(subscription())
    assert again.id == first.id and first.consented_at == 1_000.0
    stored = await subscriptions.find("NV-RJ-01", "c1")
    assert (stored.consent_question, stored.consent_answer, stored.contact) == (
        "Skal jeg give dig besked?", "ja tak", "wa-4520123456")
    await subscriptions.subscribe(subscription("c2"))
    assert {s.conversation_id for s in await subscriptions.for_product("NV-RJ-01")} == {"c1", "c2"}


async def test_removing_forgets_the_contact(subscriptions):
    stored = await subscriptions.subscribe(subscription())
    await subscriptions.remove(stored)
    assert await subscriptions.find("NV-RJ-01", "c1") is None and await subscriptions.get(stored.id) is None


def test_the_consent_is_the_offer_shown_and_the_answer_right_after_it():
    events = [
        {"event": "user", "text": "when is the rain jacket back?"},
        {"event": "bot", "text": "Sold out. Shall I let you know?", "metadata": {"utter_action": "utter_restock_date"}},
        {"event": "user", "text": "yes please"},
        {"event": "bot", "text": "Which email address?", "metadata": {"utter_action": "utter_ask_notify_email"}},
        {"event": "user", "text": "me@example.com"},
    ]
    assert consent_evidence(events) == ("Sold out. Shall I let you know?", "yes please")
