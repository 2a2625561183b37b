"""Sending through the Graph API client to the fake Graph API over real HTTP: retries, give-ups, windows."""
from __future__ import annotations

import time
import uuid

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from bot.channels import keys
from bot.channels.activity import record_inbound
from bot.channels.config import GraphSettings, MessengerConfig, WhatsAppConfig
from bot.channels.errors import Outcome
from bot.handoff.delivery import ChannelFailed, OutsideWindow
from connectors.agent_delivery import MessengerAgentDelivery, WhatsAppAgentDelivery
from connectors.graph_api import GraphRequestFailed
from connectors.senders import MessengerSender, WhatsAppSender
from tests.fakes.graph_api import VERSION, Failure, FakeGraphAPI, timeout

DAY = 24 * 3600


def graph(fake: FakeGraphAPI) -> GraphSettings:
    return GraphSettings(base_url=fake.url, version=VERSION, timeout_seconds=1.0)


@pytest_asyncio.fixture
async def whatsapp(graph_api):
    config = WhatsAppConfig.from_credentials({}, graph_api.environment())
    sender = WhatsAppSender.create(config, graph(graph_api))
    sender.client.attempts = 2
    yield sender
    await sender.close()


@pytest_asyncio.fixture
async def messenger(graph_api):
    sender = MessengerSender.create(MessengerConfig.from_credentials({}, graph_api.environment()), graph(graph_api))
    yield sender
    await sender.close()


async def last_wrote(redis: Redis, channel: str, sender_id: str, seconds_ago: float) -> None:
    await redis.delete(keys.last_inbound(channel, sender_id))
    await record_inbound(redis, channel, sender_id, time.time() - seconds_ago)


def someone() -> str:
    return "30" + str(uuid.uuid4().int)[:10]


async def test_429_then_success_is_delivered_exactly_once(graph_api, whatsapp):
    wa_id = someone()
    graph_api.fail_next(wa_id, Failure(429, 130429))
    await whatsapp.send(wa_id, {"type": "text", "text": {"body": "Γεια σας"}})
    attempts = graph_api.requests(wa_id, "message")
    assert [a.status for a in attempts] == [429, 200] and len(graph_api.delivered(wa_id)) == 1


async def test_server_errors_are_retried_then_given_up_with_a_log_line(graph_api, whatsapp, caplog):
    wa_id = someone()
    graph_api.fail_next(wa_id, Failure(500, 2), Failure(503, 2))
    with pytest.raises(GraphRequestFailed) as failed:
        await whatsapp.send(wa_id, {"type": "text", "text": {"body": "x"}})
    assert failed.value.attempts == 2 and graph_api.delivered(wa_id) == []
    assert "Graph API gave up" in caplog.text and wa_id not in caplog.text  # no phone numbers in the logs


async def test_a_timed_out_send_is_not_repeated(graph_api, whatsapp):
    wa_id = someone()
    graph_api.fail_next(wa_id, timeout(3))
    with pytest.raises(GraphRequestFailed) as failed:  # the fake answers after 3 s: only our timeout ends it earlier
        await whatsapp.send(wa_id, {"type": "text", "text": {"body": "x"}})
    assert failed.value.outcome is Outcome.FAILED
    assert len(graph_api.requests(wa_id, "message")) == 1  # Meta may have delivered it: no second copy


async def test_messenger_profile_without_locale_access_still_gives_the_name(graph_api, messenger):
    graph_api.profiles["psid-restricted"] = {"first_name": "Kari", "last_name": "Nordmann", "locale": "nb_NO"}
    graph_api.locale_restricted.add("psid-restricted")
    assert await messenger.profile("psid-restricted") == {"first_name": "Kari", "last_name": "Nordmann",
                                                          "id": "psid-restricted"}
    assert await messenger.profile("psid-nobody") is None


async def test_messenger_agent_replies_follow_the_windows(graph_api, messenger, redis):
    deliver, psid = MessengerAgentDelivery(messenger, redis), f"psid-{uuid.uuid4().hex}"
    reply = {"text": "Hei, jeg heter Kari.\n— Kari", "agent": "Kari", "language": "nb"}

    await last_wrote(redis, "messenger", psid, 3600)
    await deliver(psid, [reply])
    await last_wrote(redis, "messenger", psid, 2 * DAY)
    await deliver(psid, [reply])
    with pytest.raises(OutsideWindow, match="bot|24 hours"):
        await deliver(psid, [{"text": "Hvordan vil du vurdere samtalen?"}])  # the tag is for people only

    sent = graph_api.delivered(psid)
    assert [(s.body["messaging_type"], s.body.get("tag")) for s in sent] == [
        ("RESPONSE", None), ("MESSAGE_TAG", "HUMAN_AGENT")]

    await last_wrote(redis, "messenger", psid, 8 * DAY)
    with pytest.raises(OutsideWindow, match="7 days"):
        await deliver(psid, [reply])
    assert len(graph_api.delivered(psid)) == 2


async def test_whatsapp_agent_replies_after_a_day_use_the_template_or_are_refused(graph_api, whatsapp, redis):
    wa_id = someone()
    await last_wrote(redis, "whatsapp", wa_id, 2 * DAY)
    reply = {"text": "Καλησπέρα!\n— Νίκος", "agent": "Νίκος", "language": "el"}
    without = WhatsAppConfig.from_credentials({}, {**graph_api.environment(), "WHATSAPP_AGENT_TEMPLATE": ""})
    with pytest.raises(OutsideWindow, match="template"):
        await WhatsAppAgentDelivery(whatsapp, without, redis)(wa_id, [reply])
    assert graph_api.requests(wa_id) == []

    configured = WhatsAppConfig.from_credentials({"template_languages": {"en": "en_GB"}}, graph_api.environment())
    await WhatsAppAgentDelivery(whatsapp, configured, redis)(wa_id, [reply, {**reply, "language": "en"}])
    templates = [s.body["template"] for s in graph_api.delivered(wa_id)]
    assert [(t["name"], t["language"]["code"]) for t in templates] == [("agent_reply", "el"), ("agent_reply", "en_GB")]
    assert templates[0]["components"][0]["parameters"][0]["text"] == "Καλησπέρα! — Νίκος"


async def test_whatsapp_refusals_from_meta_reach_the_agent(graph_api, whatsapp, redis):
    wa_id = someone()
    await record_inbound(redis, "whatsapp", wa_id)
    deliver = WhatsAppAgentDelivery(whatsapp, WhatsAppConfig.from_credentials({}, graph_api.environment()), redis)
    graph_api.fail_next(wa_id, Failure(400, 131047))
    with pytest.raises(OutsideWindow, match="window"):
        await deliver(wa_id, [{"text": "hi", "agent": "Ola"}])
    graph_api.fail_next(wa_id, Failure(500, 131000), Failure(500, 131000))
    with pytest.raises(ChannelFailed, match="HTTP 500"):
        await deliver(wa_id, [{"text": "hi", "agent": "Ola"}])
    assert graph_api.delivered(wa_id) == []
