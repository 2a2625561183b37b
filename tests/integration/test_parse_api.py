"""`/model/parse` shows the detected language; the same input always gives the same answer."""
from __future__ import annotations

import pytest

from tests.conftest import http_json


def parse(stack, text: str, metadata: dict | None = None) -> dict:
    payload = {"text": text, **({"metadata": metadata} if metadata else {})}
    return http_json(f"{stack.rasa_url}/model/parse?token={stack.rasa_token}", payload)


@pytest.mark.parametrize(
    "text, code, script",
    [("πού είναι η παραγγελία μου;", "el", "Grek"), ("pou einai h paraggelia mou", "el", "Latn"),
     ("где је моја поруџбина", "sr", "Cyrl"), ("gdje je moja narudžba", "hr", "Latn"),
     ("hvor er pakken min, jeg har ventet en uke", "nb", "Latn"), ("hvor bliver min pakke af", "da", "Latn"),
     ("gdzie jest moja paczka", "pl", "Latn"), ("where is my parcel", "en", "Latn")],
)
def test_language_key_in_parse_result(stack, text, code, script):
    result = parse(stack, text)
    assert result["language"]["code"] == code
    assert result["language"]["script"] == script
    assert result["language"]["supported"] is True
    assert 0.0 <= result["language"]["confidence"] <= 1.0
    assert {"entity": "language", "value": code} in [
        {"entity": e["entity"], "value": e["value"]} for e in result["entities"]
    ]


def test_no_language_entity_when_unsure(stack):
    result = parse(stack, "ok")
    assert all(e["entity"] != "language" for e in result["entities"])


def test_unsupported_language_is_named(stack):
    result = parse(stack, "Bonjour, où est ma commande ? J'attends depuis deux semaines.")
    assert result["language"]["code"] == "fr" and result["language"]["supported"] is False
    assert result["intent"]["name"] == "nlu_fallback"


def test_parsing_is_deterministic(stack):
    texts = ["hvala", "tak", "hei", "kalimera", "ok thanks", "poštarina?"]
    first = [parse(stack, text)["language"] for text in texts]
    second = [parse(stack, text)["language"] for text in texts]
    assert first == second


def test_entities_are_extracted(stack):
    result = parse(stack, "my order is 10482 and my email anna.k@example.com")
    found = {(e["entity"], e["value"]) for e in result["entities"]}
    assert ("order_id", "10482") in found and ("email", "anna.k@example.com") in found
