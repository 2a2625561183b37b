"""No message lost, none answered twice, never silent: a Rasa of its own (alone in its consumer group) on a Redis of
its own with the append-only file, killed with SIGKILL, its Redis killed, its way to the action server cut."""
from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import signal
import time
import uuid

import aiohttp
import pytest
import pytest_asyncio
from redis.asyncio import Redis

from bench.relay import Relay
from bot.channels.keys import seen_message
from bot.handoff.queue import Ticket, TicketQueue
from bot.intake.stream import IntakeStream, inbox_key
from bot.intake.texts import BUSY, FAILED
from bot.intake.turns import sent_key
from bot.services import Service, Stack, free_port
from tests.conftest import AGENT_PASSWORD
from tests.integration.desk_client import DeskAgent
from tests.integration.responses import identify
from tests.fakes.graph_api import timeout
from tests.integration.test_channels import phone

CUSTOMERS: list[str] = []  # conversations written by the tests before Redis is killed


def kill(service: Service) -> None:
    """kill -9, the whole process group (Rasa's Sanic may have workers)."""
    os.killpg(service.process.pid, signal.SIGKILL)
    service.process.wait(10)


@dataclasses.dataclass
class Lone:
    stack: Stack
    relay: Relay  # between Rasa and the session's action server

    @property
    def settings(self):
        return self.stack.settings

    def service(self, name: str) -> Service:
        return [s for s in self.stack.services if s.name == name and s.process.poll() is None][-1]


@pytest.fixture(scope="module")
def lone(stack, tmp_path_factory):
    relay = Relay([(stack.host, stack.action_port)]).start()
    settings = dataclasses.replace(stack, redis_port=free_port(), redis_db=0, rasa_port=free_port(),
                                   action_port=relay.port, run_dir=tmp_path_factory.mktemp("lone"))
    running = Stack(settings, settings.run_dir / "logs")
    try:
        running.start_redis(settings.run_dir / "redis")
        running.start_rasa()
        yield Lone(running, relay)
    finally:
        running.stop()
        relay.close()


@pytest_asyncio.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def tracker(http: aiohttp.ClientSession, lone: Lone, sender: str) -> dict:
    s = lone.settings
    async with http.get(f"{s.rasa_url}/conversations/{sender}/tracker", params={"token": s.rasa_token}) as response:
        return await response.json()


async def user_texts(http, lone, sender) -> list[str]:
    return [e["text"] for e in (await tracker(http, lone, sender))["events"] if e["event"] == "user"]


async def web_chat(http, lone, sender: str, text: str, **extra) -> tuple[int, list]:
    async with http.post(f"{lone.settings.rasa_url}/webhooks/rest/webhook",
                         json={"sender": sender, "message": text, **extra}) as response:
        return response.status, await response.json()


async def outbox(lone: Lone, sender: str, count: int, timeout: float = 60) -> list[dict]:
    """The messages the chat page receives through the conversation's outbox."""
    redis = Redis(host=lone.settings.redis_host, port=lone.settings.redis_port)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            entries = await redis.xrange(f"outbox:{sender}")
            if len(entries) >= count:
                return [json.loads(fields[b"message"]) for _, fields in entries]
            await asyncio.sleep(0.2)
        raise AssertionError(f"the outbox of {sender} did not get {count} message(s)")
    finally:
        await redis.close()


