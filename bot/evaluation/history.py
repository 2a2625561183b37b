"""What got better or worse since the previous report, per language and per intent, each with a noise mark."""
from __future__ import annotations

from typing import Any, Optional

from bot.evaluation.compare import compare, noise_mark
from bot.evaluation.gate import FIGURES

# Reports written before per-message results were kept can only be compared figure by figure: differences
# smaller than this are called noise there (one message of a 250-message test set is 0.004).
NOISE = 0.005


def _figure_rows(previous: dict[str, Any], current: dict[str, Any], codes: list[str]) -> list[dict[str, Any]]:
    rows = []
    for code in codes:
        if code not in previous or code not in current:
            continue
        for figure, read in FIGURES.items():
            before, after = read(previous[code]), read(current[code])
            delta = after - before
            verdict = "better" if delta >= NOISE else "worse" if delta <= -NOISE else "same"
            rows.append({"language": code, "figure": figure, "before": round(before, 4), "after": round(after, 4),
                         "delta": round(delta, 4), "verdict": verdict})
    return rows


def changes(previous: Optional[dict[str, Any]], current: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    """{"languages": rows per language and figure, "intents": rows per intent that moved, "test_set": notes}.

    Paired on the same messages, with bootstrap intervals, when both reports kept their per-message results."""
    if not previous:
        return {"languages": [], "intents": [], "test_set": {}}
    paired = compare(previous, current, codes)
    if paired["languages"]:
        return paired
    return {"languages": _figure_rows(previous, current, codes), "intents": [], "test_set": {}}


def _mark(row: dict[str, Any]) -> str:
    return noise_mark(row) if "low" in row else f"{row['delta']:+.3f} {row['verdict']}"


def summary(changed: dict[str, Any]) -> str:
    """Every figure that moved, e.g. `pl: intent_macro_f1 0.965 → 0.969 (+0.004 [-0.003, +0.012] noise)`, then
    every intent that gained or lost a right answer, then changed test sets."""
    rows = changed["languages"]
    if not rows:
        return "No previous report to compare with."
    lines = [f"{r['language']}: {r['figure']} {r['before']:.3f} → {r['after']:.3f} ({_mark(r)})"
             for r in rows if r["verdict"] != "same"]
    lines += [f"{r['language']}: {r['intent']} {r['correct_before']}/{r['n']} → {r['correct_after']}/{r['n']} right, "
              f"F1 {r['f1_before']:.3f} → {r['f1_after']:.3f} ({noise_mark(r)})" for r in changed["intents"]]
    lines += [f"Note: the {code} test set changed ({c['before']} → {c['after']} messages, +{c['added']} "
              f"−{c['removed']}): compared on the {c['after'] - c['added']} messages both reports measured"
              for code, c in changed["test_set"].items()]
    return "\n".join(lines) if lines else "No figure and no intent moved since the previous report."
