"""Test-set loading and the figures the report gives: accuracy, macro-F1, most frequent confusions."""
from __future__ import annotations

import re

from dataclasses import dataclass
from pathlib import Path

from bot.checks import example_lines, read_yaml
from bot.text import letter_count

_ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}")


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


def plain_text(annotated: str) -> str:
    """`where is [10482](order_id)` -> `where is 10482`."""
    return _ENTITY_MARKUP.sub(lambda m: m.group(1) or m.group(2), annotated)


def load_examples(path: Path) -> list[Example]:
    language = path.stem
    return [
        Example(plain_text(line), block["intent"], language)
        for block in read_yaml(path).get("nlu", [])
        if "intent" in block
        for line in example_lines(block)
    ]


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


def confusions(gold: list[str], predicted: list[str], texts: list[str], top: int = 5) -> list[dict]:
    """The most frequent (gold -> predicted) mistakes with an example message each."""
    pairs: dict[tuple[str, str], list[str]] = {}
    for g, p, t in zip(gold, predicted, texts):
        if g != p:
            pairs.setdefault((g, p), []).append(t)
    ranked = sorted(pairs.items(), key=lambda item: -len(item[1]))[:top]
    return [{"gold": g, "predicted": p, "count": len(ts), "example": ts[0]} for (g, p), ts in ranked]
