"""Two Rasa instances behind a load balancer share Redis: a message Meta delivers to both is answered once."""
from __future__ import annotations

import asyncio
import dataclasses
import uuid

import aiohttp
import pytest

from bot.services import Stack, free_port
from tests.integration.test_channels import phone, tracker


@pytest.fixture(scope="module")
def second_rasa(stack):
    """Another `rasa run` on the same Redis (tracker, lock and de-dup store), as a second replica."""
    replica = dataclasses.replace(stack, rasa_port=free_port())
    running = Stack(replica, stack.run_dir / "logs-replica")
    try:
        running.start_rasa()
        yield replica
    finally:
        running.stop()


async def test_a_message_delivered_to_both_replicas_three_times_is_answered_once(stack, second_rasa, graph_api):
    wa_id = phone("30")
    payload = graph_api.webhooks.whatsapp_text(wa_id, "τροποι πληρωμης;", message_id=f"wamid.{uuid.uuid4().hex}")
    async with aiohttp.ClientSession() as http:
        results = await asyncio.gather(*(graph_api.webhooks.post(http, replica.rasa_url, "whatsapp", payload)
                                         for replica in (stack, second_rasa) * 3))
        assert {status for status, _ in results} == {200}
        await graph_api.delivered_count(wa_id, 1)
        barrier = graph_api.webhooks.whatsapp_text(wa_id, "ευχαριστω")
        assert (await graph_api.webhooks.post(http, second_rasa.rasa_url, "whatsapp", barrier))[0] == 200
        await graph_api.delivered_count(wa_id, 2)
    events = tracker(stack, wa_id)["events"]
    assert [e["text"] for e in events if e["event"] == "user"] == ["τροποι πληρωμης;", "ευχαριστω"]
    assert len(graph_api.delivered(wa_id)) == len([e for e in events if e["event"] == "bot"])
