"""Finding an order number in what a customer wrote, in any of our languages, and normalising it.

An order number is 4-7 digits, optionally after a 1-3 letter prefix and a dash: `10482`, `#10482`, `A-2291`,
`a2291`. Normal form: prefix upper-cased and joined by a dash, no `#` (`A-2291`). Not taken:
- phone numbers and dates: digit groups joined by spaces, dots, dashes or slashes with 8+ digits in all
  (`+48 600 100 200`, `3312 3456`, `12.03.2025`), and numbers glued to other digits (`12.3.2025`, `10:30`);
- prices: followed by decimals (`1299,90`) or next to a currency (`1299 zł`, `€1299`);
- postcodes: followed by a capitalised word, the city (`10000 Zagreb`, `DK-2100 København`);
- years: 1950-2099 on their own ("since 2024");
- anything inside an e-mail address or a link.
A number right after `#` or an order word ("order no.", "zamówienie nr", "παραγγελία", "поруџбина бр.",
"ordre", "bestilling"...) is an order number even when it looks like a year or is followed by a capital.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.text import fold_diacritics
from bot.transliterate import cyrillic_to_latin

_ADDRESSES = re.compile(r"(?<!\S)\S+@\S+|https?://\S+|www\.\S+", re.IGNORECASE)
# (?<!...) lookbehinds: a match starts only where a token or digit run starts, so scanning stays linear.
_DIGIT_RUN = re.compile(r"\+?\(?(?<!\d)\d+(?:[ .\-/()]{1,2}\d+)+")
_PHONE_OR_DATE_DIGITS = 8

# Greek and Cyrillic capitals that look Latin, as phones type them in a prefix ("Α-2291" with a Greek alpha).
_LOOKALIKES = str.maketrans("ΑΒΕΗΙΚΜΝΟΡΤΥΧΖАВЕКМНОРСТХ", "ABEHIKMNOPTYXZABEKMHOPCTX")
_PREFIX_LETTER = "A-Za-zΑΒΕΗΙΚΜΝΟΡΤΥΧΖαβεηικμνορτυχζАВЕКМНОРСТХавекмнорстх"
_CANDIDATE = re.compile(
    r"(?<![\w#@+\-])(?<![0-9][.,/:])"  # starts a token: not inside a word, a date, a price or a time
    rf"(?P<hash>#\s?)?(?P<prefix>[{_PREFIX_LETTER}]{{1,3}}-?)?(?P<digits>[0-9]{{4,7}})"
    r"(?![0-9]|[.,/:][0-9]|[\w@])"
)
_CURRENCY_BEFORE = re.compile(r"[€£$]\s?$|\b(?:eur|gbp|pln|dkk|nok|rsd|usd|kr|zł|zl|kn|din)\.?\s?$", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(r"^\s?(?:[€£$]|(?:eur|euro|ευρώ|ευρω|gbp|pln|dkk|nok|rsd|usd|kr|kn|zł|zl|din|дин)\b)",
                             re.IGNORECASE)
_CAPITALISED_WORD_AFTER = re.compile(r"^\s+[^\W\d_]")

# Words before an order number (folded, Serbian Cyrillic transliterated): any word starting with these.
_ORDER_WORDS = ("order", "ordre", "bestilling", "zamowien", "zam", "porudzbin", "narudzb", "paraggel", "paragel",
                "παραγγελ")
# Words that may stand between the order word and the number ("order number is", "narudžba br.", "min ordre").
_FILLERS = frozenset("""
    nr no num number numer numerem broj br αριθμος αρ is er je jest ειναι μου mou my moje moja moj moju mojej
    min mitt mine te to the of za του tou nummer nummeret
""".split())
# Prefix-like abbreviations that are really the word "number" ("nr10482").
_NOT_PREFIXES = frozenset({"nr", "no", "br", "bp", "num", "zam", "ord", "ref", "αρ"})
# Words that announce a number on their own when right before it ("nr 10482", "ref: 10482").
_MARKERS = _NOT_PREFIXES | {"#", "broj", "numer", "number", "nummer", "αριθμος", "reference"}
_YEARS = range(1950, 2100)


def order_number_in(text: str) -> Optional[str]:
    """The order number in `text`, normalised (`"10482"`, `"A-2291"`), or None."""
    masked = _mask_phones_and_dates(_ADDRESSES.sub(lambda m: " " * len(m.group(0)), text))
    plain: Optional[str] = None
    for match in _CANDIDATE.finditer(masked):
        prefix = (match.group("prefix") or "").rstrip("-")
        abbreviation = fold_diacritics(prefix) in _NOT_PREFIXES  # "nr10482": "nr" announces the digits
        if abbreviation:
            prefix = ""
        if _priced(masked, match):
            continue
        marked = abbreviation or bool(match.group("hash")) or _announced(masked[: match.start()])
        if not marked and not _plausible(masked, match, bool(prefix)):
            continue
        number = _normalise(prefix, match.group("digits"))
        if marked:
            return number
        plain = plain or number
    return plain


def _mask_phones_and_dates(text: str) -> str:
    def mask(match: re.Match) -> str:
        digits = sum(ch.isdigit() for ch in match.group(0))
        return " " * len(match.group(0)) if digits >= _PHONE_OR_DATE_DIGITS else match.group(0)

    return _DIGIT_RUN.sub(mask, text)


def _announced(before: str) -> bool:
    """True when the words just before a number introduce it as an order number."""
    words = re.findall(r"[^\W_]+|#", fold_diacritics(cyrillic_to_latin(before[-60:])))[-4:]
    if words and words[-1] in _MARKERS:
        return True
    for position in range(len(words) - 1, -1, -1):
        if words[position].startswith(_ORDER_WORDS):
            return all(word in _FILLERS or word == "#" for word in words[position + 1:])
        if words[position] not in _FILLERS:
            return False
    return False


def _priced(text: str, match: re.Match) -> bool:
    """True for an amount of money: a currency right before or after the number."""
    return bool(_CURRENCY_BEFORE.search(text[: match.start()]) or _CURRENCY_AFTER.match(text[match.end():]))


def _plausible(text: str, match: re.Match, has_prefix: bool) -> bool:
    """Rules for a number nobody announced: not a postcode or a year."""
    after = text[match.end():]
    if _CAPITALISED_WORD_AFTER.match(after) and after.lstrip()[0].isupper():
        return False
    digits = match.group("digits")
    return has_prefix or not (len(digits) == 4 and int(digits) in _YEARS)


def _normalise(prefix: str, digits: str) -> str:
    return f"{prefix.upper().translate(_LOOKALIKES)}-{digits}" if prefix else digits
