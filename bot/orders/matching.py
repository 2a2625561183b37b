"""Which catalogue product does the customer mean? Fuzzy matching of free text against product names.

Text and names share one normal form (`bot.text` / `bot.transliterate`: lower case, no diacritics, Serbian
Cyrillic as Latin, Greek and Greeklish spelt alike); filler words of all seven languages ("when", "kiedy",
"πότε", "når", "back in stock"...) are dropped. Words match when equal, when they differ only in an ending
(`regnjakken` ~ `regnjakke`, `kurtki` ~ `kurtka`) or by a small typo (difflib ratio >= 0.8). A name scores the
mean of how much of the name the words cover and how much of the question the name covers; the best
product wins if it scores `THRESHOLD` or more and clearly beats the runner-up, otherwise there is no answer.
"""
from __future__ import annotations

import os
import re
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Optional, Sequence

from bot.orders.model import Product
from bot.text import canonical_greeklish, fold_diacritics, greek_to_latin
from bot.transliterate import cyrillic_to_latin

THRESHOLD = 0.65
MARGIN = 0.1  # the best must beat a different product by this much, or the question is ambiguous
WORD_MATCH = 0.8
OTHER_LANGUAGE = 0.95  # names in another language than the customer's count slightly less
_WORD = re.compile(r"[^\W\d_]+")

_FILLERS = """
    when will the a an be back in stock again available availability do does you have is are it get more any
    there coming come comes can i buy want need looking for my your of please hi hello still out sold size
    colour color restock restocked
    kiedy będzie bedzie będą czy jest są znowu ponownie dostępna dostępny dostępne dostępność na stanie w
    sprzedaży macie mam chcę chciałbym chciałabym kupić się pojawi pojawią wróci wrócą u was jeszcze może proszę
    dzień dobry cześć rozmiar kolor ta ten to te i o z do
    πότε θα έχετε ξανά το τα η ο οι την τον της του είναι διαθέσιμο διαθέσιμα διαθέσιμη απόθεμα σε στο στα
    έρχεται έρθει θέλω να αγοράσω υπάρχει και μου γεια παρακαλώ πάλι ακόμα μέγεθος χρώμα
    kada kad će biti bit opet ponovo ponovno dostupan dostupna dostupno dostupni stanju zalihi li ima imate je
    su da se vraća vratiti stiže stići želim kupiti molim zdravo bok pozdrav veličina boja za mi
    når kommer tilbake igjen på lager lageret har dere er det den blir tilgjengelig inne vil jeg kjøpe hei takk
    en et ei og til størrelse farge skal få inn
    hvornår tilbage igen bliver tilgængelig købe hej tak farve ind
"""


def best_product(query: str, products: Sequence[Product], language: Optional[str] = None) -> Optional[Product]:
    """The product `query` names, or None when nothing matches convincingly or two products tie."""
    words = _words(query)
    if not words:
        return None
    scored = sorted(((_product_score(words, product, language), index) for index, product in enumerate(products)),
                    reverse=True)
    if not scored or scored[0][0] < THRESHOLD:
        return None
    best_score, best_index = scored[0]
    if len(scored) > 1 and best_score - scored[1][0] < MARGIN:
        return None
    return products[best_index]


def _product_score(words: list[str], product: Product, language: Optional[str]) -> float:
    scores = [_name_score(words, _words(product.name))]
    for lang, names in product.names.items():
        factor = 1.0 if language in (None, lang) else OTHER_LANGUAGE
        scores += [factor * _name_score(words, _words(name)) for name in names]
    return max(scores)


def _name_score(words: list[str], name: list[str]) -> float:
    if not name:
        return 0.0
    covered_name = _coverage(name, words)
    covered_query = _coverage(words, name)
    return max((covered_name + covered_query) / 2, _compound_score(words, name))


def _coverage(these: list[str], by: list[str]) -> float:
    """How much of `these` (weighted by word length) the words `by` match."""
    matched = 0.0
    for word in these:
        similarity = max(_similarity(word, other) for other in by)
        if similarity >= WORD_MATCH:
            matched += len(word) * similarity
    return matched / sum(len(word) for word in these)


def _compound_score(words: list[str], name: list[str]) -> float:
    """Compounds written apart or together: "regn jakke" ~ "regnjakke", "tshirt" ~ "t-shirt"."""
    joined_name = "".join(name)
    best = 0.0
    for start in range(len(words)):
        for end in range(start + 1, min(start + 3, len(words)) + 1):
            if end - start > 1 or len(name) > 1:
                similarity = SequenceMatcher(None, "".join(words[start:end]), joined_name).ratio()
                best = max(best, similarity if similarity >= 0.85 else 0.0)
    return best


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 4:
        return 0.0
    common = len(os.path.commonprefix([a, b]))
    if common >= 4 and max(len(a), len(b)) - common <= 2:
        return 0.9  # the same word with another ending
    return SequenceMatcher(None, a, b).ratio()


def _words(text: str) -> list[str]:
    return [word for word in _WORD.findall(_normal(text)) if word not in _filler_words()]


def words_of(text: str) -> list[str]:
    """The words of `text` in the matching's normal form, without filler words."""
    return _words(text)


def word_matches(word: str, words: Sequence[str]) -> bool:
    """Whether `word` is among `words` (another ending or a small typo allowed for longer words)."""
    return any(_similarity(word, other) >= WORD_MATCH for other in words)


def _normal(text: str) -> str:
    return canonical_greeklish(greek_to_latin(fold_diacritics(cyrillic_to_latin(text))))


@lru_cache(maxsize=1)
def _filler_words() -> frozenset[str]:
    return frozenset(_normal(word) for word in _FILLERS.split())
