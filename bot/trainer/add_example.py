"""`bot add-example "…" --intent X --lang pl`: one training example, checked, written once at the end of the
intent's block in data/nlu/<lang>.yml (the rest of the file stays as written)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from bot import languages
from bot.checks import read_yaml
from bot.trainer.coverage import domain_intents, language_name
from bot.trainer.entities import annotation_problems
from bot.trainer.leakage import leakage_problems
from bot.trainer.nlu_data import TrainingExample, near_text_key, read_blocks, read_examples
from bot.trainer.review_apply import REVIEW_SOURCE


class ExampleError(ValueError):
    """The example cannot be added, and why."""


def _check(root: Path, text: str, intent: str, language: str) -> None:
    if not text.strip():
        raise ExampleError("the example is empty")
    if "\n" in text:
        raise ExampleError("one example at a time, on one line")
    if language not in languages.SUPPORTED:
        raise ExampleError(f"'{language}' is not a supported language ({', '.join(languages.SUPPORTED)})")
    domain = read_yaml(root / "domain.yml")
    if intent not in domain_intents(domain):
        raise ExampleError(f"'{intent}' is not an intent in domain.yml (see docs/intents.md)")
    candidate = TrainingExample(text, intent, language, root / "data/nlu" / f"{language}.yml", 0)
    problems = annotation_problems(candidate, {str(e) for e in domain.get("entities") or []})
    if problems:
        raise ExampleError(problems[0])
    key = near_text_key(text, language)
    for existing in read_examples(candidate.path, language):
        if near_text_key(existing.text, language) == key:
            where = f"data/nlu/{language}.yml:{existing.line}"
            raise ExampleError(f"already in the data at {where}" + (
                "" if existing.intent == intent else f", as '{existing.intent}': change it there if it is wrong"))
    tests = root / "tests/data" / f"{language}.yml"
    if tests.exists():
        leak = leakage_problems([candidate], read_examples(tests, language))
        if leak:
            raise ExampleError(f"a held-out test message is (nearly) the same ({leak[0].file}:{leak[0].line}): "
                               "training on it would make the test measure memory")


def _block_end(path: Path, language: str, intent: str) -> Optional[tuple[int, str]]:
    """After which line the intent's own block (not a review block) ends, and the indentation its examples use."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for block in read_blocks(path, language):
        if block.intent == intent and block.source != REVIEW_SOURCE and block.examples:
            last = block.examples[-1].line
            return last, lines[last - 1][: len(lines[last - 1]) - len(lines[last - 1].lstrip())]
    return None


def add_example(root: Path, text: str, intent: str, language: str) -> str:
    """Add the example (or raise ExampleError); returns where it went, as file:line."""
    text = " ".join(text.split())
    _check(root, text, intent, language)
    path = root / "data/nlu" / f"{language}.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    end = _block_end(path, language, intent)
    if end is None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines += [f"- intent: {intent}\n", "  metadata:\n", f"    language: {language}\n", "  examples: |\n"]
        at, indent = len(lines), "    "
    else:
        at, indent = end
    lines.insert(at, f"{indent}- {text}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return f"data/nlu/{language}.yml:{at + 1} ('{intent}', {language_name(language)})"
