"""The NLU graph components on their own: built with create(...), run with process([...])."""
from __future__ import annotations

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.tokenizer import MultilingualTokenizer


def tokenizer(**config) -> MultilingualTokenizer:
    return MultilingualTokenizer.create(
        {**MultilingualTokenizer.get_default_config(), **config}, None, None, None  # type: ignore[arg-type]
    )


def message(text: str, language: str) -> Message:
    return Message(data={"text": text, "language": {"code": language, "confidence": 1.0}})


def test_tokens_keep_the_customers_text_and_positions():
    tokens = tokenizer(lookup_lemmas=False).tokenize(message("Gdzie jest paczka?", "pl"), "text")
    assert [(t.text, t.start) for t in tokens] == [("Gdzie", 0), ("jest", 6), ("paczka", 11), ("?", 17)]


def test_lemmas_are_normalised_across_scripts():
    tokens = tokenizer(lookup_lemmas=False)
    cyrillic = [t.lemma for t in tokens.tokenize(message("Где је поруџбина", "sr"), "text")]
    latin = [t.lemma for t in tokens.tokenize(message("gde je porudzbina", "sr"), "text")]
    assert cyrillic == latin == ["gde", "je", "porudzbina"]
    greek = [t.lemma for t in tokens.tokenize(message("θέλω επιστροφή", "el"), "text")]
    greeklish = [t.lemma for t in tokens.tokenize(message("8elw epistrofh", "el"), "text")]
    assert greek == greeklish


def test_lookup_lemmas_where_spacy_lookups_data_has_them():
    tokens = tokenizer(lookup_lemmas=True).tokenize(message("narudžbe paketa", "hr"), "text")
    assert [t.lemma for t in tokens] == ["narudzba", "paket"]  # looked up, then folded
    serbian = tokenizer(lookup_lemmas=True).tokenize(message("пакета", "sr"), "text")
    assert [t.lemma for t in serbian] == ["paket"]  # Serbian table is Cyrillic; the lemma is normalised to Latin


def test_empty_and_emoji_messages_tokenise_without_error():
    assert tokenizer(lookup_lemmas=False).tokenize(message("", "en"), "text") == []
    assert len(tokenizer(lookup_lemmas=False).tokenize(message("🙂 🙂", "en"), "text")) == 2
