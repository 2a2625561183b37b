"""The conversation owns the language, through the real stack: a message that fits two languages in the middle
keeps the answer, the ticket and the statistics in the conversation's language; unsupported languages are answered
in English and never queued under a supported neighbour; an explicit request switches, also in the middle of a form."""
from __future__ import annotations

import asyncio
import time
from typing import Optional

import pytest
from redis.asyncio import Redis

from bot import events as event_stream
from bot.analytics import service_figures
from bot.handoff.queue import TicketQueue
from bot.settings import Settings
from tests.integration.responses import _responses, response_language

CONDITIONED = [name for name, variations in _responses().items()
               if all(v.get("condition") for v in variations)]


def answered_in(replies: list[dict], prefer: str) -> Optional[str]:
    """The language of the bot's first text reply, from the domain variation it matches."""
    text = next(reply["text"] for reply in replies if reply.get("text"))
    for name in CONDITIONED:
        language = response_language(text, name, prefer)
        if language:
            return language.split("-")[0]
    return None


async def ticket_and_statistics(stack: Settings, sender: str) -> tuple[Optional[str], Optional[str]]:
    """The open ticket's language, and the language `bot stats` counts this conversation under (its own events
    from the event stream, the console's reader)."""
    redis = Redis(host=stack.redis_host, port=stack.redis_port, db=stack.redis_db)
    try:
        ticket = await TicketQueue(redis).open_ticket(sender)
        rows: list[dict] = []
        for _ in range(40):  # the event broker writes in the background
            events = [event async for event in event_stream.all_events(redis, time.time() - 3600)
                      if event.get("sender_id") == sender]
            rows = [row for row in service_figures(events, [ticket] if ticket else []) if row["language"] != "all"]
            if rows and all(row["handoffs"] for row in rows):
                break
            await asyncio.sleep(0.25)
        return (ticket.language if ticket else None), (rows[0]["language"] if len(rows) == 1 else str(rows))
    finally:
        await redis.close()


# language, channel metadata, a first message, a message the neighbour (or every language) writes alike, and a
# request for a person. Messages are new: in no training or test file.
CONVERSATIONS = [
    ("en", None, "Hi, where is my parcel? I ordered it last week", "ok", "I'd like to talk to a real person please"),
    ("el", {"locale": "el_GR"}, "Γεια σας, πότε θα φτάσει το δέμα μου;", "ok", "θέλω να μιλήσω με κάποιον υπάλληλο"),
    ("pl", None, "Dzień dobry, gdzie jest moja paczka? Czekam od tygodnia", "ok", "chcę porozmawiać z konsultantem"),
    ("sr", None, "Zdravo, da li šaljete u Niš? Čekam porudžbinu već nedelju dana", "hvala",
     "želim da razgovaram sa operaterom"),
    ("hr", {"locale": "hr-HR"}, "Bok, tko mi može reći gdje mi je paket? Čekam već tjedan dana", "hvala",
     "molim vas, spojite me s nekim iz službe"),
    ("nb", {"phone": "+4791234567"}, "Hei! Hva koster frakten til Tromsø?", "ja",
     "kan jeg snakke med et menneske?"),
    ("da", {"locale": "da-DK"}, "Hej, hvad koster fragten til Aarhus?", "ja", "kan jeg tale med et menneske?"),
]


@pytest.mark.parametrize("language, metadata, first, ambiguous, person", CONVERSATIONS,
                         ids=[c[0] for c in CONVERSATIONS])
async def test_an_ambiguous_message_keeps_the_language_of_answer_ticket_and_statistics(
        stack, customer_factory, language, metadata, first, ambiguous, person):
    customer = customer_factory(metadata=metadata)
    assert answered_in(customer.say(first), language) == language
    middle = customer.say(ambiguous)
    assert customer.tracker()["slots"]["language"] == language
    if middle:
        assert answered_in(middle, language) == language
    assert answered_in(customer.say(person), language) == language
    assert await ticket_and_statistics(stack, customer.sender) == (language, language)


