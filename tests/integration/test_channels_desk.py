"""Agent replies from the console to Messenger and WhatsApp customers, through the real desk and Rasa, within
Meta's messaging windows; what cannot be sent is refused in the console and kept off the transcript."""
from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Optional

import aiohttp
import pytest_asyncio
from aiohttp import web
from redis.asyncio import Redis

from bot.channels import keys
from bot.channels.activity import record_inbound
from bot.desk.agents import AgentDirectory
from bot.desk.app import init_app
from bot.handoff.queue import TicketQueue
from bot.services import free_port
from bot.settings import Settings
from tests.fakes.graph_api import FakeGraphAPI
from tests.integration.desk_client import DeskAgent
from tests.integration.test_channels import phone, psid

PASSWORD = "channels-password-123"
DAY = 24 * 3600


@pytest_asyncio.fixture(scope="module")
async def redis(stack):
    client = Redis(host=stack.redis_host, port=stack.redis_port, db=stack.redis_db)
    directory = AgentDirectory(client)
    for name, spoken, display in (("kari", ["nb"], "Kari"), ("dimitra", ["el"], "Δήμητρα")):
        if await directory.get(name) is None:
            await directory.add(name, PASSWORD, spoken, display_name=display)
    yield client
    await client.close()


@pytest_asyncio.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def last_wrote(redis: Redis, channel: str, sender_id: str, seconds_ago: float) -> None:
    await redis.delete(keys.last_inbound(channel, sender_id))
    await record_inbound(redis, channel, sender_id, time.time() - seconds_ago)


async def asks_for_a_person(fake: FakeGraphAPI, stack: Settings, http: aiohttp.ClientSession, channel: str,
                            sender_id: str, text: str, redis: Redis, name: str = "") -> dict:
    payload = (fake.webhooks.whatsapp_text(sender_id, text, name=name) if channel == "whatsapp"
               else fake.webhooks.messenger_text(sender_id, text))
    assert (await fake.webhooks.post(http, stack.rasa_url, channel, payload))[0] == 200
    await fake.delivered_count(sender_id, 1)  # the bot's handoff answer
    ticket = await TicketQueue(redis).open_ticket(sender_id)
    assert ticket is not None, "the customer's request for a person opened no ticket"
    return dataclasses.asdict(ticket)


async def claimed_by(agent: DeskAgent, name: str, ticket: dict) -> None:
    assert (await agent.login(name, PASSWORD)).status == 302
    status, claimed = await agent.post(f"/desk/api/tickets/{ticket['id']}/claim")
    assert status == 200, claimed


async def reply(agent: DeskAgent, ticket: dict, text: str) -> tuple[int, Optional[str]]:
    status, body = await agent.post(f"/desk/api/tickets/{ticket['id']}/reply", {"text": text})
    return status, body if isinstance(body, str) else None


async def agent_turns(agent: DeskAgent, conversation_id: str) -> list[str]:
    status, view = await agent.get(f"/desk/api/conversations/{conversation_id}")
    assert status == 200, view
    return [turn["text"] for turn in view["transcript"] if turn["who"] == "agent"]


async def customer_turns_once_recorded(agent: DeskAgent, conversation_id: str, expected: str,
                                       seconds: float = 30) -> list[str]:
    """The customer's turns in the agent's transcript, once `expected` is among them: a webhook's 200 means the
    message is safely queued (the intake stream), and Rasa records it a moment later."""
    deadline = time.monotonic() + seconds
    while True:
        _, view = await agent.get(f"/desk/api/conversations/{conversation_id}")
        turns = [t["text"] for t in view["transcript"] if t["who"] == "customer"]
        if expected in turns or time.monotonic() > deadline:
            return turns
        await asyncio.sleep(0.2)


async def test_messenger_agent_replies_use_the_human_agent_tag_then_are_refused_after_7_days(
        stack, graph_api, redis, http):
    customer = psid()
    graph_api.profiles[customer] = {"first_name": "Kari", "last_name": "Berg", "locale": "nb_NO"}
    ticket = await asks_for_a_person(graph_api, stack, http, "messenger", customer, "vil snakke med et menneske", redis)
    assert (ticket["channel"], ticket["language"], ticket["customer_name"]) == ("messenger", "nb", "Kari Berg")

    async with DeskAgent(stack) as kari:
        await claimed_by(kari, "kari", ticket)
        assert await reply(kari, ticket, "Hei Kari, jeg ser på saken din.") == (200, None)
        await last_wrote(redis, "messenger", customer, 2 * DAY)
        assert await reply(kari, ticket, "Pakken er på vei.") == (200, None)
        await last_wrote(redis, "messenger", customer, 8 * DAY)
        status, refusal = await reply(kari, ticket, "Er alt i orden?")
        assert status == 409 and "7 days" in refusal

        sent = [r for r in graph_api.delivered(customer) if "— Kari" in r.text]
        assert [(r.text, r.body["messaging_type"], r.body.get("tag")) for r in sent] == [
            ("Hei Kari, jeg ser på saken din.\n— Kari", "RESPONSE", None),
            ("Pakken er på vei.\n— Kari", "MESSAGE_TAG", "HUMAN_AGENT"),
        ]
        assert await agent_turns(kari, customer) == [r.text for r in sent]  # the refused reply is not on it


