"""`bot validate`: Rasa's own data validation and the project's checks, reported as errors and warnings."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import yaml

from bot import languages
from bot.checks import Problem, read_yaml
from bot.desk.canned import canned_problems
from bot.trainer import coverage
from bot.trainer.duplicates import duplicate_problems
from bot.trainer.entities import entity_problems
from bot.trainer.language_check import language_problems, model_detector
from bot.trainer.leakage import leakage_problems
from bot.trainer.nlu_data import TrainingExample, read_examples
from bot.trainer.rasa_validate import rasa_problems


@dataclass(frozen=True)
class Report:
    errors: list[Problem]
    warnings: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.errors

    def text(self) -> str:
        if not self.errors and not self.warnings:
            return "Data valid: every intent, response, business text and test set covers every language."
        lines = []
        for title, problems in (("Errors (fix these: `make test` and training stop here)", self.errors),
                                ("Warnings (worth a look: they stop nothing)", self.warnings)):
            if problems:
                lines += [f"{title}:", *(f"  {problem}" for problem in problems), ""]
        lines.append(f"{len(self.errors)} error(s), {len(self.warnings)} warning(s).")
        return "\n".join(lines)


def _examples(root: Path, folder: str, codes: Sequence[str]) -> tuple[list[TrainingExample], list[Problem]]:
    """Every example of the language files under `folder`; a file YAML cannot read is one problem."""
    examples, problems = [], []
    for code in codes:
        path = root / folder / f"{code}.yml"
        try:
            examples += read_examples(path, code) if path.exists() else []
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            problems.append(Problem(str(path), f"this is not valid YAML ({getattr(error, 'problem', error)}): check "
                                               "the indentation and that every example starts with `- `",
                                    mark.line + 1 if mark else None))
    return examples, problems


def _relative(problem: Problem, root: Path) -> Problem:
    path = Path(problem.file)
    if path.is_absolute() and path.is_relative_to(root):
        return Problem(str(path.relative_to(root)), problem.message, problem.line, problem.warning)
    return problem


def validate(root: Path, codes: Sequence[str] = languages.SUPPORTED, with_rasa: bool = True,
             model: Optional[Path] = None) -> Report:
    """Every check; `model` (default: models/current.tar.gz) lends its language detector."""
    root = root.resolve()
    training, unreadable = _examples(root, "data/nlu", codes)
    tests, unreadable_tests = _examples(root, "tests/data", codes)
    problems = unreadable + unreadable_tests
    if not problems:  # coverage counts would only repeat what YAML could not read
        problems += coverage.intent_coverage(root, codes) + coverage.test_coverage(root, codes)
    problems += coverage.response_coverage(root, codes) + coverage.profile_coverage(root, codes)
    problems += coverage.language_list(root, codes)
    problems += coverage.canned_lines(canned_problems(root / "canned_answers.yml"), root / "canned_answers.yml")
    problems += coverage.canned_placeholders(root, codes) + coverage.threshold_coverage(root, codes)
    entities = {str(e) for e in read_yaml(root / "domain.yml").get("entities") or []}
    problems += entity_problems(training + tests, entities)
    problems += duplicate_problems(training)
    problems += leakage_problems(training, tests)
    detector, why_not = model_detector(model or root / "models/current.tar.gz")
    problems += language_problems(training, tests, detector)
    if detector is None and why_not:
        problems.append(Problem("models", f"examples not checked by the bot's language detector: {why_not}",
                                warning=True))
    if with_rasa:
        problems += rasa_problems(root)
    ordered = sorted((_relative(p, root) for p in problems), key=lambda p: (p.file, p.line or 0))
    return Report([p for p in ordered if not p.warning], [p for p in ordered if p.warning])
