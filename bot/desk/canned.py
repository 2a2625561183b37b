"""Canned answers for agents (canned_answers.yml): templates per language with placeholders such as {name}."""
from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot import languages
from bot.checks import Problem, read_yaml
from bot.settings import PROJECT_ROOT
from bot.transliterate import latin_to_cyrillic

CANNED_FILE = PROJECT_ROOT / "canned_answers.yml"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _KeepMissing(dict):
    """Leaves a placeholder with no value as it is ("{order_id}"), for the agent to fill in."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class CannedAnswers:
    answers: dict[str, Any]

    def render(self, language: str, values: dict[str, str], script: str = "Latn",
               keep_latin: tuple[str, ...] = ()) -> list[dict[str, str]]:
        """Every answer in `language` (English when missing), with the values we know filled in."""
        filled = _KeepMissing({key: value for key, value in values.items() if value})
        rendered = []
        for key, answer in self.answers.items():
            texts = answer.get("texts", {})
            template = texts.get(language) or texts.get(languages.DEFAULT_LANGUAGE, "")
            if language == "sr" and script == "Cyrl":
                # Transliterate the template, then fill: names and order numbers stay as the customer wrote them.
                template = latin_to_cyrillic(template, keep_latin)
            rendered.append({"key": key, "title": answer.get("title", key), "text": template.format_map(filled)})
        return rendered


@lru_cache(maxsize=4)
def load_canned(path: Path = CANNED_FILE) -> CannedAnswers:
    return CannedAnswers(read_yaml(path).get("answers") or {})


def canned_problems(path: Path = CANNED_FILE) -> list[Problem]:
    """Each canned answer needs a text in every language, with the same placeholders as the English one."""
    problems = []
    for key, answer in (read_yaml(path).get("answers") or {}).items():
        texts = answer.get("texts") or {}
        english = placeholders(texts.get(languages.DEFAULT_LANGUAGE, ""))
        for code in languages.SUPPORTED:
            if not texts.get(code):
                problems.append(Problem(str(path), f"canned answer '{key}' has no {code} text"))
            elif placeholders(texts[code]) != english:
                problems.append(Problem(str(path), f"canned answer '{key}' ({code}) has placeholders "
                                        f"{sorted(placeholders(texts[code]))}, English has {sorted(english)}"))
    return problems
