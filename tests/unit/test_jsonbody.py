"""Hostile and malformed request bodies are refused with a reason, never an exception that becomes a 500."""
from __future__ import annotations

import pytest

from bot.jsonbody import MAX_DEPTH, BadBody, parse_object

HOSTILE = {
    "empty": b"",
    "not json": b"hello",
    "not utf-8": b"\xff\xfe{}",
    "array": b"[]",
    "string": b'"hi"',
    "number": b"12",
    "arrays 10,000 deep": b"[" * 10_000 + b"]" * 10_000,
    "objects 10,000 deep": b'{"a":' * 10_000 + b"1" + b"}" * 10_000,
    "just over the limit": b'{"a":' * (MAX_DEPTH + 1) + b"1" + b"}" * (MAX_DEPTH + 1),
}


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_bodies_are_refused_with_a_reason(raw):
    with pytest.raises(BadBody) as refused:
        parse_object(raw)
    assert str(refused.value).startswith("the ")


def test_real_payloads_pass():
    whatsapp_like = {"object": "whatsapp_business_account", "entry": [{"changes": [{"value": {"messages": [
        {"interactive": {"list_reply": {"id": "1", "title": "Yes"}}}]}}]}]}
    import json

    assert parse_object(json.dumps(whatsapp_like).encode()) == whatsapp_like
    assert parse_object('{"sender": "web-1234abcd", "text": "γεια"}') == {"sender": "web-1234abcd", "text": "γεια"}
