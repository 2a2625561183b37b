"""The same or nearly the same example under two intents of one language: the classifier cannot learn both."""
from __future__ import annotations

from typing import Callable, Iterable

from bot.checks import Problem
from bot.trainer.nlu_data import TrainingExample, near_text_key, same_text_key


def _conflicts(examples: list[TrainingExample], key: Callable[[str, str], str]) -> dict[str, list[TrainingExample]]:
    groups: dict[str, list[TrainingExample]] = {}
    for example in examples:
        groups.setdefault(key(example.text, example.language), []).append(example)
    return {k: group for k, group in groups.items() if len({e.intent for e in group}) > 1}


def duplicate_problems(examples: Iterable[TrainingExample]) -> list[Problem]:
    """Identical once case, accents and spacing are ignored: an error. Differing only in punctuation: a warning.

    Only within one language: the same word may rightly mean different things in two ("tak": Polish yes,
    Danish thanks).
    """
    by_language: dict[str, list[TrainingExample]] = {}
    for example in examples:
        by_language.setdefault(example.language, []).append(example)
    problems = []
    for group in by_language.values():
        same = _conflicts(group, same_text_key)
        near = {k: g for k, g in _conflicts(group, near_text_key).items()
                if not any(e in conflict for conflict in same.values() for e in g)}
        for conflicts, warning in ((same, False), (near, True)):
            for clash in conflicts.values():
                first, others = clash[0], clash[1:]
                where = "; ".join(f"“{e.text}” as '{e.intent}' (line {e.line})"
                                  for e in others if e.intent != first.intent)
                kind = "nearly the same as" if warning else "the same as"
                message = (f"“{first.text}” ('{first.intent}') is {kind} {where}: keep it under the one intent "
                           "it means")
                problems.append(Problem(str(first.path), message, first.line, warning))
    return problems
