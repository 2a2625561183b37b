"""`bot add-language` scaffolds a language, and `bot validate` then lists exactly what is left to write."""
from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import yaml

from bot import languages
from bot.settings import PROJECT_ROOT
from bot.trainer.coverage import EXEMPT_INTENTS, domain_intents
from bot.trainer.scaffold import add_language
from bot.trainer.validate import validate

FILES = ("domain.yml", "business.yml", "canned_answers.yml", "config.yml", "eval_thresholds.yml", "data",
         "tests/data", "bot/languages.py")


def project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in FILES:
        source, target = PROJECT_ROOT / name, root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target)
    return root


def test_add_language_then_validate_lists_what_is_left(tmp_path):
    root = project_copy(tmp_path)
    said = add_language(root, "de")

    # From CLDR and phonenumbers, not typed by hand: Germany first, then the other countries where German is official.
    assert 'Language("de", "German", "Deutsch", ("Latn",), ("49", "43", "32", "41", "423", "352"), ("de_DE",), "DE", ' \
        '"de_DE", True)' in (root / "bot/languages.py").read_text()
    assert "numbers as 1.234,5, plural forms one, other" in said
    german = yaml.safe_load((root / "business.yml").read_text())["texts"]["de"]
    assert german["weekdays"] == ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
    assert german["weekdays_short"][0] == "Mo" and german["weekday_keywords"][2] == ["mittwoch", "mi"]
    assert "TODO" in german["closed"]  # what CLDR does not have is left to write
    domain = yaml.safe_load((root / "domain.yml").read_text())
    assert "de" in domain["slots"]["language"]["values"]
    intents = [i for i in domain_intents(domain) if i not in EXEMPT_INTENTS]

    report = validate(root, languages.SUPPORTED + ("de",), with_rasa=False)
    where = Counter(problem.file for problem in report.errors)
    assert set(where) == {"data/nlu/de.yml", "tests/data/de.yml", "domain.yml", "business.yml", "canned_answers.yml"}
    assert where["data/nlu/de.yml"] == where["tests/data/de.yml"] == len(intents)
    conditioned = [name for name, variations in domain["responses"].items()
                   if any(v.get("condition") for v in variations)]
    assert where["domain.yml"] == len(conditioned)
    assert all("German" in problem.message for problem in report.errors)
    assert any(p.file == "eval_thresholds.yml" for p in report.warnings)
    # Nothing else: the other languages are untouched and still pass.
    assert validate(root, languages.SUPPORTED, with_rasa=False).errors == []
