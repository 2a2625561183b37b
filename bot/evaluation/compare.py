"""Two evaluations of the same test messages side by side: every figure per language and per intent, before and
after, each difference with its size and whether it is more than noise.

Both models are compared on the messages both were measured on (a test set that changed is noted, not mixed in).
Per language: a paired bootstrap 95% interval of the difference (messages resampled, both models on the same
draw). Per intent: the messages that flipped from right to wrong and back, with an exact binomial (McNemar) test.
"""
from __future__ import annotations

from math import comb
from typing import Any, Optional

import numpy as np

RESAMPLES = 1000
LEVEL = 0.95
SIGNIFICANT_P = 0.05


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["text"], row["intent"]


def _macro_f1(gold: np.ndarray, predicted: np.ndarray, labels: int) -> np.ndarray:
    """Macro-F1 of each row of (resamples × messages) label codes, over the labels present in that row's gold."""
    rows = np.arange(gold.shape[0])[:, None]
    tp = np.zeros((gold.shape[0], labels))
    support = np.zeros_like(tp)
    chosen = np.zeros_like(tp)
    np.add.at(tp, (np.broadcast_to(rows, gold.shape), gold), (gold == predicted).astype(float))
    np.add.at(support, (np.broadcast_to(rows, gold.shape), gold), 1.0)
    np.add.at(chosen, (np.broadcast_to(rows, gold.shape), predicted), 1.0)
    denominator = support + chosen
    f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)
    present = support > 0
    return (f1 * present).sum(axis=1) / np.maximum(present.sum(axis=1), 1)


