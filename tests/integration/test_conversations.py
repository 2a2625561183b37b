"""The same questions in every language, through Rasa's HTTP API: right intent, answer in that language."""
from __future__ import annotations

import pytest

from tests.integration.responses import identify

HOURS = ["utter_hours_open_now", "utter_hours_closed_now", "utter_hours_on_day", "utter_hours_closed_on_day",
         "utter_hours_holiday"]

# (language, intent, message, responses that may answer first). Messages are new: in no training or test file.
QUESTIONS = [
    ("en", "greet", "hey there, good evening", ["utter_greet"]),
    ("en", "ask_opening_hours", "what time do you guys open on saturdays", HOURS),
    ("en", "ask_shipping", "how much do you charge to send a parcel", ["utter_shipping"]),
    ("en", "ask_payment_methods", "which payment options have you got", ["utter_payment_methods"]),
    ("en", "ask_return_policy", "how long have I got to send stuff back", ["utter_return_policy"]),
    ("el", "greet", "καλημέρα σας", ["utter_greet"]),
    ("el", "ask_opening_hours", "τι ώρα ανοίγετε το Σάββατο;", HOURS),
    ("el", "ask_shipping", "poso kostizei h apostolh?", ["utter_shipping"]),
    ("el", "ask_payment_methods", "πώς μπορώ να πληρώσω την παραγγελία;", ["utter_payment_methods"]),
    ("el", "ask_return_policy", "se poses meres mporw na kanw epistrofh", ["utter_return_policy"]),
    ("pl", "greet", "dzień dobry", ["utter_greet"]),
    ("pl", "ask_opening_hours", "do której jesteście dziś czynni?", HOURS),
    ("pl", "ask_shipping", "ile kosztuje wysyłka do polski", ["utter_shipping"]),
    ("pl", "ask_payment_methods", "czy mogę zapłacić blikiem albo kartą?", ["utter_payment_methods"]),
    ("pl", "ask_return_policy", "ile mam dni na zwrot towaru?", ["utter_return_policy"]),
    ("sr", "greet", "dobar dan", ["utter_greet"]),
    ("sr", "ask_opening_hours", "до колико сати радите суботом?", HOURS),
    ("sr", "ask_shipping", "koliko košta dostava za Čačak", ["utter_shipping"]),  # "za Srbiju": Croatian alike
    ("sr", "ask_payment_methods", "kako mogu da platim porudžbinu?", ["utter_payment_methods"]),
    ("sr", "ask_return_policy", "у ком року могу да вратим робу?", ["utter_return_policy"]),
    ("hr", "greet", "bok, dobro jutro", ["utter_greet"]),
    ("hr", "ask_opening_hours", "koje je vaše radno vrijeme subotom?", HOURS),
    ("hr", "ask_shipping", "kolika je cijena dostave do Zagreba", ["utter_shipping"]),
    ("hr", "ask_payment_methods", "mogu li platiti karticom ili pouzećem?", ["utter_payment_methods"]),
    ("hr", "ask_return_policy", "koliko vremena imam za povrat, je li to dva tjedna?", ["utter_return_policy"]),
    ("nb", "greet", "hei hei, god morgen", ["utter_greet"]),
    ("nb", "ask_opening_hours", "når åpner dere på lørdag?", HOURS),
    ("nb", "ask_shipping", "hva koster frakten til Norge?", ["utter_shipping"]),
    ("nb", "ask_payment_methods", "hvilke betalingsmåter tar dere imot?", ["utter_payment_methods"]),
    ("nb", "ask_return_policy", "hvor lang returfrist har dere?", ["utter_return_policy"]),
    ("da", "greet", "hej med dig", ["utter_greet"]),
    ("da", "ask_opening_hours", "hvornår åbner I om lørdagen?", HOURS),
    ("da", "ask_shipping", "hvad koster forsendelsen til Danmark?", ["utter_shipping"]),
    ("da", "ask_payment_methods", "hvordan kan jeg betale hos jer?", ["utter_payment_methods"]),
    ("da", "ask_return_policy", "hvor mange dage har jeg til at returnere varen?", ["utter_return_policy"]),
]


