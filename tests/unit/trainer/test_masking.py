"""Personal data is masked in review files."""
import pytest

from bot.trainer.masking import mask


@pytest.mark.parametrize("text, names, masked", [
    ("write to john.smith@example.com please", (), "write to <email> please"),
    ("call me on +44 7700 900123", (), "call me on <phone>"),
    ("mój numer to 601 234 567", (), "mój numer to <phone>"),
    ("where is 10482 and #A-2291", (), "where is <order_id> and <order_id>"),
    ("ordre GR-30511 er forsinket", (), "ordre <order_id> er forsinket"),
    ("Hi, I'm John Smith", (), "Hi, I'm <name>"),
    ("Dzień dobry, nazywam się Jan Kowalski", (), "Dzień dobry, nazywam się <name>"),
    ("με λένε Νίκο", (), "με λένε <name>"),
    ("cześć Ola, gdzie paczka?", (), "cześć <name>, gdzie paczka?"),
    ("tak, hilsen Mette Hansen", (), "tak, hilsen <name>"),
    ("anna here, anything new?", ("Anna Nowak",), "<name> here, anything new?"),
])
def test_personal_data_becomes_placeholders(text, names, masked):
    assert mask(text, names) == masked


@pytest.mark.parametrize("text", ["Hello, I need help", "I'm waiting for 2 weeks", "hej, jeg har et spørgsmål",
                                  "ile kosztuje dostawa do Polski"])
def test_ordinary_words_stay(text):
    assert mask(text) == text
