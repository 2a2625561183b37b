"""Examples written in another language than their file's (a Greek sentence in the Polish file).

First the bot's own language detector (bot.nlu, as trained into models/current.tar.gz): a Latin-script example of
more than DETECTOR_WORDS words that it puts, with confidence CONFIDENT or more, in a language of another family
than the file's (a Polish sentence in the Danish file), or Greeklish of DETECTOR_WORDS words or more in another
language's file, is an error; a shorter phrase it is sure of only a warning (borrowed as it is: "track and trace?"). Examples the
model was trained on it knows under their file's language, so it judges what was added since.

Runs before training, so it learns from data/nlu itself: char n-gram naive Bayes, each training example judged
by models that never saw it (k-fold), confirmed by langdetect. It only speaks when it is sure:
- a script the file's language never uses (Greek letters outside el, Cyrillic outside sr): an error;
- Latin text of at least MIN_WORDS words that both our n-grams and langdetect put, with high confidence, in a
  language of another family than the file's: a warning. Serbian/Croatian and Norwegian/Danish share too many
  sentences word for word to be told apart per message, so a Croatian sentence in the Serbian file is not flagged;
  neither is a message the detected language's file has too (short words shared across languages).
"""
from __future__ import annotations

from dataclasses import dataclass
import tarfile
import tempfile
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from bot.checks import Problem
from bot.nlu.language_model import Langdetect
from bot.text import letter_count, script_of
from bot.trainer.coverage import language_name
from bot.trainer.nlu_data import TrainingExample, same_text_key

CONFIDENT = 0.9
SUSPECT = 0.5
DETECTOR_WORDS = 3
MIN_WORDS = 4
MIN_LETTERS = 20
MIN_NGRAMS = 0.8
MIN_LANGDETECT = 0.99
FOLDS = 5
# langdetect's codes for our languages; it has no Serbian and reads Serbian Latin as Croatian or Slovenian.
_FROM_LANGDETECT = {"en": "en", "el": "el", "pl": "pl", "hr": "hr", "sl": "hr", "sr": "sr", "no": "nb", "da": "da"}
# Languages that share too many short sentences to be told apart one message at a time.
_FAMILY = {"sr": "sr/hr", "hr": "sr/hr", "nb": "nb/da", "da": "nb/da"}
_SCRIPT_LANGUAGE = {"Grek": "el", "Cyrl": "sr"}


def family(code: str) -> str:
    return _FAMILY.get(code, code)


@dataclass(frozen=True)
class Verdict:
    example: TrainingExample
    detected: str
    certain: bool  # an error: decided by the script, or the bot's detector is sure


