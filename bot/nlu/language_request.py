"""Rasa graph component that recognises an explicit request for another language ("could you write in English?",
"proszę pisać po polsku", "na srpskom molim") after the intent classifiers.

The request is added to the parse result (`language_request: <code>`), where the NLG reads it to confirm the switch
before the first answer. A message that is only the request (its intent says nothing else: no question the
assistant answers) gets the intent `switch_language`, answered with the confirmation alone; one that also asks
something keeps its intent, so the question is answered too, in the new language.
"""
from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.language_requests import only_a_request, requested_language

REQUEST_KEY = "language_request"
SWITCH_INTENT = "switch_language"
# Intents that carry nothing to answer beside the request: what the classifiers make of "write in English, please".
NOTHING_ELSE = frozenset({"nlu_fallback", "out_of_scope", "request_human", "greet", "inform", "affirm", "deny",
                          "thank", "complain", "goodbye"})
# A question intent this sure is a real question asked together with the request.
QUESTION_CONFIDENCE = 0.5


def switch_intent(text: str, intent: dict[str, Any]) -> bool:
    """Whether a message with a language request is only the request: nothing but the request's words, or an
    intent that answers nothing (the classifiers may take "can we continue in English?" for a return)."""
    name = intent.get("name")
    return (only_a_request(text) or name in NOTHING_ELSE or not name
            or float(intent.get("confidence") or 0.0) < QUESTION_CONFIDENCE)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageRequestClassifier(GraphComponent):
    """Sets `language_request` and, for a bare request, the intent `switch_language` (confidence 1)."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LanguageRequestClassifier":
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            code = requested_language(text)
            if not code:
                continue
            message.set(REQUEST_KEY, code, add_to_output=True)
            intent = message.get(INTENT) or {}
            if switch_intent(text, intent):
                switched = {"name": SWITCH_INTENT, "confidence": 1.0}
                ranking = [switched] + [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != SWITCH_INTENT]
                message.set(INTENT, switched, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
