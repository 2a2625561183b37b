"""Malformed and hostile bodies, correctly signed where a signature is needed, get a 4xx from every entry point
(Messenger and WhatsApp webhooks, the web chat API), never a 500, and the stack keeps answering."""
from __future__ import annotations

import aiohttp
import pytest

from bot.channels.signature import sign

HOSTILE = {
    "objects 10,000 deep": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "arrays 10,000 deep": b"[" * 10_000 + b"]" * 10_000,
    "a JSON array": b"[]",
    "a JSON string": b'"hello"',
    "not JSON": b"{\"object\": ",
    "empty": b"",
}


@pytest.mark.parametrize("channel", ["messenger", "whatsapp"])
async def test_signed_meta_webhooks_answer_4xx_to_hostile_bodies(stack, graph_api, channel):
    async with aiohttp.ClientSession() as http:
        for name, raw in HOSTILE.items():
            headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, graph_api.app_secret)}
            async with http.post(f"{stack.rasa_url}/webhooks/{channel}/webhook", data=raw, headers=headers) as answer:
                assert 400 <= answer.status < 500, (channel, name, answer.status, await answer.text())
        async with http.get(f"{stack.rasa_url}/webhooks/ops/healthz") as answer:
            assert answer.status == 200


async def test_the_web_chat_api_answers_400_to_hostile_bodies(stack):
    async with aiohttp.ClientSession() as http:
        for name, raw in HOSTILE.items():
            async with http.post(f"http://{stack.host}:{stack.desk_port}/chat/api/messages", data=raw,
                                 headers={"Content-Type": "application/json"}) as answer:
                assert answer.status == 400, (name, answer.status)
                assert "JSON" in await answer.text() or "object" in await answer.text(), name