def ngram_probabilities(training: Sequence[TrainingExample], judged: Sequence[TrainingExample] = (),
                        folds: int = FOLDS) -> list[dict[str, float]]:
    """Language probabilities per example: of `judged` from a fit on `training`, or, when nothing is judged,
    of each training example from fits on the other folds."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.naive_bayes import MultinomialNB

    texts = [e.plain for e in training] + [e.plain for e in judged]
    features = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True).fit_transform(texts)
    labels = np.array([e.language for e in training])
    trained, rest = features[: len(training)], features[len(training):]

    def predict(kept: np.ndarray, rows) -> list[dict[str, float]]:
        model = MultinomialNB(alpha=0.01).fit(trained[kept], labels[kept])
        return [dict(zip(model.classes_, row)) for row in model.predict_proba(rows)]

    if judged:
        return predict(np.arange(len(training)), rest)
    probabilities: list[dict[str, float]] = [{} for _ in training]
    order = np.random.RandomState(0).permutation(len(training))
    for fold in range(folds):
        held = order[fold::folds]
        for index, row in zip(held, predict(np.setdiff1d(order, held), trained[held])):
            probabilities[index] = row
    return probabilities


def _by_script(example: TrainingExample) -> Optional[str]:
    expected = _SCRIPT_LANGUAGE.get(script_of(example.plain) or "")
    return expected if expected and expected != example.language else None


def _ngram_guess(example: TrainingExample, ours: dict[str, float]) -> Optional[str]:
    """A language of another family that our n-grams are sure of, for Latin text long enough to judge."""
    if script_of(example.plain) != "Latn" or example.language == "el":  # Greeklish is Latin-script Greek
        return None
    if example.words < MIN_WORDS or letter_count(example.plain) < MIN_LETTERS or not ours:
        return None
    top = max(ours, key=ours.__getitem__)
    return top if family(top) != family(example.language) and ours[top] >= MIN_NGRAMS else None


def _langdetect_agrees(text: str, guess: str, langdetect: Langdetect) -> bool:
    found = langdetect.probabilities(text)
    best = max(found, key=found.__getitem__) if found else ""
    mapped = _FROM_LANGDETECT.get(best)
    return mapped is not None and found[best] >= MIN_LANGDETECT and family(mapped) == family(guess)


def mismatches(examples: Sequence[TrainingExample], probabilities: Sequence[dict[str, float]],
               training: Sequence[TrainingExample]) -> list[Verdict]:
    written_in = {(same_text_key(e.text, e.language), e.language) for e in training}
    langdetect = Langdetect()
    verdicts = []
    for example, ours in zip(examples, probabilities):
        scripted = _by_script(example)
        if scripted:  # a script the file's language never uses, even when the other file has the same text
            verdicts.append(Verdict(example, scripted, certain=True))
            continue
        guess = _ngram_guess(example, ours)
        shared = guess and (same_text_key(example.text, guess), guess) in written_in
        if guess and not shared and _langdetect_agrees(example.plain, guess, langdetect):
            verdicts.append(Verdict(example, guess, certain=False))
    return verdicts


def model_detector(model: Path) -> tuple[Any, str]:
    """The language detector inside a trained model (None, and why, when it cannot be read)."""
    from bot.nlu.language_model import LanguageModel

    if not model.exists():
        return None, ""  # a fresh clone: the statistical checks below still run
    try:
        with tempfile.TemporaryDirectory() as folder, tarfile.open(model, "r:gz") as archive:
            members = [m for m in archive.getmembers() if "LanguageDetector" in m.name]
            archive.extractall(folder, members=members)
            directory = next(Path(folder).glob("components/*LanguageDetector*"))
            return LanguageModel.load(directory), ""
    except (StopIteration, OSError, TypeError, ValueError, tarfile.TarError) as error:
        return None, f"{model.name} has no language detector this code can read ({type(error).__name__}): retrain"


def detector_verdicts(examples: Sequence[TrainingExample], detector: Any) -> list[Verdict]:
    """Examples the bot's detector confidently reads as a language of another family than their file's."""
    eligible = [e for e in examples if script_of(e.plain) == "Latn" and e.words >= DETECTOR_WORDS]
    if not eligible:
        return []
    # The detector's n-gram model on all of them at once picks the suspects; its full judgement (with langdetect
    # and its evidence) runs on those only.
    probabilities = detector.classifier.predict_proba(detector.vectorizer.transform([e.plain for e in eligible]))
    classes = detector.classifier.classes_
    suspects = [e for e, row in zip(eligible, probabilities)
                if family(str(classes[row.argmax()])) != family(e.language) and row.max() >= SUSPECT]
    verdicts = []
    for example in suspects:
        found = detector.detect(example.plain)
        if (found.supported and found.confidence >= CONFIDENT and example.language not in found.candidates
                and family(found.code) != family(example.language)):
            # Three Latin words are often a phrase borrowed as it is ("track and trace?" in Danish): a warning,
            # except Greeklish, which no other language borrows.
            verdicts.append(Verdict(example, found.code, certain=example.words > DETECTOR_WORDS or found.code == "el"))
    return verdicts


def language_problems(training: Sequence[TrainingExample], tests: Sequence[TrainingExample] = (),
                      detector: Any = None) -> list[Problem]:
    """Mismatches in the training files (judged out of fold) and in the held-out test files."""
    if len({e.language for e in training}) < 2:
        return []
    verdicts = detector_verdicts(list(training) + list(tests), detector) if detector is not None else []
    judged = {v.example for v in verdicts}
    statistical = mismatches(training, ngram_probabilities(training), training)
    if tests:
        statistical += mismatches(tests, ngram_probabilities(training, tests), training)
    verdicts += [v for v in statistical if v.example not in judged]
    scripted = {v.example for v in statistical if v.certain}
    problems = []
    for v in verdicts:
        detected, expected = language_name(v.detected), language_name(v.example.language)
        message = (f"“{v.example.plain}” reads as {detected}, not {expected}: move it to the {detected} file "
                   f"or write it in {expected}" + (" (the bot's language detector is sure)"
                                                   if v.certain and v.example not in scripted else ""))
        problems.append(Problem(str(v.example.path), message, v.example.line, warning=not v.certain))
    return problems
