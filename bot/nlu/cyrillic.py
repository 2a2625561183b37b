"""Serbian Cyrillic against the Cyrillic languages we do not speak (Russian, Ukrainian, Bulgarian, Macedonian)
when no letter tells them apart: "Сега е време за критика." is Bulgarian, "Најмногу во областа." Macedonian.

langdetect has profiles for those four but none for Serbian, so it would name one of them for every Serbian
message. We give it a Serbian one, derived from its Croatian profile letter by letter (the two standards share
almost all of their words; the n-gram counts carry over through the Serbian transliteration), and compare the
five. Short text and our customers' own words stay Serbian: langdetect is only asked about messages of a few words
that mostly are not in our training vocabulary, and never when a letter or word only Serbian writes is there.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Container, Optional

from bot.transliterate import cyrillic_to_latin, latin_to_cyrillic

FOREIGN = ("ru", "uk", "bg", "mk")
# Letters and frequent words Serbian writes and the other four never do (је for "is", су, ћу/ће, шта, који ...).
_SERBIAN_ONLY = re.compile(
    r"[ђћ]|(?<!\w)(?:је|су|шта|који|када|где|сада|ћу|ће|смо|нисам|није|хвала)(?!\w)", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 4
MAX_KNOWN_SHARE = 0.67  # at least a third of the words unknown to our training data
MIN_PROBABILITY = 0.95


@functools.lru_cache(maxsize=1)
def _factory():
    import langdetect
    from langdetect.detector_factory import DetectorFactory

    profiles = Path(langdetect.__file__).parent / "profiles"

    def profile(code: str) -> dict:
        return json.loads((profiles / code).read_text(encoding="utf-8"))

    croatian = profile("hr")
    freq: dict[str, int] = {}
    for gram, count in croatian["freq"].items():
        serbian = latin_to_cyrillic(gram)
        freq[serbian] = freq.get(serbian, 0) + count
    factory = DetectorFactory()
    factory.load_json_profile([json.dumps(profile(code)) for code in FOREIGN]
                              + [json.dumps({"name": "sr", "freq": freq, "n_words": croatian["n_words"]})])
    return factory


def probabilities(text: str, seed: int = 0) -> dict[str, float]:
    """langdetect's probabilities over Russian, Ukrainian, Bulgarian, Macedonian and (derived) Serbian."""
    from langdetect.lang_detect_exception import LangDetectException

    detector = _factory().create()
    detector.seed = seed
    detector.append(text)
    try:
        return {lang.lang: lang.prob for lang in detector.get_probabilities()}
    except LangDetectException:
        return {}


def foreign_cyrillic(text: str, vocabulary: Container[str]) -> Optional[tuple[str, float]]:
    """The unsupported Cyrillic language `text` is written in, when the n-grams say so clearly; None for Serbian
    or when the message is too short or too much like our customers' Serbian to tell."""
    if _SERBIAN_ONLY.search(text):
        return None
    words = [word.lower() for word in _WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    known = sum(word in vocabulary or cyrillic_to_latin(word) in vocabulary for word in words)
    if known / len(words) >= MAX_KNOWN_SHARE:
        return None
    probs = probabilities(text)
    if not probs:
        return None
    code = max(probs, key=probs.__getitem__)
    return (code, probs[code]) if code in FOREIGN and probs[code] >= MIN_PROBABILITY else None
