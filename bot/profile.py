"""The business profile (business.yml): company facts and per-language texts for FAQ answers."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot import languages

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "business.yml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
REQUIRED_TEXT_KEYS = (
    "weekdays", "weekdays_short", "weekday_keywords", "today_keywords", "tomorrow_keywords", "closed",
    "today", "back_today", "back_tomorrow", "back_on_day", "your_time", "holidays", "shipping", "payment", "returns",
)


class ProfileError(ValueError):
    """The business profile is missing something a customer would need."""


@dataclass(frozen=True)
class BusinessProfile:
    data: dict[str, Any]

    @property
    def company(self) -> str:
        return self.data["company"]

    @property
    def timezone(self) -> str:
        return self.data["timezone"]

    @property
    def currency(self) -> str:
        return self.data.get("currency", "EUR")

    def first_response_minutes(self, channel: str) -> int:
        """The promised time to a person's first reply on `channel` (business.yml `handoff`)."""
        targets = (self.data.get("handoff") or {}).get("first_response_minutes") or {}
        return int(targets.get(channel, targets.get("default", 60)))

    @property
    def latin_names(self) -> list[str]:
        return [self.company, *self.data.get("latin_names", [])]

    def texts(self, language: str) -> dict[str, Any]:
        """The customer-facing texts in `language`, falling back to English."""
        all_texts = self.data["texts"]
        return all_texts.get(language) or all_texts[languages.DEFAULT_LANGUAGE]

    def missing_texts(self) -> list[str]:
        """Every `language: key` a supported language lacks, or whose item lists differ from English."""
        problems = []
        english = self.data["texts"].get(languages.DEFAULT_LANGUAGE, {})
        for code in languages.SUPPORTED:
            texts = self.data["texts"].get(code)
            if texts is None:
                problems.append(f"{code}: all texts")
                continue
            problems += [f"{code}: {key}" for key in REQUIRED_TEXT_KEYS if key not in texts]
            for section in ("holidays", "shipping", "payment", "returns"):
                missing = set(english.get(section, {})) - set(texts.get(section, {}))
                problems += [f"{code}: {section}.{item}" for item in sorted(missing)]
        return problems


def load_profile(path: str | os.PathLike | None = None) -> BusinessProfile:
    """Load and check the profile; the path comes from BUSINESS_PROFILE when not given."""
    path = Path(path or os.environ.get("BUSINESS_PROFILE") or DEFAULT_PATH)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ProfileError(f"cannot read business profile {path}: {error}") from error
    for key in ("company", "timezone", "opening_hours", "texts"):
        if key not in (data or {}):
            raise ProfileError(f"business profile {path} has no `{key}`")
    profile = BusinessProfile(data)
    problems = profile.missing_texts()
    if problems:
        raise ProfileError(f"business profile {path} is missing texts: {', '.join(problems)}")
    return profile


@lru_cache(maxsize=4)
def cached_profile(path: str | None = None) -> BusinessProfile:
    return load_profile(path)
