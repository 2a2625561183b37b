"""The web chat page's own texts in every language, and the conversation as the customer saw it."""
from __future__ import annotations

import json
import re

from bot import languages
from bot.desk import chat_page


def test_every_language_has_every_page_text_and_serbian_cyrillic_is_derived():
    texts = chat_page.page_texts()
    assert set(texts) == {*languages.SUPPORTED, "sr-Cyrl"}
    for code, entries in texts.items():
        assert set(entries) == set(texts["en"]), code
        if code != "en":
            assert entries["placeholder"] != texts["en"]["placeholder"], code
    assert texts["sr-Cyrl"]["send"] == "Пошаљи" and texts["sr"]["send"] == "Pošalji"
    assert texts["el"]["send"] == "Αποστολή"


def test_the_page_carries_the_texts_as_inert_json():
    page = chat_page._page()
    found = re.search(r'<script id="chat-texts" type="application/json">(.*?)</script>', page, re.S)
    assert found and json.loads(found.group(1))["pl"]["send"] == "Wyślij"
    assert "{{texts}}" not in page


EVENTS = [
    {"event": "action", "name": "action_session_start"},
    {"event": "user", "text": "/session_start"},
    {"event": "user", "text": "I want to return something"},
    {"event": "bot", "text": "Which item?", "data": {"buttons": [
        {"title": "Sneakers", "payload": '/inform{"item": "10405-1"}'},
        {"title": "<b>T-shirt</b>", "payload": '/inform{"item": "10405-2"}'}]}},
    {"event": "user", "text": '/inform{"item": "10405-2"}'},
    {"event": "bot", "text": "Label: https://example.com/l/1", "data": {}},
    {"event": "bot", "text": "Hello, this is Ola.", "metadata": {"agent": "ola"}},
]


def test_history_shows_what_the_customer_saw():
    messages = chat_page.visible_messages(EVENTS)
    assert [(m["who"], m["text"]) for m in messages] == [
        ("customer", "I want to return something"), ("bot", "Which item?"), ("customer", "<b>T-shirt</b>"),
        ("bot", "Label: https://example.com/l/1"), ("agent", "Hello, this is Ola.")]
    assert all("buttons" not in m for m in messages[:-1])  # stale buttons are not offered again


def test_the_conversation_language_for_the_page():
    assert chat_page.conversation_language({"slots": {"language": "el"}, "events": []}) == "el"
    cyrillic = [{"event": "user", "text": "где је моја поруџбина", "parse_data": {"language": {"code": "sr"}}}]
    assert chat_page.conversation_language({"slots": {"language": "sr"}, "events": cyrillic}) == "sr-Cyrl"
    assert chat_page.conversation_language({"slots": {"language": None}}) is None
    assert chat_page.conversation_language({"slots": {"language": "xx"}}) is None
