"""Language identification: langdetect's profiles combined with char n-grams learnt from the training data.

Pure Python (no Rasa), so it is unit-tested and used by the evaluation directly.
"""
from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from bot import languages
from bot.nlu import evidence, storage
from bot.nlu.cyrillic import foreign_cyrillic
from bot.places import south_slavic_place_phrases
from bot.nlu.foreign import foreign_evidence
from bot.nlu.word_frequency import foreign_by_frequency, frequency_table, written_in
from bot.text import letter_count, script_of

# Letters that Serbian Cyrillic never uses but Russian, Ukrainian, Belarusian, Bulgarian or Macedonian do.
_NON_SERBIAN_CYRILLIC = re.compile(r"[ыэёъйщіїєґўяюьѓќѕ]", re.IGNORECASE)
# Letters Croatian and Serbian write and Slovenian does not.
_SOUTH_SLAVIC = re.compile(r"[ćđ]", re.IGNORECASE)
# Messages that fit every language: acknowledgements and laughter customers type whatever they speak.
_UNIVERSAL = frozenset("ok okay okey okej oki k kk super top hm hmm mhm haha hahaha xd lol wow aha ah oh eh ".split())
# Which supported languages each langdetect profile speaks for (langdetect has no Serbian Latin:
# it reads it as Croatian or Slovenian, so those count for both, leaving them to our own model).
_LANGDETECT_TO_SUPPORTED = {
    "en": ("en",), "el": ("el",), "pl": ("pl",), "hr": ("hr", "sr"), "sl": ("hr", "sr"),
    "no": ("nb",), "da": ("da",),
}
# langdetect codes that stand for a supported language or are confused with one on short text;
# they never make a message "unsupported" by themselves.
_CYRILLIC_UNSUPPORTED = ("ru", "uk", "bg", "mk")
_CONFUSABLE_WITH_SUPPORTED = {"en", "el", "pl", "hr", "sl", "no", "da", "sr", "bs", "mk", "sk", "cs"}


VECTORIZER_FILE = "language_vectorizer.json"


