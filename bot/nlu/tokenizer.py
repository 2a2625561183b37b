"""Rasa tokenizer that uses spaCy's tokenizer for each message's detected language.

Each token's `lemma` is the form featurizers see: spaCy's lookup lemma where spacy-lookups-data has one,
then normalised (folded diacritics, Serbian in Latin script, Greek and Greeklish on one spelling).
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import languages
from bot.nlu.language_detector import LANGUAGE_KEY, training_language
from bot.text import normalise
from bot.transliterate import latin_to_cyrillic

# Lemma tables keyed by surface form; Serbian's is in Cyrillic, so Latin tokens are looked up transliterated.
_LOOKUP_SCRIPT_ADAPTERS: dict[str, Callable[[str], str]] = {"sr": latin_to_cyrillic}


@functools.lru_cache(maxsize=None)
def _spacy_tokenizer(code: str):
    import spacy

    try:
        return spacy.blank(code).tokenizer
    except Exception:  # spaCy has no class for this language: its multi-language tokenizer will do
        return spacy.blank("xx").tokenizer


@functools.lru_cache(maxsize=None)
def _lemma_table(code: str) -> Optional[Any]:
    from spacy.lookups import load_lookups

    try:
        return load_lookups(code, ["lemma_lookup"]).get_table("lemma_lookup")
    except (ValueError, KeyError):  # no lookup table for this language (el, pl need POS tags)
        return None


def message_language(message: Message) -> str:
    detected = message.get(LANGUAGE_KEY) or {}
    return detected.get("code") or training_language(message) or languages.DEFAULT_LANGUAGE


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualTokenizer(Tokenizer):
    """spaCy tokenisation per detected language, with normalised lookup lemmas."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            "lookup_lemmas": True,
            "normalise": True,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy", "spacy_lookups_data"]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._lookup_lemmas = config["lookup_lemmas"]
        self._normalise = config["normalise"]
        if self._lookup_lemmas:  # load the tables now, not on a customer's first message
            for code in languages.SUPPORTED:
                _lemma_table(code)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        code = message_language(message) if attribute == TEXT else languages.DEFAULT_LANGUAGE
        tokens = [
            Token(tok.text, tok.idx, lemma=self._lemma(tok.text, code))
            for tok in _spacy_tokenizer(code)(text)
            if not tok.is_space
        ]
        return self._apply_token_pattern(tokens)

    def _lemma(self, word: str, code: str) -> str:
        lemma = word.lower()
        if self._lookup_lemmas:
            table = _lemma_table(code) if languages.is_supported(code) else None
            if table is not None:
                key = _LOOKUP_SCRIPT_ADAPTERS.get(code, str)(lemma)
                lemma = table.get(key, lemma)
        return normalise(lemma, code) if self._normalise else lemma
