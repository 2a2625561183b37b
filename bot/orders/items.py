"""Which items of an order a customer means: a button (an item id, or "all"), a position ("2"), or the item's name."""
from __future__ import annotations

import re
from typing import Optional

from bot.orders.model import OrderItem
from bot.text import fold_diacritics
from bot.transliterate import cyrillic_to_latin

ALL = "all"
# "all of them" / "both" in our languages, folded (no diacritics, Latin script).
_ALL_WORDS = {"all", "both", "everything", "wszystko", "wszystkie", "oba", "obie", "ola", "ολα", "kai ta dio",
              "sve", "svi", "obje", "alt", "alle", "begge", "begge to", "hele"}
_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold_diacritics(cyrillic_to_latin(text))))


def item_buttons(items: list[OrderItem]) -> list[dict[str, str]]:
    """One button per item that can still be chosen; payloads carry the item id as the `item` entity."""
    return [{"title": item.name[:20], "payload": f'/inform{{"item": "{item.id}"}}'}
            for item in items if not item.fully_returned]


def chosen_items(answer: str, items: list[OrderItem]) -> Optional[list[OrderItem]]:
    """The items the answer names, or None when it names none of them."""
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
    scored = [(len(said & _words(item.name)) / len(_words(item.name) or {""}), item) for item in items]
    best = max((score for score, _ in scored), default=0.0)
    if best < 0.5:
        return None
    return [item for score, item in scored if score == best]
