import pytest

from bot.text import normalise, script_of


@pytest.mark.parametrize(
    "greek, greeklish",
    [
        ("Πού είναι η παραγγελία μου;", "pou einai h paraggelia mou;"),
        ("θέλω να κάνω επιστροφή", "8elw na kanw epistrofh"),
        ("μπορώ να πληρώσω με κάρτα", "mporw na plhrwsw me karta"),
        ("πού είναι το δέμα μου", "poy einai to dema moy"),
    ],
)
def test_greek_and_greeklish_share_one_normal_form(greek, greeklish):
    assert normalise(greek, "el") == normalise(greeklish, "el")


def test_serbian_scripts_and_missing_diacritics_share_one_normal_form():
    assert normalise("Где је моја поруџбина", "sr") == normalise("gde je moja porudzbina", "sr")


def test_diacritics_are_folded():
    assert normalise("Gdzie jest moja paczka? Zwrot pieniędzy", "pl") == "gdzie jest moja paczka? zwrot pieniedzy"
    assert normalise("Søndag åbent", "da") == "sondag abent"


@pytest.mark.parametrize(
    "text, script",
    [("hello", "Latn"), ("Γεια σας", "Grek"), ("Здраво", "Cyrl"), ("你好", "Other"), ("🙂🙂", None), ("10482", None), ("", None)],
)
def test_script_of(text, script):
    assert script_of(text) == script
