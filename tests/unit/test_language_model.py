"""Language identification on its own, trained on the project's NLU data."""
from __future__ import annotations

import pytest

from bot.evaluation.metrics import load_examples
from bot.languages import SUPPORTED
from bot.nlu.language_model import LanguageModel, Settings


@pytest.fixture(scope="module")
def model(project_root) -> LanguageModel:
    examples = [e for code in SUPPORTED for e in load_examples(project_root / "data/nlu" / f"{code}.yml")]
    return LanguageModel(Settings()).fit([e.text for e in examples], [e.language for e in examples])


@pytest.mark.parametrize(
    "text, code, script",
    [("Πού είναι η παραγγελία μου;", "el", "Grek"), ("ΕΥΧΑΡΙΣΤΩ", "el", "Grek"), ("Хвала вам", "sr", "Cyrl"),
     ("где је пакет", "sr", "Cyrl")],
)
def test_script_rules(model, text, code, script):
    detection = model.detect(text)
    assert (detection.code, detection.script, detection.supported) == (code, script, True)


@pytest.mark.parametrize("text", ["pou einai h paraggelia mou", "8elw na kanw epistrofh", "kalhspera, exete dwrean metaforika?"])
def test_greeklish_is_greek(model, text):
    assert model.detect(text).code == "el"


@pytest.mark.parametrize(
    "text, code",
    [("gdzie jest moja paczka", "pl"), ("where is my parcel", "en"), ("gdje je moja narudžba, čekam već tjedan dana", "hr"),
     ("gde je moja porudžbina, čekam već nedelju dana", "sr"), ("hvor er pakken min? jeg har ventet i en uke", "nb"),
     ("hvor bliver min pakke af? jeg har ventet en uge", "da")],
)
def test_full_sentences(model, text, code):
    assert model.detect(text).code == code


def test_metadata_prior_places_short_messages(model):
    assert model.detect("hvala", hint="hr").code == "hr"
    assert model.detect("hvala", hint="sr").code == "sr"
    assert model.detect("ok", hint="nb").code == "nb"
    assert model.detect("tak", hint="pl").code == "pl"
    assert model.detect("tak", hint="da").code == "da"


def test_prior_does_not_override_a_clear_sentence(model):
    assert model.detect("where is my parcel, I ordered it two weeks ago", hint="el").code == "en"


def test_short_messages_without_letters_keep_no_language(model):
    detection = model.detect("10482")
    assert detection.confidence == 0.0 and detection.script is None
    assert model.detect("🙂", hint="da").code == "da"


def test_unsupported_languages_are_named(model):
    german = model.detect("Guten Tag, wo ist meine Bestellung? Ich warte schon zwei Wochen.")
    assert (german.code, german.supported) == ("de", False)
    russian = model.detect("Здравствуйте, где мой заказ?")
    assert (russian.code, russian.supported) == ("ru", False)
    assert model.detect("注文はどこですか").supported is False


def test_deterministic(model, project_root):
    texts = ["hvala", "hei", "tak", "ok", "kalimera", "poštarina?", "Guten Tag, wo ist meine Bestellung bitte?"]
    first = [model.detect(t) for t in texts]
    assert [model.detect(t) for t in texts] == first
    examples = [e for code in SUPPORTED for e in load_examples(project_root / "data/nlu" / f"{code}.yml")]
    retrained = LanguageModel(Settings()).fit([e.text for e in examples], [e.language for e in examples])
    assert [retrained.detect(t) for t in texts] == first


def test_a_message_both_neighbours_write_alike_is_reported_as_fitting_both(model):
    assert set(model.detect("hvala puno").candidates) == {"sr", "hr"}
    assert set(model.detect("kommer pakken i morgen?").candidates) == {"nb", "da"}
    assert set(model.detect("ok").candidates) == set(SUPPORTED)
    assert model.detect("👍").candidates == tuple(SUPPORTED)


def test_evidence_separates_the_neighbours_and_is_reported(model):
    croatian = model.detect("Tko mi može reći gdje je paket? Čekam već tjedan dana")
    assert (croatian.code, croatian.candidates) == ("hr", ("hr",))
    assert {"tko", "gdje", "tjedan"} <= {clue["words"] for clue in croatian.evidence}
    serbian = model.detect("Da li šaljete za Čačak?")
    assert (serbian.code, serbian.candidates) == ("sr", ("sr",))
    assert model.detect("Hvad koster fragten til Aarhus?").candidates == ("da",)
    assert model.detect("Hva koster frakten til Tromsø?").candidates == ("nb",)


@pytest.mark.parametrize(
    "text, code",
    [("Hallo, wie lange dauert der Versand nach Deutschland?", "de"), ("Hej, jag undrar när mitt paket kommer", "sv"),
     ("Živjo, kdaj bo prišel moj paket?", "sl"), ("Dobrý den, kolik stojí doprava?", "cs"),
     ("Bonjour, je n'ai toujours pas reçu ma commande", "fr"), ("Колку чини доставата?", "mk"),
     ("Здравейте, къде е поръчката ми?", "bg")],
)
def test_neighbours_of_our_languages_are_not_taken_for_ours(model, text, code):
    detection = model.detect(text)
    assert (detection.code, detection.supported) == (code, False)


@pytest.mark.parametrize("text", ["Hej, kan I hjælpe mig? where is my order", "dziękuję, merci, thanks",
                                  "Ok 👍 10482 hvala tak takk", "Split", "?!"])
def test_mixed_messages_get_an_answerable_detection(model, text):
    detection = model.detect(text)
    assert detection.code and 0.0 <= detection.confidence <= 1.0


@pytest.mark.parametrize("text, code", [
    ("do Zadra", "hr"), ("koliko je dostava do Zadra?", "hr"), ("paket iz Niša", "sr"), ("šaljete li u Rijeku", "hr"),
    ("a do Čačka?", "sr"),
])
def test_a_croatian_or_serbian_town_in_its_case_after_a_preposition_is_not_polish(model, text, code):
    detection = model.detect(text)
    assert detection.code == code
    assert any(clue["kind"] == "place after a preposition" for clue in detection.evidence)


@pytest.mark.parametrize("text", ["ile kosztuje wysyłka do Zadaru", "wysyłka do Krakowa", "paczka z Belgradu"])
def test_polish_declension_of_the_same_towns_stays_polish(model, text):
    assert model.detect(text).code == "pl"


def test_a_saved_model_detects_exactly_as_the_trained_one(model, tmp_path):
    model.save(tmp_path)
    loaded = LanguageModel.load(tmp_path)
    texts = ["hvala", "gdje je moja narudžba", "Guten Tag, wo ist meine Bestellung?", "pou einai h paraggelia mou",
             "Где је мој пакет?", "hvor bliver min pakke af"]
    assert [loaded.detect(t) for t in texts] == [model.detect(t) for t in texts]
    assert not list(tmp_path.glob("*vectorizer.skops"))  # the n-grams are kept as JSON, not 40 MB of skops
