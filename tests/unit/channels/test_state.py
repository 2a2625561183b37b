"""The channels' Redis state on a real Redis: last activity, profile cache; and per-customer order."""
from __future__ import annotations

import asyncio
import time


from bot.channels import keys
from bot.channels.activity import last_inbound, record_inbound
from bot.channels.profiles import MessengerProfiles
from bot.channels.serial import SerialRunner
from bot.desk.transcript import turn



async def test_last_inbound_never_moves_back_nor_into_the_future(redis):
    now = time.time()
    await record_inbound(redis, "messenger", "psid", now - 100)
    await record_inbound(redis, "messenger", "psid", now - 5000)  # a late redelivery of an older message
    assert abs(await last_inbound(redis, "messenger", "psid") - (now - 100)) < 1
    await record_inbound(redis, "messenger", "psid", now + 10_000)
    assert await last_inbound(redis, "messenger", "psid") <= time.time()
    assert await last_inbound(redis, "whatsapp", "psid") is None
    assert await redis.ttl(keys.last_inbound("messenger", "psid")) > 7 * 24 * 3600


async def test_profiles_are_fetched_once_and_failures_are_not_repeated(redis):
    calls: list[str] = []

    async def fetch(psid: str):
        calls.append(psid)
        return {"first_name": "Kari", "last_name": "Nordmann", "locale": "nb_NO", "profile_pic": "https://x"} \
            if psid == "known" else None

    profiles = MessengerProfiles(redis, fetch)
    assert await profiles.get("known") == {"first_name": "Kari", "last_name": "Nordmann", "locale": "nb_NO"}
    assert await profiles.get("known") == {"first_name": "Kari", "last_name": "Nordmann", "locale": "nb_NO"}
    assert await profiles.get("unknown") == {} and await profiles.get("unknown") == {}
    assert calls == ["known", "unknown"]
    assert await redis.ttl(keys.messenger_profile("unknown")) <= 3600


async def test_jobs_run_in_order_per_customer_and_a_failing_job_does_not_stop_the_next():
    runner, done = SerialRunner("test"), []

    def job(name: str, delay: float, fail: bool = False):
        async def run() -> None:
            await asyncio.sleep(delay)
            if fail:
                raise RuntimeError("boom")
            done.append(name)
        return run

    runner.submit("a", job("a1", 0.05))
    runner.submit("a", job("a2", 0.0, fail=True))
    runner.submit("a", job("a3", 0.0))
    runner.submit("b", job("b1", 0.0))
    await runner.drain(5)
    assert done.index("a1") < done.index("a3") and done[0] == "b1" and "a2" not in done


def test_media_turns_show_what_was_sent_in_the_transcript():
    event = {"event": "user", "text": "/media_received", "timestamp": 1.0,
             "metadata": {"channel": "whatsapp", "media": ["image", "audio"]},
             "parse_data": {"intent": {"name": "media_received", "confidence": 1.0}}}
    assert turn(event)["text"] == "[image] [audio]"
    assert turn({**event, "metadata": {}})["text"] == "[attachment]"
    assert turn({**event, "text": "/media_received is what I typed"})["text"] == "/media_received is what I typed"
