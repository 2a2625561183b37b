"""Greeting customers by name in their language."""
from bot.names import addressed


def test_greek_men_are_greeted_in_the_vocative_in_both_scripts():
    assert [addressed(name, "el") for name in ("Γιώργος", "Αλέξανδρος", "Κώστας", "Γιάννης", "Giorgos", "Nikos")] == \
        ["Γιώργο", "Αλέξανδρε", "Κώστα", "Γιάννη", "Giorgo", "Niko"]


def test_greek_women_and_other_languages_keep_the_name():
    assert addressed("Μαρία", "el") == "Μαρία" and addressed("Ελένη", "el") == "Ελένη"
    assert addressed("Marcos", "en") == "Marcos" and addressed("Tomas", "da") == "Tomas"
