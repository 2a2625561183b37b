"""What got better or worse since the previous report, per language."""
from __future__ import annotations

from typing import Any, Optional

from bot.evaluation.gate import FIGURES

# Differences smaller than this are noise (one message of a 250-message test set is 0.004).
NOISE = 0.005


def changes(previous: Optional[dict[str, Any]], current: dict[str, Any], codes: list[str]) -> list[dict[str, Any]]:
    """Rows (language, figure, before, after, delta, verdict) for every figure of every language in both reports."""
    if not previous:
        return []
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


def summary(rows: list[dict[str, Any]]) -> str:
    """One line per language that changed, e.g. `pl: intent_macro_f1 0.951 → 0.932 (worse)`."""
    moved = [r for r in rows if r["verdict"] != "same"]
    if not rows:
        return "No previous report to compare with."
    if not moved:
        return "No figure moved by more than noise since the previous report."
    return "\n".join(f"{r['language']}: {r['figure']} {r['before']:.3f} → {r['after']:.3f} ({r['verdict']})"
                     for r in moved)
