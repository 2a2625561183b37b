"""Texts over the length we read on Messenger and WhatsApp: the customer is told in their language, never cut
silently; the next message is answered as usual."""
from __future__ import annotations

import pytest

from bot.channels.inbound import MAX_TEXT_LENGTH
from bot.desk.console import MAX_REPLY_LENGTH
from bot.intake.texts import TOO_LONG
from tests.integration.desk_client import DeskAgent
from tests.integration.responses import identify
from tests.integration.test_channels_desk import asks_for_a_person, claimed_by, redis, reply  # noqa: F401 - fixture
from tests.integration.test_channels import answered, http, phone, psid, user_events  # noqa: F401 - fixture

LONG = {
    "pl": "Dzień dobry, piszę w sprawie mojego zamówienia, które miało przyjść w zeszłym tygodniu. ",
    "el": "Καλησπέρα σας, γράφω για την παραγγελία μου που έπρεπε να έρθει την περασμένη εβδομάδα. ",
}


@pytest.mark.parametrize("channel, language", [("whatsapp", "pl"), ("messenger", "el")])
async def test_a_text_over_the_limit_is_refused_with_a_note_in_the_customers_language(
        stack, graph_api, http, channel, language):
    customer = phone("48") if channel == "whatsapp" else psid()
    text = LONG[language] * (MAX_TEXT_LENGTH // len(LONG[language]) + 2)
    assert len(text) > MAX_TEXT_LENGTH
    note = await answered(graph_api, stack, customer, channel, text, http)
    assert [reply.text for reply in note] == [TOO_LONG[language]]
    assert user_events(stack, customer) == []  # not read by the bot, not a cut-off half of it
    # Said in fewer words, it is answered.
    short = {"pl": "jakie są formy płatności?", "el": "τρόποι πληρωμής;"}[language]
    reply = await answered(graph_api, stack, customer, channel, short, http)
    assert identify(reply[0].text, ["utter_payment_methods"]) == ("utter_payment_methods", language)
    assert [event["text"] for event in user_events(stack, customer)] == [short]


async def test_a_text_of_exactly_the_limit_is_read(stack, graph_api, http):
    wa_id = phone("45")
    text = ("kan jeg betale med mobilepay? " * 200)[:MAX_TEXT_LENGTH]
    replies = await answered(graph_api, stack, wa_id, "whatsapp", text, http)
    assert replies[0].text != TOO_LONG["da"]
    assert [event["text"] for event in user_events(stack, wa_id)] == [text.strip()]


async def test_an_agents_reply_longer_than_messengers_limit_arrives_whole_in_parts_meta_accepts(
        stack, graph_api, redis, http):
    customer = psid()
    graph_api.profiles[customer] = {"first_name": "Ingrid", "last_name": "Dahl", "locale": "nb_NO"}
    ticket = await asks_for_a_person(graph_api, stack, http, "messenger", customer, "vil snakke med et menneske", redis)
    sentence = "Vi har sjekket pakken din hos fraktselskapet, og den er på vei til deg. "
    long_reply = (sentence * (MAX_REPLY_LENGTH // len(sentence)))[:MAX_REPLY_LENGTH].strip()
    before = len(graph_api.delivered(customer))
    async with DeskAgent(stack) as kari:
        await claimed_by(kari, "kari", ticket)
        assert await reply(kari, ticket, long_reply) == (200, None)
    parts = (await graph_api.delivered_count(customer, before + 2))[before:]
    attempts = graph_api.requests(customer, "message")[before:]
    assert all(attempt.status == 200 for attempt in attempts)  # nothing refused by the Send API's 2,000 limit
    assert len(parts) == 2 and all(len(part.text) <= 2000 for part in parts)
    assert " ".join(part.text for part in parts).startswith(long_reply[:1500])