@dataclass(frozen=True)
class Detection:
    """`code` is the best guess; `candidates` every supported language the message fits as well (a Serbian and
    Croatian "hvala", an "ok" that fits all), `evidence` what separated or named the languages."""

    code: str
    confidence: float
    script: Optional[str]
    supported: bool
    candidates: tuple[str, ...] = ()
    evidence: tuple[dict, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "confidence": round(self.confidence, 4),
            "script": self.script,
            "supported": self.supported,
            "candidates": list(self.candidates or ((self.code,) if self.supported else ())),
            "evidence": list(self.evidence),
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
    # Under this confidence in one of ours, half a point of foreign evidence (a letter like é that none of ours
    # writes) names an unsupported language.
    foreign_letters_max_confidence: float = 0.6
    # Whatever our model says, a message of 3+ words mostly unknown to our training data is foreign when
    # langdetect is sure of a language none of ours is: Slovenian is not Croatian, Swedish not Danish.
    unfamiliar_min_words: int = 4
    unfamiliar_max_known_share: float = 0.67
    unfamiliar_min_probability: float = 0.95
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
        # newton-cg reaches lbfgs's solution (probabilities within 0.001 on every test message) in 19 iterations
        # and ~3 s instead of 331 and ~18 s: most of a retraining after a trainer adds an example.
        self.classifier = LogisticRegression(
            C=self.settings.regularisation, solver="newton-cg", max_iter=2000, random_state=self.settings.seed
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
        if script is None or _is_universal(text):
            return Detection(fallback, 0.0, script, True, languages.SUPPORTED, ({"kind": "fits every language"},))
        if script == "Grek":
            return Detection("el", 0.99, "Grek", True, ("el",), ({"kind": "script", "words": "Greek letters"},))
        if script == "Cyrl":
            return self._detect_cyrillic(text)
        if script == "Other":
            guess = _top(self.langdetect.probabilities(text))
            return Detection(guess[0] if guess else "und", guess[1] if guess else 0.0, "Other", False)
        return self._detect_latin(text, hint)

    def _detect_cyrillic(self, text: str) -> Detection:
        foreign = foreign_evidence(text, self._vocabulary())
        cyrillic = {code: score for code, score in foreign.scores.items() if code in _CYRILLIC_UNSUPPORTED}
        # Ekavian forms ("време", "цело") are Macedonian and Bulgarian too: only Serbian words speak against them.
        candidate = max(cyrillic, key=cyrillic.__getitem__) if cyrillic else ""
        serbian = [clue.as_dict() for clue in evidence.clues(text) if clue.language == "sr" and clue.kind != "ekavian"
                   and not written_in(clue.words, candidate, text)]
        if _NON_SERBIAN_CYRILLIC.search(text) or (cyrillic and max(cyrillic.values()) >= 1 and not serbian):
            code = candidate or "ru"
            shown = tuple({"kind": "unsupported", "language": code, "words": word} for word in foreign.words[code]) \
                if cyrillic else ()
            return Detection(code, 0.9, "Cyrl", False, (), shown)
        found = foreign_cyrillic(text, self._vocabulary())
        if found:
            return Detection(found[0], found[1], "Cyrl", False, (), ({"kind": "langdetect", "language": found[0]},))
        frequent = self._frequent_foreign(text)
        if frequent:
            return frequent
        return Detection("sr", 0.99, "Cyrl", True, ("sr",), ({"kind": "script", "words": "Serbian Cyrillic"},))

    def _detect_latin(self, text: str, hint: Optional[str]) -> Detection:
        langdetect = functools.cache(lambda: self.langdetect.probabilities(text))  # run at most once
        foreign = self._foreign_language(text)
        if foreign:
            return foreign
        probs = self.model_probabilities(text, langdetect)
        if hint in probs:
            probs = _apply_prior(probs, hint, self.settings.prior_weight)
        found = evidence.clues(text)
        probs = _weigh_evidence(probs, found)
        phrases = south_slavic_place_phrases(text)
        if phrases:
            probs = _weigh_south_slavic(probs)
        code = max(probs, key=probs.__getitem__)
        if probs[code] < self.settings.foreign_letters_max_confidence and not found:
            foreign = self._foreign_language(text, minimum=0.5)  # "Beszélhetnék?": letters we never write, no guess
            if foreign:
                return foreign
        unsupported = self._unsupported_language(text, probs[code], langdetect) or (
            None if found or code in ("el", hint) else self._unfamiliar_language(text, langdetect))
        if unsupported:
            return Detection(unsupported[0], unsupported[1], "Latn", False, (), ({"kind": "langdetect"},))
        frequent = None if code == hint else self._frequent_foreign(text)  # the channel and our model agree: ours
        if frequent:
            return frequent
        candidates = self._candidates(code, found)
        shown = tuple(c.as_dict() for c in found) + tuple(
            {"language": "sr/hr", "kind": "place after a preposition", "words": phrase} for phrase, _ in phrases)
        return Detection(code, float(probs[code]), "Latn", True, candidates, shown)

    @staticmethod
    def _candidates(code: str, found: list[evidence.Clue]) -> tuple[str, ...]:
        """The best language and, when no evidence separates the two, its neighbour: Serbian and Croatian (or
        Norwegian and Danish) messages without a telling word fit both, whatever the n-gram model leans to."""
        neighbour = evidence.NEIGHBOUR.get(code)
        if neighbour is None or any(clue.language in (code, neighbour) for clue in found):
            return (code,)
        return (code, neighbour)

    def _foreign_language(self, text: str, minimum: float = 1.0) -> Optional[Detection]:
        """An unsupported language named by its own words and letters, when they outweigh the evidence for one
        of ours (a Danish message with one word that happens to be Hungarian stays Danish)."""
        foreign = foreign_evidence(text, self._vocabulary())
        best = foreign.best()
        if not best:
            return None
        code, score = best
        ours = sum(clue.weight for clue in evidence.clues(text) if not written_in(clue.words, code, text))
        if score >= minimum and score > ours:
            return Detection(code, min(0.99, 0.6 + 0.1 * score), "Latn", False, (),
                             tuple({"kind": "unsupported", "language": code, "words": w} for w in foreign.words[code]))
        return None

    def _frequent_foreign(self, text: str) -> Optional[Detection]:
        """An unsupported language whose frequent words `text` is written in and ours lack ("Finns det fri frakt?",
        "ок, жду"), from wordfreq's lists."""
        verdict = foreign_by_frequency(text, self._vocabulary())
        if verdict is None:
            return None
        return Detection(verdict.language, min(0.99, 0.6 + 0.05 * verdict.lead), script_of(text), False, (),
                         ({"kind": "word frequency", "language": verdict.language, "words": " ".join(verdict.words),
                           "lead": verdict.lead},))

    def _vocabulary(self) -> dict[str, int]:
        """The words of the supported languages' training examples."""
        if not hasattr(self, "_words"):
            transformers = dict(getattr(self.vectorizer, "transformer_list", []))
            self._words = getattr(transformers.get("words"), "vocabulary_", {})
        return self._words

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

    def _unfamiliar_language(self, text: str, langdetect: Callable[[], dict[str, float]]) -> Optional[tuple[str, float]]:
        """A language outside ours, whatever our model leans to, when most of the words are unknown to our
        training data and langdetect is sure of a language none of ours is (Slovenian, Czech, Swedish ...).
        Not asked about Greeklish, whose spellings vary too much for a vocabulary to know them, nor when the
        channel (phone, locale) hints the language our model found: langdetect alone does not overrule both."""
        settings = self.settings
        words = [word.lower() for word in re.findall(r"[^\W\d_]+", text)]
        if len(words) < settings.unfamiliar_min_words:
            return None
        vocabulary = self._vocabulary()
        if sum(word in vocabulary for word in words) / len(words) >= settings.unfamiliar_max_known_share:
            return None
        guess = _top(langdetect())
        if not guess or guess[1] < settings.unfamiliar_min_probability:
            return None
        if guess[0] == "sl" and guess[1] >= settings.unsupported_min_probability and not _SOUTH_SLAVIC.search(text):
            return guess  # langdetect also reads Serbian Latin as Slovenian, but not with ć or đ, nor this sure
        return guess if guess[0] not in _LANGDETECT_TO_SUPPORTED else None

    # ---- persistence ----------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        storage.dump_tfidf_union(self.vectorizer, directory / VECTORIZER_FILE)
        storage.dump(self.classifier, directory / "language_classifier.skops")
        (directory / "language_settings.json").write_text(json.dumps(self.settings.__dict__))

    @classmethod
    def load(cls, directory: Path) -> "LanguageModel":
        stored = json.loads((directory / "language_settings.json").read_text())
        # Settings added or removed since the model was trained take their defaults / are ignored.
        settings = Settings(**{key: value for key, value in stored.items() if key in Settings().__dict__})
        frequency_table()  # built once per process now (~0.6 s), not on a customer's first message
        json_vectorizer = directory / VECTORIZER_FILE  # models trained before it kept the vectorizer in skops
        vectorizer = storage.load_tfidf_union(json_vectorizer) if json_vectorizer.exists() \
            else storage.load(directory / "language_vectorizer.skops")
        return cls(
            settings,
            vectorizer,
            storage.load(directory / "language_classifier.skops"),
        )


def _is_universal(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(words) and all(word in _UNIVERSAL for word in words)


def _weigh_evidence(probs: dict[str, float], found: list[evidence.Clue]) -> dict[str, float]:
    """Within each neighbour pair, the pair's probability moves to the language the evidence speaks for. Only
    there: "tak" is Danish against Norwegian, but also Polish for yes."""
    probs = dict(probs)
    for first, second in evidence.PAIRS:
        if first not in probs or second not in probs:
            continue
        net = evidence.balance(found, (first, second))
        if net == 0:
            continue
        mass = probs[first] + probs[second]
        share = 1.0 - 0.5 * math.exp(-2.0 * abs(net))
        winner, loser = (first, second) if net > 0 else (second, first)
        probs[winner], probs[loser] = mass * share, mass * (1.0 - share)
    return probs


# How much more a Croatian or Serbian place after a preposition in their case ("do Zadra") makes those two likely.
PLACE_PHRASE_FACTOR = 50.0


def _weigh_south_slavic(probs: dict[str, float]) -> dict[str, float]:
    """Serbian and Croatian made PLACE_PHRASE_FACTOR times likelier than before (against Polish above all)."""
    scaled = {code: p * (PLACE_PHRASE_FACTOR if code in ("sr", "hr") else 1.0) for code, p in probs.items()}
    total = sum(scaled.values()) or 1.0
    return {code: p / total for code, p in scaled.items()}


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