def _statistics(gold: np.ndarray, before: np.ndarray, after: np.ndarray, lid_before: np.ndarray,
                lid_after: np.ndarray, labels: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    return {
        "intent_accuracy": ((gold == before).mean(axis=-1), (gold == after).mean(axis=-1)),
        "intent_macro_f1": (_macro_f1(np.atleast_2d(gold), np.atleast_2d(before), labels),
                            _macro_f1(np.atleast_2d(gold), np.atleast_2d(after), labels)),
        "language_id": (lid_before.mean(axis=-1), lid_after.mean(axis=-1)),
    }


def verdict(delta: float, low: float, high: float) -> str:
    """`better`/`worse` only when the whole interval is on one side of zero; `same` when nothing moved."""
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "same" if delta == 0 else "noise"


def language_rows(code: str, before: list[dict[str, Any]], after: list[dict[str, Any]],
                  seed: int = 0) -> list[dict[str, Any]]:
    """Accuracy, macro-F1 and language ID of one language on the messages both evaluations share."""
    old = {_key(r): r for r in before}
    shared = [(old[_key(r)], r) for r in after if _key(r) in old]
    if not shared:
        return []
    names = sorted({r["intent"] for pair in shared for r in pair} | {r["predicted"] or "" for pair in shared
                                                                     for r in pair})
    index = {name: i for i, name in enumerate(names)}
    gold = np.array([index[a["intent"]] for _, a in shared])
    was = np.array([index[b["predicted"] or ""] for b, _ in shared])
    now = np.array([index[a["predicted"] or ""] for _, a in shared])
    lid_was = np.array([b.get("language") == code for b, _ in shared], dtype=float)
    lid_now = np.array([a.get("language") == code for _, a in shared], dtype=float)
    point = _statistics(gold, was, now, lid_was, lid_now, len(names))
    draws = np.random.RandomState(seed).randint(0, len(shared), size=(RESAMPLES, len(shared)))
    sampled = _statistics(gold[draws], was[draws], now[draws], lid_was[draws], lid_now[draws], len(names))
    rows = []
    for figure, (b, a) in point.items():
        before_value, after_value = float(np.ravel(b)[0]), float(np.ravel(a)[0])
        deltas = sampled[figure][1] - sampled[figure][0]
        low, high = np.quantile(deltas, [(1 - LEVEL) / 2, (1 + LEVEL) / 2])
        delta = after_value - before_value
        rows.append({"language": code, "figure": figure, "n": len(shared), "before": round(before_value, 4),
                     "after": round(after_value, 4), "delta": round(delta, 4), "low": round(float(low), 4),
                     "high": round(float(high), 4), "verdict": verdict(round(delta, 6), float(low), float(high))})
    return rows


def binomial_p(fixed: int, broken: int) -> float:
    """Exact two-sided sign test on the flipped messages (McNemar): how likely so uneven a split is by chance."""
    n = fixed + broken
    if n == 0:
        return 1.0
    tail = sum(comb(n, k) for k in range(min(fixed, broken) + 1)) / 2 ** n
    return min(1.0, 2 * tail)


def intent_rows(code: str, before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per intent: right answers before and after on the shared messages, F1 both times, and the flips."""
    old = {_key(r): r for r in before}
    shared = [(old[_key(r)], r) for r in after if _key(r) in old]
    rows = []
    for intent in sorted({a["intent"] for _, a in shared} | {a["predicted"] for _, a in shared if a["predicted"]}):
        mine = [(b, a) for b, a in shared if a["intent"] == intent]
        fixed = sum(b["predicted"] != intent and a["predicted"] == intent for b, a in mine)
        broken = sum(b["predicted"] == intent and a["predicted"] != intent for b, a in mine)
        f1 = [_f1([(x["intent"], x["predicted"]) for x in side], intent) for side in zip(*shared)] if shared else [0, 0]
        taken_before = sum(b["intent"] != intent and b["predicted"] == intent for b, _ in shared)
        taken_after = sum(a["intent"] != intent and a["predicted"] == intent for _, a in shared)
        if not mine and taken_before == taken_after:
            continue
        p = binomial_p(fixed, broken)
        rows.append({"language": code, "intent": intent, "n": len(mine),
                     "correct_before": sum(b["predicted"] == intent for b, _ in mine),
                     "correct_after": sum(a["predicted"] == intent for _, a in mine),
                     "f1_before": round(f1[0], 4), "f1_after": round(f1[1], 4), "delta_f1": round(f1[1] - f1[0], 4),
                     "fixed": fixed, "broken": broken, "taken_before": taken_before, "taken_after": taken_after,
                     "p": round(p, 4), "significant": p < SIGNIFICANT_P and fixed != broken})
    return rows


def _f1(pairs: list[tuple[str, str]], label: str) -> float:
    tp = sum(g == label and p == label for g, p in pairs)
    fp = sum(g != label and p == label for g, p in pairs)
    fn = sum(g == label and p != label for g, p in pairs)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0


def test_set_change(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> Optional[dict[str, int]]:
    """How the test messages of a language differ between the two evaluations (None when they are the same)."""
    old, new = {_key(r) for r in before}, {_key(r) for r in after}
    if old == new:
        return None
    return {"before": len(before), "after": len(after), "added": len(new - old), "removed": len(old - new)}


def compare(before: Optional[dict[str, Any]], after: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    """Everything that moved between two evaluation results (`results` of two reports or model records)."""
    if not before:
        return {"languages": [], "intents": [], "test_set": {}}
    figures, intents, test_set = [], [], {}
    for code in codes:
        old, new = (before.get(code) or {}).get("messages"), (after.get(code) or {}).get("messages")
        if not old or not new:
            continue
        figures += language_rows(code, old, new)
        intents += [r for r in intent_rows(code, old, new)
                    if r["correct_before"] != r["correct_after"] or r["delta_f1"] != 0]
        changed = test_set_change(old, new)
        if changed:
            test_set[code] = changed
    return {"languages": figures, "intents": intents, "test_set": test_set}


def noise_mark(row: dict[str, Any]) -> str:
    """`+0.004 [-0.008, +0.017] noise` for a language figure; `+1 right (1 fixed, 0 broken), p=1.00 noise`."""
    if "figure" in row:
        return f"{row['delta']:+.3f} [{row['low']:+.3f}, {row['high']:+.3f}] {row['verdict']}"
    moved = row["correct_after"] - row["correct_before"]
    return (f"{moved:+d} right ({row['fixed']} fixed, {row['broken']} broken), p={row['p']:.2f} "
            f"{'significant' if row['significant'] else 'noise'}")


def worse(comparison: dict[str, Any], figures: tuple[str, ...] = ("intent_macro_f1", "language_id")) -> list[str]:
    """Language figures whose drop is more than noise: what stops a promotion."""
    return [f"{r['language']}: {r['figure']} {r['before']:.3f} → {r['after']:.3f} ({noise_mark(r)})"
            for r in comparison["languages"] if r["figure"] in figures and r["verdict"] == "worse"]


def comparison_lines(comparison: dict[str, Any]) -> list[str]:
    """The comparison for a terminal: every language figure, then every intent whose right answers or F1 moved."""
    if not comparison["languages"]:
        return ["Nothing to compare with."]
    lines = [f"{'lang':5} {'figure':16} {'n':>5} {'before':>7} {'after':>7}  difference [95% interval]"]
    lines += [f"{r['language']:5} {r['figure']:16} {r['n']:>5} {r['before']:>7.3f} {r['after']:>7.3f}  {noise_mark(r)}"
              for r in comparison["languages"]]
    if comparison["intents"]:
        lines.append(f"{'lang':5} {'intent':28} {'right before→after':>19} {'F1 before→after':>16}  flips")
        lines += [f"{r['language']:5} {r['intent']:28} {r['correct_before']:>8}/{r['n']} → {r['correct_after']}/{r['n']:<4}"
                  f" {r['f1_before']:.3f} → {r['f1_after']:.3f}  {noise_mark(r)}" for r in comparison["intents"]]
    else:
        lines.append("No intent gained or lost a right answer.")
    for code, change in comparison["test_set"].items():
        lines.append(f"Note: the {code} test set changed ({change['before']} → {change['after']} messages, "
                     f"+{change['added']} −{change['removed']}); compared on the messages both were measured on.")
    return lines
