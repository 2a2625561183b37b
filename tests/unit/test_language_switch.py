"""An explicit request for another language is confirmed in that language, alone or before the answer to a
question asked with it, and the conversation goes on in it."""
from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bot.conversation import conversation_language, language_request_turn
from bot.nlg import MultilingualNLG
from bot.nlu.language_request import SWITCH_INTENT, LanguageRequestClassifier


def _classified(text: str, intent: str, confidence: float) -> Message:
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence},
                            "intent_ranking": [{"name": intent, "confidence": confidence}]})
    return LanguageRequestClassifier().process([message])[0]


@pytest.mark.parametrize("text, code", [
    ("could you write in English?", "en"), ("proszę pisać po polsku", "pl"), ("na srpskom molim", "sr"),
    ("kan du skrive på dansk?", "da"), ("μπορείτε να γράφετε στα ελληνικά;", "el"),
])
def test_a_bare_request_becomes_switch_language(text, code):
    message = _classified(text, "out_of_scope", 0.6)
    assert message.get("language_request") == code
    assert message.get("intent") == {"name": SWITCH_INTENT, "confidence": 1.0}


def test_a_request_with_a_question_keeps_the_question():
    message = _classified("can you answer in English? how much is shipping to Poland", "ask_shipping", 0.8)
    assert message.get("language_request") == "en" and message.get("intent")["name"] == "ask_shipping"


def test_a_bare_request_is_a_switch_whatever_the_classifier_makes_of_it():
    """In a return form "can we continue in English?" was classified as start_return (0.97)."""
    message = _classified("can we continue in English please?", "start_return", 0.97)
    assert message.get("intent")["name"] == SWITCH_INTENT


def test_a_message_without_a_request_is_left_alone():
    message = _classified("nie mówię po angielsku", "out_of_scope", 0.6)
    assert message.get("language_request") is None and message.get("intent")["name"] == "out_of_scope"


@pytest.fixture(scope="module")
def nlg(project_root) -> MultilingualNLG:
    return MultilingualNLG(domain=Domain.load(str(project_root / "domain.yml")))


def _user(text: str, code: str, request: str | None, intent: str, timestamp: float) -> UserUttered:
    parse = {"intent": {"name": intent, "confidence": 0.9}, "entities": [], "text": text,
             "language": {"code": code, "confidence": 0.95, "supported": True, "candidates": [code]}}
    if request:
        parse["language_request"] = request
    return UserUttered(text, parse["intent"], [], parse, timestamp=timestamp)


def _tracker(*events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("customer", [ActionExecuted("action_listen"), *events])


def _say(nlg: MultilingualNLG, tracker: DialogueStateTracker, action: str) -> str:
    return asyncio.run(nlg.generate(action, tracker, "rest"))["text"]


def test_polish_conversation_switched_to_english_is_confirmed_once_and_continues_in_english(nlg):
    events = [_user("dzień dobry, gdzie jest moja paczka", "pl", None, "check_order_status", 1.0),
              BotUttered("…"), ActionExecuted("action_listen"),
              _user("could you write in English? what are your opening hours", "en", "en", "ask_opening_hours", 2.0)]
    tracker = _tracker(*events)
    assert conversation_language([e.as_dict() for e in tracker.events], {}).reply == "en"
    first = _say(nlg, tracker, "utter_anything_else")
    assert first == "Sure, let's continue in English. Is there anything else I can help you with?"
    assert _say(nlg, tracker, "utter_anything_else") == "Is there anything else I can help you with?"
    tracker.update(BotUttered(first))
    assert language_request_turn([e.as_dict() for e in tracker.events]) is None


@pytest.mark.parametrize("text, code, expected", [
    ("proszę pisać po polsku", "pl", "Oczywiście, przechodzimy na polski."),
    ("na srpskom molim", "sr", "Naravno, prelazimo na srpski."),
    ("kan du skrive på dansk?", "da", "Selvfølgelig, vi skriver videre på dansk."),
])
def test_a_bare_request_is_answered_with_the_confirmation_alone_in_the_new_language(nlg, text, code, expected):
    tracker = _tracker(_user("where is my parcel", "en", None, "check_order_status", 1.0), BotUttered("…"),
                       ActionExecuted("action_listen"), _user(text, "hr" if code == "sr" else code, code,
                                                              SWITCH_INTENT, 2.0))
    assert _say(nlg, tracker, "utter_language_switched") == expected


@pytest.mark.parametrize("text", ["a do Polski?", "ile kosztuje wysyłka do Polski", "paczka z Polski"])
def test_poland_in_the_genitive_is_a_country_not_a_request_for_polish(text):
    message = _classified(text, "ask_shipping", 0.8)
    assert message.get("language_request") is None and message.get("intent")["name"] == "ask_shipping"