async def test_rasa_killed_right_after_the_200_answers_after_the_restart_and_a_redelivery_is_not_answered_again(
        lone, graph_api, http):
    wa_id = phone("48")
    CUSTOMERS.append(wa_id)
    payload = graph_api.webhooks.whatsapp_text(wa_id, "jakie są formy płatności?",
                                               message_id=f"wamid.{uuid.uuid4().hex}")
    assert await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", payload) == (200, "EVENT_RECEIVED")
    kill(lone.service("rasa"))
    assert graph_api.delivered(wa_id) == []
    lone.stack.start_rasa()
    answers = await graph_api.delivered_count(wa_id, 1, timeout=60)
    # Meta delivers the same message again (its answer was late): acknowledged, not answered again.
    assert await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", payload) == (200, "EVENT_RECEIVED")
    barrier = graph_api.webhooks.whatsapp_text(wa_id, "dziękuję")
    assert (await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", barrier))[0] == 200
    await graph_api.delivered_count(wa_id, len(answers) + 1, timeout=60)
    await asyncio.sleep(1)
    events = (await tracker(http, lone, wa_id))["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == ["jakie są formy płatności?", "dziękuję"]
    assert len(graph_api.delivered(wa_id)) == len([e for e in events if e["event"] == "bot"])


async def test_action_server_down_the_customer_hears_we_are_busy_in_their_language_then_gets_the_answer(
        lone, graph_api, http):
    lone.relay.stop()
    try:
        sender = f"web-{uuid.uuid4().hex[:12]}"
        CUSTOMERS.append(sender)
        status, replies = await web_chat(http, lone, sender, "Γεια σας, ποιες είναι οι ώρες λειτουργίας σας;")
        assert status == 202 and [r["text"] for r in replies] == [BUSY["el"]]
        wa_id = phone("47")
        message = graph_api.webhooks.whatsapp_text(wa_id, "hei, hvilke betalingsmåter har dere?")
        assert (await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", message))[0] == 200
        busy = await graph_api.delivered_count(wa_id, 1)
        assert [r.text for r in busy] == [BUSY["nb"]]
    finally:
        lone.relay.start()
    answers = await outbox(lone, sender, 1)
    assert answers and "busy" not in answers[0]
    assert await user_texts(http, lone, sender) == ["Γεια σας, ποιες είναι οι ώρες λειτουργίας σας;"]
    real = await graph_api.delivered_count(wa_id, 2, timeout=60)
    assert real[1].text != BUSY["nb"]
    assert await user_texts(http, lone, wa_id) == ["hei, hvilke betalingsmåter har dere?"]


async def test_redis_killed_the_customer_hears_we_are_busy_then_gets_the_answer_and_nothing_written_is_lost(
        lone, graph_api, http):
    s = lone.settings
    redis = Redis(host=s.redis_host, port=s.redis_port)
    queue = TicketQueue(redis)
    tickets = [(await queue.enqueue(Ticket(f"customer-{uuid.uuid4().hex}", "web", "pl", "request")))[0]
               for _ in range(5)]
    await redis.close()
    before = {sender: await user_texts(http, lone, sender) for sender in CUSTOMERS}
    assert all(before.values())
    time.sleep(1.2)  # written more than a second before the crash
    kill(lone.service("redis"))

    wa_id = phone("45")
    payload = graph_api.webhooks.whatsapp_text(wa_id, "hej, hvordan kan jeg betale?")
    status, _ = await graph_api.webhooks.post(http, s.rasa_url, "whatsapp", payload)
    assert status == 503  # Meta delivers it again later
    assert [r.text for r in await graph_api.delivered_count(wa_id, 1)] == [BUSY["da"]]
    sender = f"web-{uuid.uuid4().hex[:12]}"
    status, replies = await web_chat(http, lone, sender, "Dobry wieczór, jakie macie godziny otwarcia?")
    assert status == 202 and [r["text"] for r in replies] == [BUSY["pl"]]

    lone.stack.start_redis(s.run_dir / "redis")
    assert (await graph_api.delivered_count(wa_id, 2, timeout=60))[1].text != BUSY["da"]
    assert (await graph_api.webhooks.post(http, s.rasa_url, "whatsapp", payload))[0] == 200  # Meta's retry
    assert "busy" not in (await outbox(lone, sender, 1))[0]
    await asyncio.sleep(2)
    events = (await tracker(http, lone, wa_id))["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == ["hej, hvordan kan jeg betale?"]
    assert len(graph_api.delivered(wa_id)) == 1 + len([e for e in events if e["event"] == "bot"])
    for customer, texts in before.items():
        assert await user_texts(http, lone, customer) == texts
    redis = Redis(host=s.redis_host, port=s.redis_port)
    assert {t.id for t in tickets} <= {t.id for t in await TicketQueue(redis).all_tickets()}
    await redis.close()


async def test_a_message_that_fails_every_time_is_set_aside_the_customer_is_offered_a_person_and_the_desk_shows_it(
        agents, http):
    s = agents
    redis = Redis(host=s.redis_host, port=s.redis_port, db=s.redis_db)
    dead_before = await redis.xlen("intake:dead")
    sender = f"web-{uuid.uuid4().hex[:12]}"
    # A message no replica can process (an entry written by a broken client or a bad release): every attempt fails.
    poisoned = await redis.xadd("intake:rest", {"sender": sender, "message_id": f"poison-{uuid.uuid4().hex}",
                                                "data": "{not json", "reply": "outbox"})
    await redis.rpush(f"intake:inbox:rest:{sender}", poisoned)
    async with http.post(f"{s.rasa_url}/webhooks/rest/webhook",
                         json={"sender": sender, "message": "what are your opening hours?"}) as response:
        assert response.status == 200  # the customer's next message is not blocked behind it
        assert all(not reply.get("busy") for reply in await response.json())
    (_, offered), = await redis.xrange(f"outbox:{sender}")
    offer = json.loads(offered[b"message"])
    assert offer["buttons"] == [{"title": "Talk to a person", "payload": "/request_human"}]
    assert await redis.xlen("intake:dead") == dead_before + 1
    await redis.close()
    async with DeskAgent(s) as agent:
        await agent.login("ola", AGENT_PASSWORD)
        status, figures = await agent.get("/desk/api/stats?days=1")
    assert status == 200 and figures["dead_letters"]["count"] == dead_before + 1
    assert figures["dead_letters"]["latest"][0]["channel"] == "rest"


async def test_action_server_failing_mid_message_the_customer_hears_we_are_busy_then_the_answer_exactly_once(
        lone, graph_api, http):
    """The health check passes, but the action call itself is cut: Rasa saves a silent turn, which is resumed."""
    sender, wa_id = f"web-{uuid.uuid4().hex[:12]}", phone("30")
    CUSTOMERS.append(sender)
    assert (await web_chat(http, lone, sender, "jakie są formy płatności?"))[0] == 200
    first = graph_api.webhooks.whatsapp_text(wa_id, "τρόποι πληρωμής;")
    assert (await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", first))[0] == 200
    before = len(await graph_api.delivered_count(wa_id, 1, timeout=60))
    lone.relay.refuse(b"POST /webhook")  # every action call fails with a connection error; /health answers
    try:
        status, replies = await web_chat(http, lone, sender, "ile kosztuje wysyłka?")
        assert status == 202 and [r["text"] for r in replies] == [BUSY["pl"]]
        second = graph_api.webhooks.whatsapp_text(wa_id, "πόσο κοστίζει η αποστολή;")
        assert (await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", second))[0] == 200
        busy = (await graph_api.delivered_count(wa_id, before + 1))[before:]
        assert [r.text for r in busy] == [BUSY["el"]]
        await asyncio.sleep(3)  # resumes are tried meanwhile and fail: still nothing but the one notice
        assert len(graph_api.delivered(wa_id)) == before + 1
        assert await user_texts(http, lone, wa_id) == ["τρόποι πληρωμής;", "πόσο κοστίζει η αποστολή;"]
    finally:
        lone.relay.refuse(None)
    answer = await outbox(lone, sender, 1)
    assert identify(answer[0]["text"], ["utter_shipping"]) == ("utter_shipping", "pl")
    real = (await graph_api.delivered_count(wa_id, before + 2, timeout=60))[before + 1:]
    assert identify(real[0].text, ["utter_shipping"]) == ("utter_shipping", "el")
    # Nothing more comes, and the next message is answered as usual.
    thanks = graph_api.webhooks.whatsapp_text(wa_id, "ευχαριστώ")
    assert (await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", thanks))[0] == 200
    await graph_api.delivered_count(wa_id, before + 3, timeout=60)
    await asyncio.sleep(1)
    texts = [r.text for r in graph_api.delivered(wa_id)]
    assert texts.count(real[0].text) == 1 and texts.count(BUSY["el"]) == 1
    assert await user_texts(http, lone, wa_id) == ["τρόποι πληρωμής;", "πόσο κοστίζει η αποστολή;", "ευχαριστώ"]
    assert await user_texts(http, lone, sender) == ["jakie są formy płatności?", "ile kosztuje wysyłka?"]
    redis = Redis(host=lone.settings.redis_host, port=lone.settings.redis_port)
    assert len(await redis.xrange(f"outbox:{sender}")) == 1  # the answer once, no second busy note
    await redis.close()


async def test_an_action_failing_with_an_error_of_its_own_gets_sorry_and_a_person_offered_instead_of_silence(
        lone, graph_api, http):
    """An action answering 500 is a bug, not an outage (resuming would fail again): the customer hears at once, in
    their language, and is offered a person; the next message is answered as usual."""
    sender, wa_id = f"web-{uuid.uuid4().hex[:12]}", phone("47")
    lone.relay.refuse(b"POST /webhook", b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                                        b"Connection: close\r\n\r\n")
    try:
        status, replies = await web_chat(http, lone, sender, "ile kosztuje wysyłka do Niemiec?")
        assert status == 200 and [r["text"] for r in replies] == [FAILED["pl"]]
        assert replies[0]["buttons"][0]["payload"] == "/request_human"
        message = graph_api.webhooks.whatsapp_text(wa_id, "hva koster frakten til Bergen?")
        assert (await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", message))[0] == 200
        sorry = await graph_api.delivered_count(wa_id, 1, timeout=60)
        assert [r.text for r in sorry] == [FAILED["nb"]]
    finally:
        lone.relay.refuse(None)
    status, replies = await web_chat(http, lone, sender, "a jakie są formy płatności?")
    assert status == 200 and identify(replies[0]["text"], ["utter_payment_methods"]) == ("utter_payment_methods", "pl")
    await asyncio.sleep(1)
    assert len(graph_api.delivered(wa_id)) == 1  # said once, not retried


async def test_rasa_killed_after_saving_the_turn_before_the_reply_went_out_sends_it_once_after_the_restart(
        lone, graph_api, http):
    wa_id = phone("385")
    graph_api.fail_next(wa_id, timeout(30))  # the reply's send hangs: the turn is saved, nothing delivered yet
    text = "koji su načini plaćanja?"
    payload = graph_api.webhooks.whatsapp_text(wa_id, text, message_id=f"wamid.{uuid.uuid4().hex}")
    assert await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", payload) == (200, "EVENT_RECEIVED")
    await graph_api.wait_for(lambda: graph_api.requests(wa_id, "message"), timeout=60)
    kill(lone.service("rasa"))
    assert graph_api.delivered(wa_id) == []
    lone.stack.start_rasa()
    answer = await graph_api.delivered_count(wa_id, 1, timeout=90)
    assert identify(answer[0].text, ["utter_payment_methods"])[0] == "utter_payment_methods"
    # Meta's redelivery and the next message: nothing is said twice, the message is in the tracker once.
    assert await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", payload) == (200, "EVENT_RECEIVED")
    thanks = graph_api.webhooks.whatsapp_text(wa_id, "hvala")
    assert (await graph_api.webhooks.post(http, lone.settings.rasa_url, "whatsapp", thanks))[0] == 200
    await graph_api.delivered_count(wa_id, 2, timeout=60)
    await asyncio.sleep(1)
    events = (await tracker(http, lone, wa_id))["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == [text, "hvala"]
    delivered = [r.text for r in graph_api.delivered(wa_id)]
    assert delivered.count(answer[0].text) == 1 and len(delivered) == len([e for e in events if e["event"] == "bot"])


async def test_a_web_chat_turn_saved_but_not_delivered_is_delivered_once_when_its_message_is_claimed_again(lone, http):
    sender, message_id = f"web-{uuid.uuid4().hex[:12]}", uuid.uuid4().hex
    status, replies = await web_chat(http, lone, sender, "what are your opening hours?", message_id=message_id)
    assert status == 200 and replies
    redis = Redis(host=lone.settings.redis_host, port=lone.settings.redis_port)
    try:
        # What a replica killed between Rasa saving the turn and delivering its replies leaves behind: the turn in
        # the tracker, nothing delivered, the message still in the customer's line (claimed again by a replica).
        await redis.delete(sent_key("rest", message_id), seen_message("rest", message_id))
        line = IntakeStream(redis, "rest")
        await line.append(sender, message_id, {"text": "what are your opening hours?", "metadata": {}}, "outbox")
        assert [m["text"] for m in await outbox(lone, sender, len(replies))] == [r["text"] for r in replies]
        await line.append(sender, message_id, {"text": "what are your opening hours?", "metadata": {}}, "outbox")
        for _ in range(100):  # until the second copy has left the line
            if not await redis.llen(inbox_key("rest", sender)):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)
        assert await redis.xlen(f"outbox:{sender}") == len(replies)
    finally:
        await redis.close()
    assert await user_texts(http, lone, sender) == ["what are your opening hours?"]
