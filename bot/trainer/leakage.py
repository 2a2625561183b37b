"""Held-out test messages that are (nearly) training examples: the test would measure memory, not understanding.

Compared within each language, whatever the intents: a test message that is a training example of another
intent is both a leak and a contradiction. Three degrees, all errors:
- the same text once case, accents, spacing, script and Greeklish spelling are ignored;
- the same but for punctuation;
- nearly the same: char 3-gram cosine similarity of at least NEAR (a letter or a word changed in a sentence).
"""
from __future__ import annotations

from typing import Iterable, Sequence

from bot.checks import Problem
from bot.trainer.nlu_data import TrainingExample, near_text_key, same_text_key

NEAR = 0.9
MIN_LETTERS_FOR_NEAR = 12  # "hi" and "hej" are not near-identical in any useful sense


def _by_language(examples: Iterable[TrainingExample]) -> dict[str, list[TrainingExample]]:
    grouped: dict[str, list[TrainingExample]] = {}
    for example in examples:
        grouped.setdefault(example.language, []).append(example)
    return grouped


def _similar(tests: Sequence[TrainingExample], training: Sequence[TrainingExample]) -> dict[int, tuple[int, float]]:
    """For each test message long enough, the most similar training example when at least NEAR alike."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [same_text_key(e.text, e.language) for e in training] + [same_text_key(e.text, e.language)
                                                                     for e in tests]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), use_idf=False, binary=True).fit_transform(texts)
    similarity = (vectors[len(training):] @ vectors[: len(training)].T).tocsr()
    found = {}
    for row in range(similarity.shape[0]):
        if len(texts[len(training) + row].replace(" ", "")) < MIN_LETTERS_FOR_NEAR:
            continue
        start, end = similarity.indptr[row], similarity.indptr[row + 1]
        if start == end:
            continue
        best = start + int(similarity.data[start:end].argmax())
        if similarity.data[best] >= NEAR:
            found[row] = (int(similarity.indices[best]), float(similarity.data[best]))
    return found


def leakage_problems(training: Iterable[TrainingExample], tests: Iterable[TrainingExample]) -> list[Problem]:
    """An error for each test message that is (nearly) a training example of its language."""
    problems = []
    trained = _by_language(training)
    for code, held_out in _by_language(tests).items():
        pool = trained.get(code) or []
        if not pool:
            continue
        same = {same_text_key(e.text, code): e for e in pool}
        near = {near_text_key(e.text, code): e for e in pool}
        similar = _similar(held_out, pool)
        for index, test in enumerate(held_out):
            match, kind = same.get(same_text_key(test.text, code)), "the same as"
            if match is None:
                match, kind = near.get(near_text_key(test.text, code)), "the same (but for punctuation) as"
            if match is None and index in similar:
                match, kind = pool[similar[index][0]], f"nearly the same ({similar[index][1]:.0%} alike) as"
            if match is None:
                continue
            other = "" if match.intent == test.intent else f", filed there as '{match.intent}', not '{test.intent}'"
            problems.append(Problem(str(test.path), f"test message “{test.plain}” is {kind} the training example "
                                                    f"“{match.plain}” ({match.path.name}:{match.line}{other}): "
                                                    "a test must be new to the model; write another one",
                                    test.line))
    return problems
