"""The per-language quality gate: `bot eval --fail-under eval_thresholds.yml` fails when any one language is
below its minimum, even when the average went up."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# Threshold file section -> where the figure is in the evaluation results of one language.
FIGURES = {
    "intent_macro_f1": lambda figures: figures["intent_macro_f1"],
    "intent_accuracy": lambda figures: figures["intent_accuracy"],
    "language_id": lambda figures: figures["lid"]["overall"],
}


# The section of minimums that bot.evaluation.conversations checks (not per language).
CONVERSATIONS = "language"


def load_thresholds(path: Path) -> dict[str, dict[str, float]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(data) - set(FIGURES) - {CONVERSATIONS}
    if unknown:
        raise ValueError(f"{path}: unknown figure(s) {', '.join(sorted(unknown))}; use {', '.join(FIGURES)}")
    return {figure: {str(code): float(value) for code, value in (languages or {}).items()}
            for figure, languages in data.items() if figure != CONVERSATIONS}


def gate_failures(results: dict[str, Any], thresholds: dict[str, dict[str, float]]) -> list[str]:
    """One sentence per language and figure under its minimum (a language with no results fails too)."""
    failures = []
    for figure, minimums in thresholds.items():
        for code, minimum in minimums.items():
            if code not in results:
                failures.append(f"{code}: no test results (tests/data/{code}.yml missing?)")
                continue
            value = FIGURES[figure](results[code])
            if value < minimum:
                failures.append(f"{code}: {figure} {value:.3f} is below its minimum {minimum:.3f}")
    return failures
