"""What a customer reads when a part is down or a message failed: every language, the customer's script."""
from __future__ import annotations

import pytest

from bot.intake.texts import BUSY, FAILED, TALK_TO_PERSON, TOO_LONG, busy_message, failed_message, language_for
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
