"""Which language a message's words are frequent in, ours or one we do not speak, from wordfreq's word lists.

A word list knows what a model trained on our own examples cannot: that "finns" and "tack" are Swedish (Norwegian
writes "finnes" and "takk"), "жду" Russian, "weer" and "voorraad" Dutch. Each word scores its Zipf
frequency (log10 of its count per billion words) in every language; a word a language's list lacks scores
ABSENT there. A message is foreign only when a language we do not support beats all of ours by MARGIN (a
thousand times likelier), so a message that a Croatian could have written exactly so ("Ne, hvala", "Imate li kod
za popust?") stays ours, whichever neighbour also writes it.

wordfreq (Robyn Speer, code Apache-2.0, data CC BY-SA 4.0) reads Serbian, Croatian and Bosnian as one
Serbo-Croatian list (`sh`), in Latin letters; Cyrillic words are looked up there transliterated.
"""
from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from typing import Container, Optional

from bot.text import fold_diacritics
from bot.transliterate import cyrillic_to_latin, latin_to_cyrillic

# Our languages as wordfreq names them (`sh` for Croatian and Serbian), and the unsupported ones it has lists for
# (Albanian it has not).
OURS = ("en", "el", "pl", "sh", "nb", "da")
FOREIGN = ("de", "sv", "sl", "cs", "sk", "ru", "uk", "bg", "mk", "fr", "es", "it", "nl", "tr", "hu", "ro")
LISTS = OURS + FOREIGN
_SH = LISTS.index("sh")
TOP_WORDS = 20000  # the most frequent words of each list (fewer cut our own lists and let rare words of ours
# look foreign: 10,000 named 3 in 2,400 Croatian and Serbian word pairs foreign); ~350,000 words, ~80 MB a process
ABSENT = 2.0  # a word missing from a list of words down to Zipf 3: rarer than that there, or not that language
OUR_WORD = 4.0  # a word of our own training examples counts as at least this frequent in our languages
MARGIN = 3.0  # total Zipf points a foreign language must lead ours by
MIN_FOREIGN_WORDS = 1  # words in the foreign language's list and in none of ours (our examples may have them)
_SWAP_C = str.maketrans("čć", "ćč")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@dataclass(frozen=True)
class FrequencyVerdict:
    language: str  # an unsupported language's code
    lead: float  # Zipf points ahead of the best of ours
    words: tuple[str, ...]  # its words none of our lists has


@functools.lru_cache(maxsize=1)
def frequency_table() -> dict[str, bytes]:
    """Each word of the lists: its Zipf frequency times ten in every list of LISTS (0 where missing). Read from
    the packed files directly: wordfreq's own readers keep every list in memory (~120 MB) for the process's life."""
    with warnings.catch_warnings():  # wordfreq 3.0 imports pkg_resources, which warns that it is deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        from wordfreq import available_languages, read_cBpack

    files = available_languages("small")
    table: dict[str, bytearray] = {}
    for index, name in enumerate(LISTS):
        taken = 0
        # Bucket i holds the words of frequency 10 ** (-i / 100), most frequent first: Zipf 9 - i / 100.
        for centibels, bucket in enumerate(read_cBpack(files[name])):
            for word in bucket:
                table.setdefault(word, bytearray(len(LISTS)))[index] = max(1, min(255, round(90 - centibels / 10)))
            taken += len(bucket)
            if taken >= TOP_WORDS:
                break
    return {word: bytes(row) for word, row in table.items()}


def _zipfs(word: str) -> list[float]:
    """`word`'s Zipf frequency in every list (ABSENT where missing); Cyrillic looked up in `sh` as Latin."""
    table = frequency_table()
    row = table.get(word)
    values = [value / 10 if value else ABSENT for value in row] if row else [ABSENT] * len(LISTS)
    # Cyrillic is listed in Latin; and Croatians often write č for ć and back ("pomoč"), which must not make a
    # Croatian message Slovenian (Slovenian has no ć).
    spellings = [cyrillic_to_latin(word)] if re.search(r"[\u0400-\u04FF]", word) else [word]
    spellings += [spelling.translate(_SWAP_C) for spelling in spellings if re.search("[čć]", spelling)]
    listed = [table[spelling][_SH] for spelling in spellings if spelling in table and table[spelling][_SH]]
    values[_SH] = max(listed) / 10 if listed else ABSENT
    return values


def foreign_by_frequency(text: str, ours: Container[str] = ()) -> Optional[FrequencyVerdict]:
    """The unsupported language `text`'s words are far more frequent in than in any of ours, or None."""
    words = [word.lower() for word in _WORD.findall(text)]
    if not words:
        return None
    ours_count = len(OURS)
    rows = []  # per word: its frequencies, our training examples' words at least OUR_WORD in our lists
    distinctive: dict[int, list[str]] = {}
    for word in words:
        zipfs = _zipfs(word)
        if max(zipfs[:ours_count]) <= ABSENT:  # in none of our lists: a word for each foreign list that has it
            for index in range(ours_count, len(LISTS)):
                if zipfs[index] > ABSENT:
                    distinctive.setdefault(index, []).append(word)
        if word in ours:
            zipfs[:ours_count] = [max(value, OUR_WORD) for value in zipfs[:ours_count]]
        rows.append(zipfs)
    totals = [sum(column) for column in zip(*rows)]
    index = max(range(ours_count, len(LISTS)), key=totals.__getitem__)
    lead = totals[index] - max(totals[:ours_count])
    found = distinctive.get(index, [])
    # Words of ours that language lacks: a mixed message ("add la mejor música para tus fiestas") stays ours.
    mixed = sum(zipfs[index] <= ABSENT and max(zipfs[:ours_count]) > ABSENT for zipfs in rows)
    if round(lead, 2) >= MARGIN and len(found) >= MIN_FOREIGN_WORDS and mixed < len(found):
        return FrequencyVerdict(LISTS[index], round(lead, 2), tuple(found))
    return None


def written_in(phrase: str, code: str, text: str = "") -> bool:
    """Whether `code`'s list has every word of `phrase`: a clue that tells Norwegian from Danish ("tusen", "frakt")
    or Serbian from Croatian ("može da") says nothing against Swedish or Macedonian if they write it too. Clues
    hold words folded to Latin without diacritics ("moze"); the words of `text` they were read from are looked up."""
    if code not in LISTS:
        return False
    index = LISTS.index(code)
    written = {fold_diacritics(cyrillic_to_latin(word.lower())): word.lower() for word in _WORD.findall(text)}
    words = [word.lower() for word in _WORD.findall(phrase)]
    return bool(words) and all(
        _zipfs(written.get(word, word))[index] > ABSENT or _zipfs(latin_to_cyrillic(word))[index] > ABSENT
        for word in words)
