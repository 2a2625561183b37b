"""Shipping answers for the customer's country: named, remembered, from the channel, or the language's market."""
from __future__ import annotations

import pytest

from bot import faq
from bot.profile import load_profile


@pytest.fixture(scope="module")
def profile():
    return load_profile()


def test_the_named_country_beats_the_remembered_one_the_channel_and_the_language():
    assert faq.shipping_country("sr", named="DE", remembered="FI", channel="RS") == "DE"
    assert faq.shipping_country("sr", remembered="FI", channel="RS") == "FI"
    assert faq.shipping_country("sr", channel="HR") == "HR"
    assert faq.shipping_country("sr") == "RS" and faq.shipping_country("el") == "GR"


def test_each_country_gets_its_own_price(profile):
    # Germany and Ireland have no price of their own: the default (4,90 €), not the British 5,90 €.
    for country in ("DE", "IE", "CY"):
        name, values = faq.shipping_answer(profile, "en", country, "en_GB")
        assert name == "utter_shipping" and "Standard delivery (3–5 working days): €4.90" in values["options"]
    assert "€5.90" in faq.shipping_answer(profile, "en", "GB", "en_GB")[1]["options"]
    croatian = faq.shipping_answer(profile, "hr", "HR", "hr_HR")[1]
    assert "3,90\xa0€" in croatian["options"] and "9,90\xa0€" in croatian["options"]
    assert croatian["country"] == "Hrvatska"
    assert faq.shipping_answer(profile, "el", "DE", "el_GR")[1]["country"] == "Γερμανία"


def test_a_country_without_delivery_gets_the_list_of_countries(profile):
    name, values = faq.shipping_answer(profile, "pl", "JP", "pl_PL")
    assert name == "utter_shipping_not_delivered" and values["country"] == "Japonia"
    assert values["countries"].startswith("Austria, Belgia, Bułgaria") and values["countries"].endswith(" i Włochy")
    name, values = faq.shipping_answer(profile, "nb", "US", "nb_NO")
    assert name == "utter_shipping_not_delivered" and values["countries"].endswith("og Østerrike")


def test_prices_are_written_for_the_customers_locale(profile):
    assert faq.price_locale("en", "en-IE") == "en_IE" and faq.price_locale("en", "de-DE") == "en_GB"
    assert faq.price_locale("el", "el_CY") == "el_CY" and faq.price_locale("sr", None) == "sr_Latn_RS"
    assert faq.price_locale("da", "xx-YY") == "da_DK"
    assert "4,90\xa0€" in faq.shipping_values(profile, "pl", "DE", "pl_PL")["options"]
    assert "€4.90" in faq.shipping_values(profile, "en", "IE", "en_IE")["options"]
    assert "4,90\xa0€" in faq.shipping_values(profile, "da", "DE", "da_DK")["options"]
