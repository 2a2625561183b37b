"""The web chat's input channel (connectors/webchat.py, at Rasa's REST address) refuses what is not a message."""
from __future__ import annotations

import json
import uuid

import aiohttp
import pytest

from bot.intake.texts import TOO_LONG
from connectors.webchat import MAX_BODY_BYTES, MAX_TEXT_LENGTH

DEEP = "[" * 10_000 + "]" * 10_000

BAD_BODIES = {
    "empty body": b"",
    "JSON array": b'[{"sender": "web-1", "message": "hi"}]',
    "JSON string": b'"hello"',
    "not JSON": b"sender=web-1&message=hi",
    "nested 10,000 deep": DEEP.encode(),
    "nested 10,000 deep inside a message": ('{"sender": "web-1", "message": "hi", "metadata": {"a": %s}}' % DEEP).encode(),
    "missing sender": b'{"message": "hi"}',
    "empty sender": b'{"sender": "", "message": "hi"}',
    "sender not a string": b'{"sender": 42, "message": "hi"}',
    "missing message": b'{"sender": "web-1"}',
    "message not a string": b'{"sender": "web-1", "message": {"text": "hi"}}',
    "message a number": b'{"sender": "web-1", "message": 42}',
    "metadata not an object": b'{"sender": "web-1", "message": "hi", "metadata": "pl"}',
}


async def post(stack, body: bytes) -> tuple[int, object]:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{stack.rasa_url}/webhooks/rest/webhook", data=body,
                             headers={"Content-Type": "application/json"}) as response:
            return response.status, await response.json(content_type=None)


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
async def test_a_malformed_body_gets_400_with_the_reason(stack, body):
    status, answer = await post(stack, body)
    assert status == 400 and answer["error"]


async def test_a_message_over_the_limit_gets_413_and_a_clear_answer_in_the_customers_language(stack):
    text = "Dzień dobry, mam pytanie o moje zamówienie i zwrot towaru. " * 200
    assert len(text) > MAX_TEXT_LENGTH
    status, answer = await post(stack, json.dumps({"sender": "web-too-long", "message": text}).encode())
    assert status == 413 and [reply["text"] for reply in answer["replies"]] == [TOO_LONG["pl"]]
    status, _ = await post(stack, b'{"sender": "web-big", "message": "' + b"a" * MAX_BODY_BYTES + b'"}')
    assert status == 413


async def test_after_bad_input_a_real_message_is_answered_with_200(stack):
    for body in (b"", DEEP.encode(), b'"x"'):
        await post(stack, body)
    status, replies = await post(stack, json.dumps({"sender": f"web-{uuid.uuid4().hex[:12]}",
                                                    "message": "what are your opening hours?"}).encode())
    assert status == 200 and replies and all(reply["text"] for reply in replies)
