"""Serbian Latin <-> Cyrillic transliteration, so trainers write Serbian once (in Latin)."""
from __future__ import annotations

import re
from typing import Iterable

_LATIN_DIGRAPHS = {"dž": "џ", "lj": "љ", "nj": "њ"}
_LATIN_LETTERS = dict(zip("abvgdđežzijklmnoprstćufhcčš", "абвгдђежзијклмнопрстћуфхцчш"))
_CYRILLIC_TO_LATIN = {cyr: lat for lat, cyr in {**_LATIN_LETTERS, **_LATIN_DIGRAPHS}.items()}

# Written in Latin letters whatever script the text is in: links, e-mail addresses, order, ticket and return
# numbers (A-2291, T-12, R-10482-1). Linear on any text: an address starts only where a token starts.
LATIN_ANYWAY = r"https?://\S+|www\.\S+|(?<!\S)\S+@\S+|\b[A-Za-z]{1,3}-\d[\d-]*\b"
# Words kept in Latin inside Cyrillic text: those, placeholders, codes with digits,
# foreign brand names (letters Serbian does not have, or inner capitals such as PayPal), acronyms.
_KEEP_LATIN = re.compile(
    LATIN_ANYWAY + r"|\{[^}]*\}"
    r"|\b\w*[qwxyQWXY]\w*\b|\b(?=[A-Za-z]+[A-Z])[A-Za-z]+\b|\b[A-Z]{2,}\b|\b\w*\d\w*\b"
)

_WORD = re.compile(r"\w+")


def _word_to_cyrillic(word: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(word):
        pair = word[i : i + 2]
        lower_pair = pair.lower()
        if lower_pair in _LATIN_DIGRAPHS:
            cyr = _LATIN_DIGRAPHS[lower_pair]
            out.append(cyr.upper() if pair[0].isupper() else cyr)
            i += 2
            continue
        ch = word[i]
        cyr = _LATIN_LETTERS.get(ch.lower())
        out.append(ch if cyr is None else (cyr.upper() if ch.isupper() else cyr))
        i += 1
    return "".join(out)


def latin_to_cyrillic(text: str, keep: Iterable[str] = ()) -> str:
    """Transliterate Serbian Latin text to Cyrillic, leaving URLs, placeholders and foreign names alone.

    `keep` names further words to leave in Latin (brand names such as Visa or the shop's name).
    """
    keep_words = {word.lower() for name in keep for word in name.split()}
    pieces: list[str] = []
    last = 0
    for match in _KEEP_LATIN.finditer(text):
        pieces.append(_transliterate_words(text[last : match.start()], keep_words))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_transliterate_words(text[last:], keep_words))
    return "".join(pieces)


def _transliterate_words(text: str, keep_words: set[str]) -> str:
    return _WORD.sub(
        lambda m: m.group(0) if m.group(0).lower() in keep_words else _word_to_cyrillic(m.group(0)), text
    )


def cyrillic_to_latin(text: str) -> str:
    """Transliterate Serbian Cyrillic text to Latin (with diacritics)."""
    out: list[str] = []
    for ch in text:
        lat = _CYRILLIC_TO_LATIN.get(ch.lower())
        if lat is None:
            out.append(ch)
        elif ch.isupper():
            out.append(lat[0].upper() + lat[1:])
        else:
            out.append(lat)
    return "".join(out)
