"""Word frequencies tell a language we do not speak from the neighbour of ours it resembles, and leave alone what
one of ours writes exactly so."""
from __future__ import annotations

import pytest

from bot.evaluation.metrics import load_examples
from bot.languages import SUPPORTED
from bot.nlu.language_model import LanguageModel, Settings
from bot.nlu.word_frequency import foreign_by_frequency, written_in


@pytest.fixture(scope="module")
def model(project_root) -> LanguageModel:
    examples = [e for code in SUPPORTED for e in load_examples(project_root / "data/nlu" / f"{code}.yml")]
    return LanguageModel(Settings()).fit([e.text for e in examples], [e.language for e in examples])


@pytest.mark.parametrize("text, code", [
    ("Kdaj bo paket prišel? Čakam že en teden", "sl"),  # že, en teden: Croatian već, tjedan
    ("Najlepša hvala, paket sem že dobila", "sl"),
    ("Finns det en butik i Malmö?", "sv"),              # finns: Norwegian finnes, Danish findes
    ("Tusen tack för hjälpen", "sv"),
    ("ок, жду ответа", "ru"),                           # жду is no Serbian word, ok is everyone's
    ("Is de jas nog op voorraad?", "nl"),
])
def test_messages_in_a_neighbour_we_do_not_speak_are_named(model, text, code):
    detection = model.detect(text)
    assert (detection.code, detection.supported) == (code, False)
    assert any(clue.get("kind") in ("word frequency", "unsupported") for clue in detection.evidence)


@pytest.mark.parametrize("text, code", [
    ("Ne, hvala", "hr"),                          # Slovenian too, but a Croatian writes it exactly so
    ("Имате ли код за попуст?", "sr"),            # Macedonian too, and Serbian word for word
    ("Ha det bra!", "nb"),                        # Swedish too
    ("hvala na pomoći, lijep pozdrav", "hr"),
    ("kiedy przyjdzie moja paczka", "pl"),
    ("tak for hjælpen, hav en god dag", "da"),
    ("pou einai h paraggelia mou", "el"),         # Greeklish: in no word list, in our examples
])
def test_what_one_of_ours_writes_exactly_so_stays_ours(model, text, code):
    detection = model.detect(text)
    assert detection.supported and code in detection.candidates


def test_a_language_of_ours_with_its_hint_is_not_overruled_by_word_lists(model):
    # A Croatian customer (hr-HR) who types "pomoč" with the wrong háček stays Croatian.
    assert model.detect("trebam pomoč oko narudžbe", hint="hr").supported


def test_c_for_c_slips_of_our_customers_do_not_make_a_croatian_message_slovenian(model):
    # Croatian writes "pomoć"; "pomoč" is Slovenian, and a Croatian's frequent slip.
    assert model.detect("hvala vam puno na pomoč").supported
    assert foreign_by_frequency("hvala na pomoč") is None


def test_a_mixed_message_with_words_of_ours_stays_ours():
    assert foreign_by_frequency("where is my order, gracias") is None


def test_a_clue_between_two_of_ours_does_not_count_against_a_language_that_writes_it_too():
    assert written_in("tusen", "sv") and written_in("frakt", "sv")
    assert written_in("moze da", "mk", "Кој може да ми помогне?")  # clue words are folded to Latin
    assert not written_in("lijepo", "sl")
    assert not written_in("tusen", "sq")  # no word list for Albanian: nothing is known to be written there
