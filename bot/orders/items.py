"""Which items of an order a customer means: a button (an item id, or "all"), a position ("2"), or the item's name
in any language; and what items and products are called in the customer's language."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Optional, Union

from bot import languages
from bot.orders.model import OrderItem, Product
from bot.text import fold_diacritics, script_of
from bot.transliterate import cyrillic_to_latin

ALL = "all"
# "all of them" / "both" in our languages, folded (no diacritics, Latin script).
_ALL_WORDS = {"all", "both", "everything", "wszystko", "wszystkie", "oba", "obie", "ola", "ολα", "kai ta dio",
              "sve", "svi", "obje", "alt", "alle", "begge", "begge to", "hele"}
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold_diacritics(cyrillic_to_latin(text))))


@dataclass(frozen=True)
class Names:
    """Product names in one customer's language and script, from the catalogue's localised names; the shop's own
    name (which is in `languages.DEFAULT_LANGUAGE`) where the catalogue has no translation."""

    language: str
    script: str = "Latn"  # "Cyrl" for Serbian customers who write Cyrillic
    by_sku: dict[str, Product] = field(default_factory=dict)

    @classmethod
    def of(cls, catalogue: Iterable[Product], language: str, script: str = "Latn") -> "Names":
        return cls(language, script, {product.sku: product for product in catalogue})

    def __call__(self, thing: Union[OrderItem, Product]) -> str:
        product = self.by_sku.get(thing.sku) if thing.sku else None
        if product is None or self.language == languages.DEFAULT_LANGUAGE:
            return thing.name
        wanted = self.script if self.language == "sr" else None
        local = [name for name in product.names.get(self.language, ()) if wanted is None or script_of(name) == wanted]
        return _capitalised(local[0]) if local else thing.name

    def all_names(self, item: OrderItem) -> list[str]:
        """Every name a customer may call the item by: the shop's and the catalogue's, in every language."""
        product = self.by_sku.get(item.sku) if item.sku else None
        names = [name for group in (product.names.values() if product else ()) for name in group]
        return [item.name, *names]


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def item_buttons(items: list[OrderItem], names: Optional[Names] = None) -> list[dict[str, str]]:
    """One button per item that can still be chosen, named in the customer's language; payloads carry the item id
    as the `item` entity."""
    name_of = names or (lambda item: item.name)
    return [{"title": name_of(item)[:20], "payload": f'/inform{{"item": "{item.id}"}}'}
            for item in items if not item.fully_returned]


def chosen_items(answer: str, items: list[OrderItem], names: Optional[Names] = None) -> Optional[list[OrderItem]]:
    """The items the answer names (by the shop's name or any localised one), or None when it names none of them."""
    answer = answer.strip()
    if not answer:
        return None
    by_id = [item for item in items if item.id == answer]
    if by_id:
        return by_id
    folded = fold_diacritics(cyrillic_to_latin(answer)).strip(" .!")
    if answer == ALL or folded in _ALL_WORDS:
        return list(items)
    if folded.isdigit() and 1 <= int(folded) <= len(items):
        return [items[int(folded) - 1]]
    said = _words(answer)
    scored = [(max(_overlap(said, name) for name in (names.all_names(item) if names else [item.name])), item)
              for item in items]
    best = max((score for score, _ in scored), default=0.0)
    if best < 0.5:
        return None
    return [item for score, item in scored if score == best]


def _overlap(said: set[str], name: str) -> float:
    """The share of the name's words the answer contains."""
    words = _words(name)
    return len(said & words) / len(words or {""})


# Small numbers as customers write them, folded (no diacritics, Latin script, Greek romanised by bot.text rules).
_NUMBER_WORDS = {
    1: {"one", "a single", "ena", "enas", "mia", "jeden", "jedna", "jedno", "jedan", "en", "ett", "et", "ei"},
    2: {"two", "dio", "dyo", "dva", "dvije", "dve", "dwa", "dwie", "to"},
    3: {"three", "tria", "tris", "trzy", "tri", "tre"},
}


def quantity_in(answer: str, available: int) -> Optional[int]:
    """How many units an answer names ("2", "dwa", "δύο", "both", "all of them" = `available`), None when none."""
    folded = fold_diacritics(cyrillic_to_latin(answer)).strip(" .!")
    digits = re.findall(r"\d+", folded)
    if digits:
        return int(digits[0])
    if folded in _ALL_WORDS or any(word in _ALL_WORDS for word in _words(answer)):
        return available
    greek = folded.translate(_GREEK_NUMBER_LETTERS)
    for number, words in _NUMBER_WORDS.items():
        if folded in words or greek in words or _words(answer) & words:
            return number
    return None


_GREEK_NUMBER_LETTERS = str.maketrans({"ε": "e", "ν": "n", "α": "a", "μ": "m", "ι": "i", "δ": "d", "υ": "i",
                                       "ο": "o", "τ": "t", "ρ": "r", "σ": "s", "ς": "s"})
