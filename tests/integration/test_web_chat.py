"""The web chat page of the desk: served, and forwards messages to the bot."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from tests.conftest import http_json
from tests.integration.responses import identify


def desk(stack) -> str:
    return f"http://127.0.0.1:{stack.desk_port}"


def test_chat_page_is_served(stack):
    with urllib.request.urlopen(f"{desk(stack)}/chat") as response:
        page = response.read().decode()
    assert "<form id=\"composer\"" in page and "/static/chat.js" in page


def test_chat_message_round_trip_in_greek(stack):
    answer = http_json(f"{desk(stack)}/chat/api/messages", {"sender": "web-abcdef0123", "text": "γεια σας, πώς πληρώνω;", "locale": "el-GR"})
    assert identify(answer["replies"][0]["text"], ["utter_payment_methods"]) == ("utter_payment_methods", "el")


def test_bad_chat_requests_get_400(stack):
    for body in (b"not json", json.dumps({"sender": "x", "text": "hi"}).encode(), json.dumps({"sender": "web-abcdef0123"}).encode()):
        request = urllib.request.Request(f"{desk(stack)}/chat/api/messages", data=body, headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request)
            raise AssertionError("expected 400")
        except urllib.error.HTTPError as error:
            assert error.code == 400
