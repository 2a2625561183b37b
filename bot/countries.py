"""Countries a customer names, in any supported language, script and grammatical case.

The names come from CLDR (Babel's territory names in each language) plus common aliases ("UK", "Holland",
"Engleska", "Αγγλία"); inflected forms ("do Holandii", "u Sloveniju", "στη Γερμανία", "gia kypro") are matched
by stem and the case endings of the language. Greek and Greeklish are compared in one romanised form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

from babel import Locale
from babel.lists import format_list

from bot import languages, places
from bot.text import canonical_greeklish, fold_diacritics, greek_to_latin, script_of
from bot.transliterate import cyrillic_to_latin

# CLDR locales whose territory names we read, per supported language (Serbian in Latin, Cyrillic derived).
NAME_LOCALES = {"en": "en", "el": "el", "pl": "pl", "sr": "sr_Latn", "hr": "hr", "nb": "nb", "da": "da"}
# Regions and uninhabited or tiny territories whose names are everyday words ("Christmas Island").
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "AC", "AQ", "BV", "CC", "CP", "CX", "DG", "EA",
                            "HM", "IC", "IO", "NF", "PN", "SJ", "TA", "TF", "GS", "UM"})

# Case endings a stem may take, folded (no diacritics): Polish, Serbian/Croatian, Greek (romanised), Scandinavian.
_ENDINGS = {
    "pl": ("", "a", "e", "i", "y", "u", "ii", "ji", "ie", "ze", "em", "ach", "ami", "iej", "ej", "ich", "ych", "o"),
    "sr": ("", "a", "e", "i", "u", "o", "om", "oj", "ama", "ima", "em", "ju", "ji", "je"),
    "el": ("", "s", "a", "as", "i", "is", "o", "os", "ou", "es", "on"),
    "nb": ("", "s", "es", "et", "ene"),
    "en": ("", "s", "'s"),
}
_ENDINGS["hr"] = _ENDINGS["sr"]
_ENDINGS["da"] = _ENDINGS["nb"]

# Forms a stem and endings cannot produce (plural names, vowel changes, fleeting vowels), and common aliases.
_EXTRA_FORMS: dict[str, dict[str, Iterable[str]]] = {
    "en": {"GB": ("uk", "u.k.", "england", "scotland", "wales", "northern ireland", "britain", "great britain"),
           "US": ("usa", "u.s.", "america", "the states"), "NL": ("holland", "the netherlands"),
           "CZ": ("czech republic",), "BA": ("bosnia",), "TR": ("turkiye",)},
    "pl": {"DE": ("niemiec", "niemczech", "niemcami", "niemcom"), "CZ": ("czech", "czechach", "czechami"),
           "HU": ("wegier", "wegrzech", "wegrami"), "IT": ("wloch", "wloszech", "wlochami"),
           "GB": ("anglia", "anglii", "anglie", "szkocja", "szkocji", "walia", "walii", "wielkiej brytanii",
                  "wielka brytanie", "brytanii", "uk"),
           "US": ("stanow zjednoczonych", "stanach zjednoczonych", "usa", "ameryka", "ameryki", "ameryce"),
           "PL": ("polsce", "polske"), "SK": ("slowacji",), "CY": ("cypru", "cyprze"),
           "NL": ("niderlandy", "niderlandow", "niderlandach"),
           "BA": ("bosnia", "bosni")},
    "sr": {"CY": ("kipra", "kipru", "kiprom"), "GB": ("engleska", "englesku", "engleskoj", "britanija", "britaniju",
                                                   "britaniji", "velika britanija", "veliku britaniju",
                                                   "velikoj britaniji"),
           "US": ("amerika", "ameriku", "americi", "sjedinjene americke drzave"), "IE": ("irsku", "irskoj", "irske"),
           "NL": ("nizozemska",), "CZ": ("ceska republika",), "ME": ("crna gora", "crnu goru", "crnoj gori"),
           "MK": ("makedonija", "makedoniju", "makedoniji")},
    "hr": {"CY": ("cipra", "cipru", "ciprom"),
           "GB": ("engleska", "englesku", "engleskoj", "britanija", "velika britanija", "veliku britaniju",
                  "velikoj britaniji"),
           "US": ("amerika", "ameriku", "americi"), "NL": ("holandija", "holandiju", "holandiji"),
           "IE": ("irsku", "irskoj", "irske"),
           "ME": ("crna gora", "crnu goru", "crnoj gori"), "MK": ("makedonija", "makedoniju", "makedoniji"),
           "CH": ("svicarska", "svicarsku", "svicarskoj")},
    "el": {"GB": ("αγγλια", "βρετανια", "μεγαλη βρετανια", "ηνωμενο βασιλειο", "uk"),
           "US": ("αμερικη", "ηπα", "ηνωμενες πολιτειες"), "NL": ("ολλανδια",)},
    "nb": {"GB": ("england", "skottland", "wales", "britannia", "uk"), "NL": ("holland",), "US": ("amerika", "usa"),
           "GR": ("hellas", "grekenland")},
    "da": {"GB": ("england", "skotland", "wales", "britannien", "uk"), "NL": ("holland",), "US": ("amerika", "usa")},
}

# Words that are a country's name and also an everyday word ("mali" is Serbian for small), and names of four
# letters or fewer: taken as the country only right after a preposition of direction.
_EVERYDAY_WORDS = frozenset({"jersey", "turkey", "guinea", "chile", "jordan", "georgia", "polski", "island",
                             "islands", "china"})
_ARTICLES = frozenset({"the"})
# The shortest stem that takes case endings (shorter names must be written as they are, or listed above).
_MIN_STEM = {"el": 4}
# Prepositions of direction before a country (folded; Greek romanised), per index.
_TOWARDS = {"latin": frozenset({"to", "into", "for", "in", "til", "i", "do", "na", "u", "za", "w", "we"}),
            "greek": frozenset({"sti", "stin", "sto", "ston", "gia", "pros", "se"})}
_WORD = re.compile(r"[\w'.]+")


@dataclass(frozen=True)
class Mention:
    code: str  # ISO 3166 alpha-2
    position: int  # word index in the message
    after_preposition: bool


def _romanised_greek(text: str) -> str:
    return canonical_greeklish(greek_to_latin(fold_diacritics(text)))


def _plain(text: str) -> str:
    return fold_diacritics(cyrillic_to_latin(text))


def _stem(word: str, language: str) -> str:
    if language == "el" and word.endswith("s"):
        word = word[:-1]
    return word.rstrip("aeiouy")


@lru_cache(maxsize=1)
def _index() -> dict[str, list[tuple[tuple[str, ...], str, str]]]:
    """Per index ("latin" or "greek"): (words of a name, language, code), longest names first."""
    index: dict[str, list[tuple[tuple[str, ...], str, str]]] = {"latin": [], "greek": []}
    for language, locale in NAME_LOCALES.items():
        normal = _romanised_greek if language == "el" else _plain
        target = index["greek" if language == "el" else "latin"]
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                target.append((tuple(_WORD.findall(normal(name.replace("-", " ").replace("&", " ")))), language, code))
        for code, forms in _EXTRA_FORMS.get(language, {}).items():
            target += [(tuple(_WORD.findall(normal(form))), language, code) for form in forms]
    for entries in index.values():
        entries.sort(key=lambda entry: -sum(map(len, entry[0])))
    return index


def _word_matches(word: str, name_word: str, language: str) -> bool:
    if word == name_word:
        return True
    stem = _stem(name_word, language)
    return len(stem) >= _MIN_STEM.get(language, 5) and word.startswith(stem) and word[len(stem):] in _ENDINGS[language]


def _after_preposition(words: list[str], start: int, towards: frozenset[str]) -> bool:
    before = start - 1 if start > 0 and words[start - 1] not in _ARTICLES else start - 2
    return before >= 0 and words[before] in towards


def mentions(text: str, language: Optional[str] = None) -> list[Mention]:
    """Every country the text names, in the order they appear; Greeklish is read only in a Greek conversation."""
    found: list[Mention] = []
    indexes = [("latin", _plain)]
    if language == "el" or script_of(text) == "Grek":
        indexes.append(("greek", _romanised_greek))
    for index_name, normal in indexes:
        words = _WORD.findall(normal(text))
        taken: set[int] = set()
        for name_words, language, code in _index()[index_name]:
            size = len(name_words)
            for start in range(len(words) - size + 1):
                span = set(range(start, start + size))
                if span & taken:
                    continue
                if all(_word_matches(words[start + k].strip("."), name_words[k], language) for k in range(size)):
                    after = _after_preposition(words, start, _TOWARDS[index_name])
                    doubtful = words[start] in _EVERYDAY_WORDS or len(name_words[0]) <= 4
                    if size == 1 and doubtful and not after:
                        continue
                    taken |= span
                    found.append(Mention(code, start, after))
    found.sort(key=lambda mention: mention.position)
    return found


def named_country(text: str, language: Optional[str] = None) -> Optional[str]:
    """The country a shipping question is about: the last one after "to"/"do"/"til"/"στη"..., else the last named,
    else the country of a town the parcel goes to ("do Zadra", "til Drammen": `bot.places`)."""
    found = mentions(text, language)
    towards = [mention for mention in found if mention.after_preposition]
    chosen = (towards or found)[-1:] if found else []
    return chosen[0].code if chosen else _town_country(text, language)


# Prepositions of direction before a town, per language (folded, Greek romanised as bot.places writes it).
_TOWARDS_TOWN = {"en": ("to", "into", "for", "in"), "pl": ("do", "w", "we", "na"), "sr": ("u", "za", "do", "na"),
                 "hr": ("u", "za", "do", "na"), "nb": ("til", "i"), "da": ("til", "i"),
                 "el": ("sti", "stin", "sto", "ston", "gia", "pros", "se")}


_ENGLISH_WORDS = frozenset({"split"})


def _town_country(text: str, language: Optional[str]) -> Optional[str]:
    """The country of a town named right after a preposition of direction ("can I split it?" names no town)."""
    words = _TOWARDS_TOWN.get(language or "") or sorted({word for group in _TOWARDS_TOWN.values() for word in group})
    folded = places.fold(text)
    for town, country in places.places_in(text):
        if town in _ENGLISH_WORDS and town.capitalize() not in text:
            continue  # "to split the parcel"; "to Split" is the town
        if re.search(rf"(?<!\w)(?:{'|'.join(words)})\s+{re.escape(town)}(?!\w)", folded):
            return country
    return None


def country_name(code: str, language: str) -> str:
    """The country's name in `language` (Serbian in Latin script; the NLG writes Cyrillic when needed)."""
    names = Locale.parse(NAME_LOCALES.get(language, "en")).territories
    return names.get(code, code)


