"""Facts through the real stack: the customer's country and its price (named, remembered, from the channel),
holidays with their weekday, plural forms and the customer's own time."""
from __future__ import annotations

from datetime import date

import pytest

from bot.hours import BusinessHours
from bot.profile import load_profile
from tests.integration.responses import identify

SHIPPING = ["utter_shipping", "utter_shipping_not_delivered"]

# A customer names another country: that country's name and price (Germany, Netherlands, Cyprus, Slovenia...
# have no price of their own: the default 4,90 €, not the price of the language's market).
NAMED = [
    ("en", "how much would delivery to Germany cost me?", "Germany", "€4.90", "€5.90"),
    ("el", "πόσο κοστίζει η αποστολή στην Κύπρο;", "Κύπρος", "4,90", "3,90"),
    ("pl", "ile kosztuje przesyłka do Holandii?", "Holandia", "4,90", "3,90"),
    ("sr", "колико кошта достава за Немачку?", "Немачка", "4,90", "5,90"),
    ("hr", "koliko košta dostava u Sloveniju?", "Slovenija", "4,90", "3,90"),
    ("nb", "hva koster frakt til Finland?", "Finland", "4,90", "7,90"),
    ("da", "hvad koster fragten til Norge?", "Norge", "7,90", "4,90"),
]


def shipping_reply(replies: list[dict], language: str) -> tuple[str, str]:
    assert replies, "the bot must answer"
    found = identify(replies[0]["text"], SHIPPING, prefer=language)
    assert found is not None, replies[0]["text"]
    return found


@pytest.mark.parametrize("language, question, country, price, not_price", NAMED, ids=[n[0] for n in NAMED])
def test_the_named_country_decides_the_price(customer_factory, language, question, country, price, not_price):
    text = customer_factory().say(question)[0]["text"]
    assert shipping_reply([{"text": text}], language) == ("utter_shipping", "sr-Cyrl" if language == "sr" else language)
    assert country in text and price in text and not_price not in text.split("\n")[1]


FOLLOW_UPS = [  # first question, follow-up, the follow-up's country in the reply (messages in no training file)
    ("en", "how much is shipping to France?", "and what about Austria?", "Austria"),
    ("pl", "ile kosztuje wysyłka do Niemiec?", "a do Estonii?", "Estonia"),
    ("nb", "hva koster frakt til Tyskland?", "og til Nederland, da?", "Nederland"),
    ("sr", "колико кошта достава за Аустрију?", "а за Словенију?", "Словенија"),
    ("el", "πόσο κάνουν τα μεταφορικά για Γερμανία;", "και για Αυστρία;", "Αυστρία"),
]


@pytest.mark.parametrize("language, first, follow_up, country", FOLLOW_UPS, ids=[f[0] for f in FOLLOW_UPS])
def test_a_follow_up_country_question_is_understood(customer_factory, language, first, follow_up, country):
    customer = customer_factory()
    shipping_reply(customer.say(first), language)
    replies = customer.say(follow_up)
    assert customer.tracker()["latest_message"]["intent"]["name"] == "ask_shipping"
    name, said_in = shipping_reply(replies, language)
    assert name == "utter_shipping" and said_in == ("sr-Cyrl" if language == "sr" else language)
    assert country in replies[0]["text"]


def test_the_country_is_remembered_and_a_country_we_do_not_serve_gets_the_list(customer_factory):
    customer = customer_factory()
    shipping_reply(customer.say("do you ship to Portugal?"), "en")
    replies = customer.say("how much is express delivery?")
    assert "Delivery to Portugal:" in replies[0]["text"] and "€9.90" in replies[0]["text"]
    replies = customer.say("and to Japan?")
    assert shipping_reply(replies, "en") == ("utter_shipping_not_delivered", "en")
    assert "Japan" in replies[0]["text"] and "Austria, Belgium, Bulgaria" in replies[0]["text"]


def test_the_channels_market_applies_when_no_country_is_named(customer_factory):
    # A Greek-speaking customer writing from a Cypriot number: Cyprus (4,90 €), not Greece (3,90 €).
    cypriot = customer_factory({"phone": "+35799123456", "locale": "el_CY"})
    text = cypriot.say("πόσο κοστίζουν τα μεταφορικά;")[0]["text"]
    assert "Κύπρος" in text and "4,90" in text and "3,90" not in text
    # A Croatian browser: Croatian prices (3,90 / 9,90 €), whatever the detector thinks of the words.
    croatian = customer_factory({"locale": "hr-HR"})
    text = croatian.say("koliko košta dostava?")[0]["text"]
    assert "3,90" in text and "9,90" in text


def test_a_holiday_eve_gets_its_weekday_and_the_profiles_hours(customer_factory):
    hours = BusinessHours(load_profile())
    today = date.today()
    eve = date(today.year, 12, 24) if date(today.year, 12, 24) >= today else date(today.year + 1, 12, 24)
    replies = customer_factory().say("Are you open on Christmas Eve?")
    assert identify(replies[0]["text"], ["utter_hours_holiday_short"]) == ("utter_hours_holiday_short", "en")
    assert f"Christmas Eve ({hours.day_phrase(eve, 'en')}): we're open shorter hours, 08:00–14:00" in replies[0]["text"]
    replies = customer_factory().say("czy jesteście otwarci w Wigilię?")
    assert f"Wigilia ({hours.day_phrase(eve, 'pl', mid_sentence=True)})" in replies[0]["text"]


def test_times_are_named_in_words_and_given_in_a_greek_customers_time(customer_factory):
    replies = customer_factory({"locale": "el-GR", "timezone": "Europe/Athens"}).say("τι ώρες είστε ανοιχτά;")
    schedule = next(reply["text"] for reply in replies if identify(reply["text"], ["utter_hours_schedule"]))
    assert "Ώρα Κεντρικής Ευρώπης" in schedule and "Europe/" not in schedule
    assert "Στη δική σας ώρα (Ώρα Ανατολικής Ευρώπης): Δευ–Παρ: 09:00–21:00" in schedule
    cyrillic = customer_factory().say("када радите?")
    schedule = next(reply["text"] for reply in cyrillic if identify(reply["text"], ["utter_hours_schedule"]))
    assert "средњеевропско време" in schedule and "Еуропе" not in schedule


def test_unknown_country_and_holiday_in_another_language_get_sensible_answers(customer_factory):
    customer = customer_factory()
    replies = customer.say("ile kosztuje wysyłka do Narnii?")  # no such country: the customer's market
    assert shipping_reply(replies, "pl") == ("utter_shipping", "pl") and "Polska" in replies[0]["text"]
    replies = customer.say("a czy jesteście otwarci on Christmas Eve?")
    assert "Wigilia" in replies[0]["text"]  # answered in Polish, with the Polish name
