"""Plural forms, lists and time zones by CLDR's rules for each language."""
from __future__ import annotations

import pytest

from bot import wording

MINUTES = {  # 1, 2, 5, 21, 22 minutes
    "en": ["1 minute", "2 minutes", "5 minutes", "21 minutes", "22 minutes"],
    "el": ["1 λεπτό", "2 λεπτά", "5 λεπτά", "21 λεπτά", "22 λεπτά"],
    "pl": ["1 minuta", "2 minuty", "5 minut", "21 minut", "22 minuty"],
    "sr": ["1 minut", "2 minuta", "5 minuta", "21 minut", "22 minuta"],
    "hr": ["1 minuta", "2 minute", "5 minuta", "21 minuta", "22 minute"],
    "nb": ["1 minutt", "2 minutter", "5 minutter", "21 minutter", "22 minutter"],
    "da": ["1 minut", "2 minutter", "5 minutter", "21 minutter", "22 minutter"],
}


@pytest.mark.parametrize("language", sorted(MINUTES))
def test_plural_forms_follow_the_language(language):
    assert [wording.duration(n, "minute", language) for n in (1, 2, 5, 21, 22)] == MINUTES[language]


def test_lists_use_the_languages_conjunction():
    items = ["A", "B", "C"]
    assert [wording.joined(items, code) for code in ("en", "el", "pl", "sr", "hr", "nb", "da")] == [
        "A, B and C", "A, B και C", "A, B i C", "A, B i C", "A, B i C", "A, B og C", "A, B og C"]
    assert wording.joined(["A"], "pl") == "A" and wording.joined([], "en") == ""


def test_the_customers_time_zone():
    assert wording.customer_zone({"timezone": "Asia/Nicosia"}, "GR", "el") == "Asia/Nicosia"  # the browser's first
    assert wording.customer_zone({"timezone": "Not/AZone"}, "GR", "el") == "Europe/Athens"
    assert wording.customer_zone({}, None, "el") == "Europe/Athens"  # Greece and Cyprus share one offset
    assert wording.customer_zone({}, None, "en") is None  # British, Irish or American: unknown
    assert wording.customer_zone({}, "US", "en") is None and wording.customer_zone({}, "GB", "en") == "Europe/London"
