"""Test-set loading and the figures the report gives: accuracy, macro-F1, confusion matrices, worst confusions."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.text import letter_count
from bot.trainer.nlu_data import read_examples

EXAMPLES_PER_CONFUSION = 3


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    language: str

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def has_letters(self) -> bool:
        return letter_count(self.text) > 0


def load_examples(path: Path) -> list[Example]:
    return [Example(example.plain, example.intent, example.language) for example in read_examples(path)]


def accuracy(gold: list[str], predicted: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted)) / len(gold) if gold else 0.0


def macro_f1(gold: list[str], predicted: list[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def per_intent(gold: list[str], predicted: list[str]) -> dict[str, dict[str, Any]]:
    """For each intent of the test messages: how many, how many right, and its F1."""
    figures = {}
    for label in sorted(set(gold)):
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        n = sum(g == label for g in gold)
        figures[label] = {"n": n, "correct": tp, "f1": round(2 * tp / (2 * tp + fp + n - tp), 4) if n else 0.0}
    return figures


def confusion_matrix(gold: list[str], predicted: list[str]) -> dict[str, Any]:
    """Counts of (true intent, predicted intent); rows and columns share one label order."""
    labels = sorted(set(gold) | set(predicted))
    index = {label: i for i, label in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, predicted):
        matrix[index[g]][index[p]] += 1
    return {"labels": labels, "matrix": matrix}


def confusions(gold: list[str], predicted: list[str], texts: list[str], top: int = 5) -> list[dict]:
    """The most frequent (gold -> predicted) mistakes, each with a few of the messages."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for g, p, t in zip(gold, predicted, texts):
        if g != p:
            pairs.setdefault((g, p), []).append(t)
    ranked = sorted(pairs.items(), key=lambda item: (-len(item[1]), item[0]))[:top]
    return [{"gold": g, "predicted": p, "count": len(ts), "examples": ts[:EXAMPLES_PER_CONFUSION]}
            for (g, p), ts in ranked]
