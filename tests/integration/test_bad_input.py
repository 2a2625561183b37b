"""Odd messages get a sensible answer, never an error or silence."""
from __future__ import annotations

import pytest

from tests.integration.responses import identify

ODD_MESSAGES = {
    "empty": "",
    "spaces": "   ",
    "emoji only": "😀😀😀",
    "five thousand characters": "where is my order " * 277,  # 4,986: the web chat takes up to 5,000
    "mixed languages": "hello, gdzie jest moja paczka? thanks",
    "unknown script": "注文はどこですか",
    "arabic": "أين طلبي",
    "control characters": "hi\u0000\u0007 there",
}


@pytest.mark.parametrize("message", ODD_MESSAGES.values(), ids=ODD_MESSAGES.keys())
def test_odd_messages_get_an_answer(customer_factory, message):
    replies = customer_factory().say(message)
    assert replies, "the bot must never go silent"
    assert all(reply.get("text") for reply in replies)


def test_long_message_still_understood(customer_factory):
    customer = customer_factory()
    customer.say("where is my order " * 277)
    assert customer.tracker()["latest_message"]["intent"]["name"] == "check_order_status"


def test_empty_message_asks_to_rephrase(customer_factory):
    replies = customer_factory(metadata={"locale": "pl_PL"}).say("")
    assert identify(replies[0]["text"], ["utter_please_rephrase"]) == ("utter_please_rephrase", "pl")
