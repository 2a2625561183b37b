"""`bot validate` on small data sets: the clean one passes, each broken variant triggers its check."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.trainer.validate import validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures/trainer"
CASES = yaml.safe_load((FIXTURES / "broken.yml").read_text(encoding="utf-8"))
LANGUAGES = ("en", "pl")


def clean_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "clean", root)
    return root


def broken_copy(tmp_path: Path, case: dict) -> Path:
    root = clean_copy(tmp_path)
    path = root / case["file"]
    if case.get("delete"):
        path.unlink()
    else:
        text = path.read_text(encoding="utf-8")
        assert text.count(case["find"]) == 1, f"the fixture edit must match once in {case['file']}"
        path.write_text(text.replace(case["find"], case["replace"]), encoding="utf-8")
    return root


def test_clean_data_has_no_errors_and_no_warnings(tmp_path):
    report = validate(clean_copy(tmp_path), LANGUAGES, with_rasa=False)
    assert (report.errors, report.warnings) == ([], [])


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_broken_data_set_triggers_its_check(tmp_path, name):
    case = CASES[name]
    expect = case["expect"]
    report = validate(broken_copy(tmp_path, case), LANGUAGES, with_rasa=False)
    found = report.errors if expect["error"] else report.warnings
    matching = [p for p in found if expect["says"] in p.message and p.file == expect["file"]]
    assert matching, f"expected “{expect['says']}” in {expect['file']}, got:\n{report.text()}"
    if "line" in expect:
        assert matching[0].line == expect["line"]
    if not expect["error"]:
        assert report.errors == [], report.text()


def test_the_command_fails_on_errors_and_lists_warnings_apart(tmp_path):
    root = broken_copy(tmp_path, CASES["too_few_examples"])
    (root / "data/nlu/en.yml").write_text((root / "data/nlu/en.yml").read_text().replace(
        "    - do you use DHL\n", "    - do you use DHL\n    - hello!\n"))
    result = subprocess.run([sys.executable, "-m", "bot.cli", "validate", "--skip-rasa", "--root", str(root),
                             "--languages", "en,pl"], capture_output=True, text=True)
    assert result.returncode == 1
    errors, warnings = result.stdout.split("Warnings")
    assert "data/nlu/pl.yml:3: intent 'greet' has 24 Polish examples" in errors
    assert "data/nlu/en.yml:8: “hello” ('greet') is nearly the same as “hello!”" in warnings
    assert "1 error(s), 1 warning(s)." in result.stdout


def test_rasa_data_validate_runs_too_and_clean_data_passes(tmp_path):
    result = subprocess.run([sys.executable, "-m", "bot.cli", "validate", "--root", str(clean_copy(tmp_path)),
                             "--languages", "en,pl"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    assert "Data valid" in result.stdout


def test_greek_letters_in_the_polish_file_are_an_error_even_when_the_greek_file_has_the_same_text():
    from bot.trainer.language_check import language_problems
    from bot.trainer.nlu_data import TrainingExample

    def example(text: str, language: str, line: int) -> TrainingExample:
        return TrainingExample(text, "check_order_status", language, Path(f"data/nlu/{language}.yml"), line)

    training = [example(t, "el", i) for i, t in enumerate(["πού είναι η παραγγελία μου", "πότε έρχεται το δέμα"])]
    training += [example(t, "pl", i) for i, t in enumerate(["gdzie jest moja paczka", "kiedy przyjdzie paczka",
                                                           "πού είναι η παραγγελία μου"])]
    problems = language_problems(training)
    assert [(p.file, p.line, p.warning) for p in problems] == [("data/nlu/pl.yml", 2, False)]


def test_the_bots_language_detector_makes_greeklish_in_the_polish_file_an_error():
    """The detector (bot.nlu) learnt from part of the project's data; a Greeklish and a Polish sentence put in
    the wrong files are errors, a Polish one in the Polish file is not."""
    from bot.nlu.language_model import LanguageModel
    from bot.settings import PROJECT_ROOT
    from bot.trainer.language_check import language_problems
    from bot.trainer.nlu_data import TrainingExample, read_examples

    learnt = [e for code in ("en", "el", "pl", "da")
              for e in read_examples(PROJECT_ROOT / "data/nlu" / f"{code}.yml")[::6]]
    detector = LanguageModel().fit([e.plain for e in learnt], [e.language for e in learnt])
    added = [TrainingExample("exete karta dwrou gia dwro?", "ask_gift_card", "pl", Path("data/nlu/pl.yml"), 40),
             TrainingExample("hvor lang tid tager levering til Aarhus", "ask_shipping", "pl", Path("data/nlu/pl.yml"), 41),
             TrainingExample("ile trwa dostawa do Krakowa", "ask_shipping", "pl", Path("data/nlu/pl.yml"), 42)]
    problems = [p for p in language_problems(learnt + added, detector=detector) if p.file == "data/nlu/pl.yml"]
    assert [(p.line, p.warning) for p in problems] == [(40, False), (41, False)]
    assert "reads as Greek" in problems[0].message and "reads as Danish" in problems[1].message