@pytest.mark.parametrize(
    "metadata, messages",
    [({"locale": "da-DK"}, ["Hallo, wie lange dauert der Versand nach Deutschland?", "Können Sie mir bitte helfen?"]),
     (None, ["Hej, jag undrar när mitt paket kommer", "Kan jag prata med en människa?"]),
     ({"phone": "+381641234567"}, ["Здравствуйте, где мой заказ?", "Можно поговорить с оператором?"])],
    ids=["german-on-a-danish-browser", "swedish", "russian-on-a-serbian-phone"],
)
async def test_unsupported_languages_are_answered_in_english_and_never_queued_under_a_neighbour(
        stack, customer_factory, metadata, messages):
    customer = customer_factory(metadata=metadata)
    for text in messages:
        replies = customer.say(text)
        assert replies, "the bot must answer"
        assert all(answered_in([reply], "en") in (None, "en") for reply in replies if reply.get("text"))
    assert "Dansk" in " ".join(r.get("text") or "" for r in replies) or \
        customer.tracker()["latest_message"]["language"]["supported"] is False
    ticket, statistics = await ticket_and_statistics(stack, customer.sender)
    assert ticket == "en" and statistics == "en"
    assert customer.tracker()["slots"]["language"] == "en"


def test_an_explicit_request_switches_and_a_word_in_the_old_language_does_not_switch_back(customer_factory):
    customer = customer_factory()
    assert answered_in(customer.say("Dzień dobry, ile kosztuje wysyłka do Niemiec?"), "pl") == "pl"
    customer.say("could you write in English, please?")
    assert customer.tracker()["slots"]["language"] == "en"
    customer.say("dziękuję")
    assert answered_in(customer.say("how much is delivery to Germany?"), "en") == "en"


def test_a_switch_in_the_middle_of_a_form_answers_in_the_new_language(customer_factory):
    customer = customer_factory(metadata={"locale": "hr-HR"})
    asked = customer.say("Želim vratiti jaknu")
    assert answered_in(asked, "hr") == "hr"
    switched = customer.say("can we continue in English please?")
    assert switched, "never silent"
    assert customer.tracker()["slots"]["language"] == "en"
    assert answered_in(switched, "en") == "en"
    # Confirmed, then the form's question again, in English: the request is no answer to it.
    assert [reply["text"] for reply in switched if reply.get("text")][:2] == [
        "Sure, let's continue in English.",
        "What's your order number? You'll find it in your order confirmation email (for example 10482)."]


def test_the_channel_metadata_outlives_session_start_for_the_market(customer_factory):
    """Rasa sets session_started_metadata just before action_session_start, whose SessionStarted clears it: the
    action sets it again, so prices and the time zone can read the phone's country all session."""
    customer = customer_factory(metadata={"phone": "+4791234567", "locale": "nb_NO"})
    customer.say("hei")
    slots = customer.tracker()["slots"]
    assert (slots["session_started_metadata"] or {}).get("phone") == "+4791234567"
    assert slots["language"] == "nb"


def test_an_explicit_switch_is_confirmed_in_the_new_language_and_a_question_with_it_is_answered(customer_factory):
    customer = customer_factory(metadata={"locale": "pl-PL"})
    assert answered_in(customer.say("Dzień dobry, jak mogę zapłacić za zamówienie?"), "pl") == "pl"
    switched = [reply["text"] for reply in customer.say("could you write in English?") if reply.get("text")]
    assert switched == ["Sure, let's continue in English."]
    assert customer.tracker()["slots"]["language"] == "en"
    back = [reply["text"] for reply in customer.say("proszę pisać po polsku, ile kosztuje wysyłka do Niemiec?")
            if reply.get("text")]
    assert back[0].startswith("Oczywiście, przechodzimy na polski. ")
    assert "4,90" in back[0] and sum(text.startswith("Oczywiście") for text in back) == 1
    assert answered_in(customer.say("a do Czech?"), "pl") == "pl"
