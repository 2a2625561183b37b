"""In production, log lines are JSON and carry no customer text: not in arguments, f-strings, Rasa's structured
events or exceptions; the conversation is named by a keyed hash."""
from __future__ import annotations

import json
import logging

from bot.logging_setup import JsonFormatter, conversation_hash

EMAIL, PHONE = "anna.kowalska@example.com", "+48601234567"


def line(record: logging.LogRecord, production: bool = True) -> dict:
    return json.loads(JsonFormatter(production=production, process="test").format(record))


def record(name: str, msg: object, args: tuple = (), exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(name, logging.ERROR, "/x/module.py", 12, msg, args, exc_info)


def test_no_customer_text_in_any_form():
    try:
        {}[EMAIL]
    except KeyError:
        import sys

        failure = sys.exc_info()
    structured = json.dumps({"event": "rest.message.received.failure", "text": EMAIL, "sender_id": PHONE,
                             "exception": [{"frames": [{"locals": {"text": EMAIL}}]}]})
    lines = [
        line(record("bot.x", "sent %s to %s after %d tries", (EMAIL, PHONE, 3))),
        line(record("rasa.core.channels.rest", f"failed for {EMAIL}")),
        line(record("sanic.error", "Exception while handling %s", (f"/conversations/{PHONE}/tracker",), failure)),
        line(record("rasa.core.channels.rest", structured)),
    ]
    text = json.dumps(lines)
    assert EMAIL not in text and PHONE not in text and "kowalska" not in text
    assert lines[0]["message"] == "sent … to … after 3 tries"
    assert lines[2]["error"]["type"] == "KeyError"
    assert lines[3]["event"] == "rest.message.received.failure"
    assert lines[3]["conversation"] == conversation_hash(PHONE) != PHONE


def test_development_keeps_the_details():
    details = line(record("bot.x", "sent %s", (EMAIL,)), production=False)
    assert details["message"] == f"sent {EMAIL}"