@pytest.mark.parametrize("language, intent, message, responses", QUESTIONS, ids=[f"{q[0]}-{q[1]}" for q in QUESTIONS])
def test_question_is_understood_and_answered_in_its_language(customer_factory, language, intent, message, responses):
    customer = customer_factory()
    replies = customer.say(message)
    latest = customer.tracker()["latest_message"]
    assert latest["intent"]["name"] == intent
    assert latest["language"]["code"] == language
    assert replies, "the bot must answer"
    found = identify(replies[0]["text"], responses, prefer=language)
    expected_language = "sr-Cyrl" if language == "sr" and latest["language"]["script"] == "Cyrl" else language
    assert found is not None and found[1] == expected_language, replies[0]["text"]


def test_serbian_cyrillic_is_answered_in_cyrillic_and_latin_in_latin(customer_factory):
    cyrillic = customer_factory().say("здраво, како могу да платим?")
    assert identify(cyrillic[0]["text"], ["utter_payment_methods"]) == ("utter_payment_methods", "sr-Cyrl")
    assert "PayPal" in cyrillic[0]["text"]  # brand names stay in Latin letters
    latin = customer_factory().say("zdravo, kako mogu da platim?")
    assert identify(latin[0]["text"], ["utter_payment_methods"]) == ("utter_payment_methods", "sr")


def test_language_is_kept_when_a_message_is_too_short_to_tell(customer_factory):
    customer = customer_factory()
    customer.say("hvad koster fragten?")
    replies = customer.say("ok")  # could be any language
    assert customer.tracker()["slots"]["language"] == "da"
    assert identify(replies[0]["text"], ["utter_affirm_ack", "utter_please_rephrase"], prefer="da")[1] == "da"


def test_channel_metadata_sets_the_language_at_session_start(customer_factory):
    customer = customer_factory(metadata={"locale": "nb_NO"})
    replies = customer.say("10482")  # no language in it: an order number, so the bot asks who is asking
    assert customer.tracker()["slots"]["language"] == "nb"
    assert identify(replies[0]["text"], ["utter_ask_order_contact"]) == ("utter_ask_order_contact", "nb")


def test_phone_number_prior_places_a_short_ambiguous_message(customer_factory):
    # "hvala puno" is both Serbian and Croatian: the customer's calling code decides.
    for phone, language in (("+385912345678", "hr"), ("+381641234567", "sr")):
        customer = customer_factory(metadata={"phone": phone})
        customer.say("hvala puno")
        assert customer.tracker()["latest_message"]["language"]["code"] == language


def test_unsupported_language_gets_english_with_the_supported_languages_and_a_person(customer_factory):
    customer = customer_factory()
    replies = customer.say("Guten Tag, wo ist meine Bestellung? Ich warte schon seit zwei Wochen darauf.")
    latest = customer.tracker()["latest_message"]
    assert latest["language"] == {**latest["language"], "code": "de", "supported": False}
    assert "Ελληνικά" in replies[0]["text"] and "Dansk" in replies[0]["text"]
    assert [b["payload"] for b in replies[0]["buttons"]] == ["/affirm", "/deny"]


def test_hours_answer_is_the_real_current_status(customer_factory):
    from datetime import datetime, timezone

    from bot.hours import BusinessHours
    from bot.profile import load_profile

    replies = customer_factory().say("are you open right now?")
    expected = "utter_hours_open_now" if BusinessHours(load_profile()).is_open(datetime.now(timezone.utc)) else (
        "utter_hours_closed_now"
    )
    assert identify(replies[0]["text"], [expected]) == (expected, "en")
    assert identify(replies[1]["text"], ["utter_hours_schedule"]) == ("utter_hours_schedule", "en")
