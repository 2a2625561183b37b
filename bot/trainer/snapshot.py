"""What a model was trained and tested on, kept with it, so that the next report can list every example added,
removed or moved to another intent since then."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from bot.trainer.nlu_data import read_examples, same_text_key

FOLDERS = {"training": "data/nlu", "test": "tests/data"}


def data_snapshot(root: Path, codes: Sequence[str]) -> dict[str, dict[str, list[list[str]]]]:
    """{"training"|"test": {language: [[example, intent], ...]}} as the files are now."""
    snapshot: dict[str, dict[str, list[list[str]]]] = {}
    for kind, folder in FOLDERS.items():
        snapshot[kind] = {}
        for code in codes:
            path = root / folder / f"{code}.yml"
            snapshot[kind][code] = [[e.plain, e.intent] for e in read_examples(path, code)] if path.exists() else []
    return snapshot


def _keyed(rows: list[list[str]], code: str) -> dict[str, tuple[str, str]]:
    return {same_text_key(text, code): (text, intent) for text, intent in rows}


def data_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, str]]:
    """Every example added, removed or moved (same text, other intent), per data set and language."""
    rows = []
    for kind in FOLDERS:
        old_sets, new_sets = (before or {}).get(kind) or {}, (after or {}).get(kind) or {}
        for code in sorted(set(old_sets) | set(new_sets)):
            old, new = _keyed(old_sets.get(code) or [], code), _keyed(new_sets.get(code) or [], code)
            for key in sorted(set(old) | set(new)):
                if key not in old:
                    rows.append({"set": kind, "language": code, "change": "added", "text": new[key][0],
                                 "intent": new[key][1]})
                elif key not in new:
                    rows.append({"set": kind, "language": code, "change": "removed", "text": old[key][0],
                                 "intent": old[key][1]})
                elif old[key][1] != new[key][1]:
                    rows.append({"set": kind, "language": code, "change": "moved", "text": new[key][0],
                                 "intent": new[key][1], "from": old[key][1]})
    return rows


def change_lines(rows: list[dict[str, str]], limit: int = 40) -> list[str]:
    """`training pl +start_return: “chcę oddać buty”`, a count per set and language first."""
    if not rows:
        return ["No example added, removed or moved."]
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        counts.setdefault((row["set"], row["language"]), {}).setdefault(row["change"], 0)
        counts[(row["set"], row["language"])][row["change"]] += 1
    lines = [f"{kind} {code}: " + ", ".join(f"{n} {change}" for change, n in sorted(changed.items()))
             for (kind, code), changed in sorted(counts.items())]
    for row in rows[:limit]:
        what = f"{row['from']} → {row['intent']}" if row["change"] == "moved" else row["intent"]
        sign = {"added": "+", "removed": "-", "moved": "~"}[row["change"]]
        lines.append(f"  {sign} {row['set']} {row['language']} {what}: “{row['text']}”")
    if len(rows) > limit:
        lines.append(f"  … and {len(rows) - limit} more (the full list is in the report)")
    return lines