async def test_whatsapp_agent_reply_after_a_day_goes_as_the_template_and_the_rating_list_round_trips(
        stack, graph_api, redis, http):
    wa_id = phone("30")
    ticket = await asks_for_a_person(graph_api, stack, http, "whatsapp", wa_id, "θελω να μιλησω με ανθρωπο", redis,
                                     name="Μαρία Κ.")
    assert (ticket["channel"], ticket["language"]) == ("whatsapp", "el")
    photo = graph_api.webhooks.whatsapp(wa_id, {"type": "image", "image": {"id": "9", "mime_type": "image/jpeg"}})
    assert (await graph_api.webhooks.post(http, stack.rasa_url, "whatsapp", photo))[0] == 200

    async with DeskAgent(stack) as dimitra:
        await claimed_by(dimitra, "dimitra", ticket)
        assert "[image]" in await customer_turns_once_recorded(dimitra, wa_id, "[image]")
        photo_id = photo["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
        read = await graph_api.wait_for(lambda: graph_api.requests(photo_id, "read"))  # sent after the 200
        assert "typing_indicator" not in read[0].body  # a person, not the bot, answers now

        assert await reply(dimitra, ticket, "Καλησπέρα, πώς μπορώ να βοηθήσω;") == (200, None)
        await last_wrote(redis, "whatsapp", wa_id, 2 * DAY)
        assert await reply(dimitra, ticket, "Σας γράφω ξανά για την παραγγελία.") == (200, None)
        mine = [r for r in graph_api.delivered(wa_id) if "Δήμητρα" in r.text]
        assert [r.body["type"] for r in mine] == ["text", "template"]
        template = mine[1].body["template"]
        assert (template["name"], template["language"]["code"]) == (graph_api.agent_template, "el")
        assert mine[1].text == "Σας γράφω ξανά για την παραγγελία. — Δήμητρα"

        await last_wrote(redis, "whatsapp", wa_id, 60)
        before = len(graph_api.delivered(wa_id))
        status, _ = await dimitra.post(f"/desk/api/tickets/{ticket['id']}/close", {"resolution": "resolved"})
        assert status == 200
    question = (await graph_api.delivered_count(wa_id, before + 1))[before]
    rows = question.body["interactive"]["action"]["sections"][0]["rows"]
    assert question.body["interactive"]["type"] == "list" and [r["title"] for r in rows] == ["1", "2", "3", "4", "5"]

    tap = graph_api.webhooks.whatsapp(wa_id, {"type": "interactive", "interactive": {
        "type": "list_reply", "list_reply": {"id": rows[4]["id"], "title": rows[4]["title"]}}})
    assert (await graph_api.webhooks.post(http, stack.rasa_url, "whatsapp", tap))[0] == 200
    await graph_api.delivered_count(wa_id, before + 2)
    assert (await TicketQueue(redis).get(ticket["id"])).rating == 5


async def test_whatsapp_reply_after_a_day_without_a_template_is_refused_in_the_console(
        stack, graph_api, redis, http, monkeypatch):
    monkeypatch.setenv("WHATSAPP_AGENT_TEMPLATE", "")
    settings = dataclasses.replace(stack, desk_port=free_port())  # a desk started without the template
    runner = web.AppRunner(init_app(settings))
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.desk_port).start()
    try:
        wa_id = phone("30")
        ticket = await asks_for_a_person(graph_api, stack, http, "whatsapp", wa_id, "εκπροσωπος παρακαλω", redis)
        await last_wrote(redis, "whatsapp", wa_id, 2 * DAY)
        async with DeskAgent(settings) as dimitra:
            await claimed_by(dimitra, "dimitra", ticket)
            before = len(graph_api.requests(wa_id, "message"))
            status, refusal = await reply(dimitra, ticket, "Καλησπέρα!")
            assert status == 409 and "24 hours" in refusal and "template" in refusal
            assert len(graph_api.requests(wa_id, "message")) == before
            assert await agent_turns(dimitra, wa_id) == []
    finally:
        await runner.cleanup()
