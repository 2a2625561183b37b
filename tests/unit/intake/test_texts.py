"""What a customer reads when a part is down or a message failed: every language, the customer's script."""
from __future__ import annotations

import pytest

from bot.intake.texts import BUSY, FAILED, TALK_TO_PERSON, TOO_LONG, busy_message, failed_message, language_for
from bot.channels.inbound import InboundMessage
from bot.languages import LANGUAGES


@pytest.mark.parametrize("texts", [BUSY, FAILED, TALK_TO_PERSON, TOO_LONG])
def test_every_supported_language_has_its_own_wording(texts):
    assert set(texts) == set(LANGUAGES)
    assert len(set(texts.values())) == len(texts)


def test_serbian_customers_who_write_cyrillic_read_cyrillic():
    assert busy_message("sr", "Здраво, где је моја поруџбина?")["text"].startswith("Извините")
    assert busy_message("sr", "Zdravo, gde je moja porudžbina?")["text"].startswith("Izvinite")


def test_the_failed_message_offers_a_person_with_the_handoff_intent():
    message = failed_message("pl")
    assert message["buttons"] == [{"title": TALK_TO_PERSON["pl"], "payload": "/request_human"}]


def test_language_falls_back_to_the_channel_hint_then_english():
    assert language_for("da") == "da"
    assert language_for("sv", {"phone": "+48501234567"}) == "pl"
    assert language_for(None, {"locale": "nb_NO"}) == "nb"
    assert language_for(None) == "en"


def test_the_busy_message_follows_a_whatsapp_numbers_calling_code_and_not_a_username() -> None:
    """A Polish number writing an emoji gets the Polish busy message; a username-only id falls back to English."""
    from connectors.meta_webhook import customer_hint

    by_number = InboundMessage("whatsapp", "48501234567", "wamid.1", None, "👍")
    by_username = InboundMessage("whatsapp", "PL.134952", "wamid.2", None, "👍")
    with_phone = InboundMessage("whatsapp", "PL.134952", "wamid.3", None, "👍", details={"phone_number": "4791234567"})
    assert language_for(None, customer_hint(by_number)) == "pl"
    assert language_for(None, customer_hint(by_username)) == "en"
    assert language_for(None, customer_hint(with_phone)) == "nb"
