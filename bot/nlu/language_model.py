"""Language identification: langdetect's profiles combined with char n-grams learnt from the training data.

Pure Python (no Rasa), so it is unit-tested and used by the evaluation directly.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from bot import languages
from bot.nlu import storage
from bot.text import letter_count, script_of

# Letters that Serbian Cyrillic never uses but Russian, Ukrainian, Belarusian or Bulgarian do.
_NON_SERBIAN_CYRILLIC = re.compile(r"[ыэёъйщіїєґў]", re.IGNORECASE)
# Which supported languages each langdetect profile speaks for (langdetect has no Serbian Latin:
# it reads it as Croatian or Slovenian, so those count for both, leaving them to our own model).
_LANGDETECT_TO_SUPPORTED = {
    "en": ("en",), "el": ("el",), "pl": ("pl",), "hr": ("hr", "sr"), "sl": ("hr", "sr"),
    "no": ("nb",), "da": ("da",),
}
# langdetect codes that stand for a supported language or are confused with one on short text;
# they never make a message "unsupported" by themselves.
_CONFUSABLE_WITH_SUPPORTED = {"en", "el", "pl", "hr", "sl", "no", "da", "sr", "bs", "mk", "sk", "cs"}


@dataclass(frozen=True)
class Detection:
    code: str
    confidence: float
    script: Optional[str]
    supported: bool

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "confidence": round(self.confidence, 4),
            "script": self.script,
            "supported": self.supported,
        }


@dataclass(frozen=True)
class Settings:
    langdetect_weight: float = 0.3
    langdetect_min_letters: int = 15
    prior_weight: float = 0.5
    unsupported_min_words: int = 3
    unsupported_min_probability: float = 0.99
    unsupported_max_model_confidence: float = 0.5
    # Long messages (6+ words) that langdetect is sure of are foreign even when our model leans towards one of
    # ours: with only our languages to choose from, its confidence on foreign text is not low enough by itself.
    unsupported_long_words: int = 6
    unsupported_long_max_model_confidence: float = 0.75
    regularisation: float = 50.0
    max_char_ngram: int = 4
    seed: int = 0


class Langdetect:
    """langdetect's probabilities over its 55 profiles, deterministic (fixed seed)."""

    def __init__(self, seed: int = 0) -> None:
        from langdetect import DetectorFactory, detector_factory

        detector_factory.init_factory()
        self._factory = detector_factory._factory
        self._seed = seed
        DetectorFactory.seed = seed

    def probabilities(self, text: str) -> dict[str, float]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.seed = self._seed
        detector.append(text)
        try:
            return {lang.lang: lang.prob for lang in detector.get_probabilities()}
        except LangDetectException:
            return {}


