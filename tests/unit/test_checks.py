"""The coverage checks that `bot validate` (and so `make test`) runs."""
from pathlib import Path

import yaml

from bot import languages
from bot.checks import intent_coverage, project_problems, response_coverage


def test_the_project_covers_every_intent_and_response_in_every_language(project_root):
    assert [str(p) for p in project_problems(project_root)] == []


def _write(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def test_an_intent_with_too_few_examples_in_one_language_is_reported(tmp_path):
    domain = _write(tmp_path / "domain.yml", {"intents": ["greet", "thank"]})
    nlu = tmp_path / "nlu"
    nlu.mkdir()
    for code in languages.SUPPORTED:
        blocks = [
            {"intent": intent, "metadata": {"language": code},
             "examples": "".join(f"- {intent} {code} {i}\n" for i in range(3 if (code, intent) == ("hr", "thank") else 25))}
            for intent in ("greet", "thank")
        ]
        _write(nlu / f"{code}.yml", {"nlu": blocks})
    problems = [str(p) for p in intent_coverage(nlu, domain)]
    assert problems == [f"{nlu / 'hr.yml'}: intent 'thank' has 3 examples, needs at least 25"]


def test_a_missing_language_file_is_reported(tmp_path):
    domain = _write(tmp_path / "domain.yml", {"intents": ["greet"]})
    (tmp_path / "nlu").mkdir()
    problems = intent_coverage(tmp_path / "nlu", domain)
    assert len(problems) == len(languages.SUPPORTED) and "missing" in str(problems[0])


def test_a_response_without_a_variation_for_a_language_is_reported(tmp_path):
    variations = [{"condition": [{"type": "slot", "name": "language", "value": code}], "text": "hi"}
                  for code in languages.SUPPORTED if code != "nb"]
    domain = _write(tmp_path / "domain.yml", {"responses": {"utter_greet": variations}})
    assert [p.message for p in response_coverage(domain)] == ["response 'utter_greet' has no variation for: nb"]
