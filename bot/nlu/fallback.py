"""FallbackClassifier that also falls back when the message is in a language we do not support."""
from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_detector import LANGUAGE_KEY


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class LanguageAwareFallbackClassifier(FallbackClassifier):
    """Predicts `nlu_fallback` for low confidence, ambiguity, or an unsupported language."""

    def _should_fallback(self, message: Message) -> bool:
        detected = message.get(LANGUAGE_KEY) or {}
        unsupported = detected.get("supported") is False and detected.get("code") not in self._answered_anyway()
        return unsupported or super()._should_fallback(message)

    @staticmethod
    def _answered_anyway() -> dict[str, str]:
        """Unsupported languages this deployment answers in a supported one (UNSUPPORTED_LANGUAGE_REPLIES)."""
        from bot.settings import Settings

        return Settings().unsupported_language_replies