class LanguageModel:
    """Classifies a message into one of the supported languages, or names an unsupported one."""

    def __init__(self, settings: Settings = Settings(), vectorizer=None, classifier=None) -> None:
        self.settings = settings
        self.vectorizer = vectorizer
        self.classifier = classifier
        self.langdetect = Langdetect(settings.seed)

    # ---- training -------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "LanguageModel":
        """Learn char and word n-grams of the supported languages from labelled examples (langdetect needs no training)."""
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion

        self.vectorizer = FeatureUnion(
            [
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, self.settings.max_char_ngram),
                                          sublinear_tf=True)),
                ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                          token_pattern=r"(?u)\b\w+\b")),
            ]
        )
        self.classifier = LogisticRegression(
            C=self.settings.regularisation, max_iter=2000, random_state=self.settings.seed
        )
        self.classifier.fit(self.vectorizer.fit_transform(texts), np.array(labels))
        return self

    # ---- prediction -----------------------------------------------------------------------
    def model_probabilities(
        self, text: str, langdetect: Optional[Callable[[], dict[str, float]]] = None
    ) -> dict[str, float]:
        """Our n-gram model's probabilities, sharpened by langdetect's where the text is long enough to trust it.

        `langdetect` returns langdetect's probabilities for `text` (pass a cached one to compute them once).
        """
        langdetect = langdetect or (lambda: self.langdetect.probabilities(text))
        probs = dict(zip(self.classifier.classes_, self.classifier.predict_proba(self.vectorizer.transform([text]))[0]))
        if letter_count(text) < self.settings.langdetect_min_letters or self.settings.langdetect_weight <= 0:
            return probs
        support = {code: 0.05 for code in probs}
        for ld_code, ld_prob in langdetect().items():
            for code in _LANGDETECT_TO_SUPPORTED.get(ld_code, ()):
                if code in support:
                    support[code] += ld_prob
        combined = {code: p * support[code] ** self.settings.langdetect_weight for code, p in probs.items()}
        total = sum(combined.values()) or 1.0
        return {code: p / total for code, p in combined.items()}

    def detect(self, text: str, hint: Optional[str] = None) -> Detection:
        """Detect the language of `text`; `hint` is a language suggested by channel metadata."""
        script = script_of(text)
        fallback = hint if languages.is_supported(hint) else languages.DEFAULT_LANGUAGE
        if script is None:
            return Detection(fallback, 0.0, None, True)
        if script == "Grek":
            return Detection("el", 0.99, "Grek", True)
        if script == "Cyrl":
            return self._detect_cyrillic(text)
        if script == "Other":
            guess = _top(self.langdetect.probabilities(text))
            return Detection(guess[0] if guess else "und", guess[1] if guess else 0.0, "Other", False)
        return self._detect_latin(text, hint)

    def _detect_cyrillic(self, text: str) -> Detection:
        if _NON_SERBIAN_CYRILLIC.search(text):
            guess = _top(self.langdetect.probabilities(text))
            code = guess[0] if guess and guess[0] != "mk" else "ru"
            return Detection(code, guess[1] if guess else 0.9, "Cyrl", False)
        return Detection("sr", 0.99, "Cyrl", True)

    def _detect_latin(self, text: str, hint: Optional[str]) -> Detection:
        langdetect = functools.cache(lambda: self.langdetect.probabilities(text))  # run at most once
        probs = self.model_probabilities(text, langdetect)
        if hint in probs:
            probs = _apply_prior(probs, hint, self.settings.prior_weight)
        code = max(probs, key=probs.__getitem__)
        unsupported = self._unsupported_language(text, probs[code], langdetect)
        if unsupported:
            return Detection(unsupported[0], unsupported[1], "Latn", False)
        return Detection(code, float(probs[code]), "Latn", True)

    def _unsupported_language(
        self, text: str, model_confidence: float, langdetect: Callable[[], dict[str, float]]
    ) -> Optional[tuple[str, float]]:
        """A language outside ours, only when langdetect is sure, the text is long enough and we are not sure."""
        settings = self.settings
        if len(text.split()) < settings.unsupported_min_words or letter_count(text) < 12:
            return None
        words = len(text.split())
        limit = settings.unsupported_long_max_model_confidence if words >= settings.unsupported_long_words \
            else settings.unsupported_max_model_confidence
        if model_confidence >= limit:
            return None
        guess = _top(langdetect())
        if guess and guess[0] not in _CONFUSABLE_WITH_SUPPORTED and guess[1] >= settings.unsupported_min_probability:
            return guess
        return None

    # ---- persistence ----------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        storage.dump(self.vectorizer, directory / "language_vectorizer.skops")
        storage.dump(self.classifier, directory / "language_classifier.skops")
        (directory / "language_settings.json").write_text(json.dumps(self.settings.__dict__))

    @classmethod
    def load(cls, directory: Path) -> "LanguageModel":
        settings = Settings(**json.loads((directory / "language_settings.json").read_text()))
        return cls(
            settings,
            storage.load(directory / "language_vectorizer.skops"),
            storage.load(directory / "language_classifier.skops"),
        )


def _top(probs: dict[str, float]) -> Optional[tuple[str, float]]:
    """The most probable language and its probability, None for an empty distribution."""
    if not probs:
        return None
    code = max(probs, key=probs.__getitem__)
    return code, probs[code]


def _apply_prior(probs: dict[str, float], hint: str, weight: float) -> dict[str, float]:
    """Bayes with a prior that puts `weight` on the hinted language and spreads the rest evenly."""
    others = (1.0 - weight) / max(len(probs) - 1, 1)
    scored = {code: p * (weight if code == hint else others) for code, p in probs.items()}
    total = sum(scored.values()) or 1.0
    return {code: p / total for code, p in scored.items()}