def country_list(codes: Iterable[str], language: str) -> str:
    """"Austria, Belgium and Croatia": names sorted for the language, joined with its conjunction."""
    names = sorted((country_name(code, language) for code in codes), key=lambda name: _sort_key(name, language))
    return format_list(names, locale=babel_locale(language)) if names else ""


_NORDIC_LAST = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}", "ä": "z{", "ö": "z|"})


def _sort_key(name: str, language: str) -> str:
    """Alphabetical order as the language sorts (Danish and Norwegian put æ, ø, å after z)."""
    return fold_diacritics(name.lower().translate(_NORDIC_LAST) if language in ("nb", "da") else name)


def babel_locale(language: str) -> str:
    return languages.LANGUAGES.get(language, languages.LANGUAGES[languages.DEFAULT_LANGUAGE]).babel_locale


# Calling codes of the markets we serve and their neighbours (longest prefix wins); +1 is several countries.
_CALLING_CODES = {
    "30": "GR", "31": "NL", "32": "BE", "33": "FR", "34": "ES", "351": "PT", "352": "LU", "353": "IE", "354": "IS",
    "356": "MT", "357": "CY", "358": "FI", "359": "BG", "36": "HU", "370": "LT", "371": "LV", "372": "EE",
    "373": "MD", "380": "UA", "381": "RS", "382": "ME", "383": "XK", "385": "HR", "386": "SI", "387": "BA",
    "389": "MK", "39": "IT", "40": "RO", "41": "CH", "420": "CZ", "421": "SK", "423": "LI", "43": "AT", "44": "GB",
    "45": "DK", "46": "SE", "47": "NO", "48": "PL", "49": "DE", "298": "FO", "299": "GL", "355": "AL", "90": "TR",
    "7": "RU",
}


def country_from_phone(phone: Optional[str]) -> Optional[str]:
    """The country of an international number (`+35799123456` -> CY), None when unknown or shared (+1)."""
    if not phone or not phone.strip().startswith(("+", "00")):
        return None
    digits = "".join(ch for ch in phone if ch.isdigit())
    digits = digits[2:] if phone.strip().startswith("00") else digits
    for length in (3, 2, 1):
        if digits[:length] in _CALLING_CODES:
            return _CALLING_CODES[digits[:length]]
    return None


def country_from_locale(locale: Optional[str]) -> Optional[str]:
    """The territory of a locale (`el-CY` -> CY, `sr_Latn_RS` -> RS), None without one."""
    if not locale:
        return None
    parts = locale.replace("-", "_").split("_")
    territory = next((part for part in parts[1:] if len(part) == 2 and part.isalpha()), None)
    return territory.upper() if territory else None


def channel_country(metadata: Optional[dict]) -> Optional[str]:
    """The customer's market from the channel: the phone's country first (where they live), then the locale's."""
    metadata = metadata or {}
    phone, locale = metadata.get("phone"), metadata.get("locale")
    return country_from_phone(phone if isinstance(phone, str) else None) or country_from_locale(
        locale if isinstance(locale, str) else None)
