"""Project checks a trainer runs before training: every intent and response in every language."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot import languages

MIN_EXAMPLES_PER_LANGUAGE = 25
# Responses that are deliberately in one language for everyone (said when the customer's language is not ours).
LANGUAGE_NEUTRAL_RESPONSES = {"utter_unsupported_language"}


@dataclass(frozen=True)
class Problem:
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def example_lines(block: dict) -> list[str]:
    examples = block.get("examples") or ""
    return [line[2:].strip() for line in examples.splitlines() if line.strip().startswith("- ")]


def example_counts(nlu_file: Path) -> Counter:
    counts: Counter = Counter()
    for block in read_yaml(nlu_file).get("nlu", []):
        if "intent" in block:
            counts[block["intent"]] += len(example_lines(block))
    return counts


def intent_coverage(nlu_dir: Path, domain_file: Path, minimum: int = MIN_EXAMPLES_PER_LANGUAGE) -> list[Problem]:
    """Each domain intent needs `minimum` examples in each language's file, tagged with that language."""
    intents = read_yaml(domain_file).get("intents", [])
    problems = []
    for code in languages.SUPPORTED:
        path = nlu_dir / f"{code}.yml"
        if not path.exists():
            problems.append(Problem(str(path), f"missing: every language needs its NLU file ({code})"))
            continue
        counts = example_counts(path)
        for intent in intents:
            if counts[intent] < minimum:
                problems.append(
                    Problem(str(path), f"intent '{intent}' has {counts[intent]} examples, needs at least {minimum}")
                )
        for block in read_yaml(path).get("nlu", []):
            tagged = (block.get("metadata") or {}).get("language")
            if "intent" in block and tagged != code:
                problems.append(
                    Problem(str(path), f"intent '{block['intent']}' block needs `metadata: {{language: {code}}}`")
                )
    return problems


def response_coverage(domain_file: Path) -> list[Problem]:
    """Each response needs a variation conditioned on every supported language."""
    problems = []
    for name, variations in (read_yaml(domain_file).get("responses") or {}).items():
        if name in LANGUAGE_NEUTRAL_RESPONSES:
            continue
        covered = {
            condition.get("value")
            for variation in variations
            for condition in variation.get("condition") or []
            if condition.get("name") == "language"
        }
        missing = [code for code in languages.SUPPORTED if code not in covered]
        if missing:
            problems.append(Problem(str(domain_file), f"response '{name}' has no variation for: {', '.join(missing)}"))
    return problems


def project_problems(root: Path) -> list[Problem]:
    from bot.desk.canned import canned_problems
    from bot.profile import ProfileError, load_profile

    problems = intent_coverage(root / "data/nlu", root / "domain.yml") + response_coverage(root / "domain.yml")
    problems += canned_problems(root / "canned_answers.yml")
    try:
        load_profile(root / "business.yml")
    except ProfileError as error:
        problems.append(Problem("business.yml", str(error)))
    return problems
