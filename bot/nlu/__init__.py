"""Rasa graph components: language detection, multilingual tokenizer, linear intent classifier, language requests."""
from bot.nlu.language_detector import LanguageDetector
from bot.nlu.tokenizer import MultilingualTokenizer
from bot.nlu.linear_intent_classifier import LinearIntentClassifier
from bot.nlu.fallback import LanguageAwareFallbackClassifier
from bot.nlu.language_request import LanguageRequestClassifier

__all__ = ["LanguageDetector", "MultilingualTokenizer", "LinearIntentClassifier", "LanguageAwareFallbackClassifier",
           "LanguageRequestClassifier"]
