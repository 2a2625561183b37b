"""The per-language quality gate of `bot eval --fail-under` and the comparison with the previous report."""
from __future__ import annotations

import json
from pathlib import Path

from bot import languages
from bot.evaluation.gate import gate_failures, load_thresholds
from bot.evaluation.history import changes, summary
from bot.settings import PROJECT_ROOT

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures/trainer/eval"


def results(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())["results"]


def average_f1(figures: dict) -> float:
    return sum(f["intent_macro_f1"] for f in figures.values()) / len(figures)


def test_the_gate_fails_when_one_language_drops_although_the_average_rises():
    before, after = results("previous.json"), results("current.json")
    assert average_f1(after) > average_f1(before)
    thresholds = load_thresholds(FIXTURES / "thresholds.yml")
    assert gate_failures(before, thresholds) == []
    assert gate_failures(after, thresholds) == ["pl: intent_macro_f1 0.920 is below its minimum 0.940"]


def test_the_comparison_names_what_got_worse_per_language():
    rows = changes(results("previous.json"), results("current.json"), ["en", "pl", "el"])
    verdicts = {(r["language"], r["figure"]): r["verdict"] for r in rows}
    assert verdicts[("pl", "intent_macro_f1")] == "worse" and verdicts[("en", "intent_macro_f1")] == "better"
    assert verdicts[("pl", "language_id")] == "same"
    assert "pl: intent_macro_f1 0.950 → 0.920 (worse)" in summary(rows)


def test_a_language_without_results_fails_the_gate():
    assert gate_failures({}, {"intent_macro_f1": {"de": 0.9}}) == ["de: no test results (tests/data/de.yml missing?)"]


def test_the_project_thresholds_cover_every_language():
    thresholds = load_thresholds(PROJECT_ROOT / "eval_thresholds.yml")
    assert all(set(minimums) == set(languages.SUPPORTED) for minimums in thresholds.values())
