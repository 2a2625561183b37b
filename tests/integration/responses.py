"""Recognising which domain response (and which language's variation) a bot message is."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

import yaml

from bot.settings import PROJECT_ROOT
from bot.transliterate import latin_to_cyrillic


@lru_cache(maxsize=1)
def _responses() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]


def _pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{[^}]+\}", template)
    return re.compile("^" + "(.|\n)*?".join(re.escape(part) for part in parts) + "$", re.S)


def response_language(text: str, name: str, prefer: Optional[str] = None) -> Optional[str]:
    """The language whose variation of response `name` produced `text` ("sr-Cyrl" for Cyrillic Serbian).

    Where two languages share the same wording (Serbian and Croatian often do), `prefer` wins.
    """
    variations = sorted(_responses()[name], key=lambda v: v["condition"][0]["value"] != prefer)
    for variation in variations:
        language = next(c["value"] for c in variation.get("condition", []) if c["name"] == "language")
        if _pattern(variation["text"]).match(text):
            return language
        if language == "sr" and _pattern(latin_to_cyrillic(variation["text"])).match(text):
            return "sr-Cyrl"
    return None


def identify(text: str, names: list[str], prefer: Optional[str] = None) -> Optional[tuple[str, str]]:
    """(response name, language) for the first of `names` whose template matches `text`."""
    for name in names:
        language = response_language(text, name, prefer)
        if language:
            return name, language
    return None
