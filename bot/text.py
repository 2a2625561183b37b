"""Script detection and the normalised form that NLU features are computed on."""
from __future__ import annotations

import re
import unicodedata

from bot.transliterate import cyrillic_to_latin

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_FOLD_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "đ": "dj", "ß": "ss", "ı": "i"})

# Greek letters to the Latin spelling Greeklish writers use most; digraphs first.
_GREEK_DIGRAPHS = [("ου", "ou"), ("ει", "i"), ("οι", "i"), ("αι", "e"), ("υι", "i"), ("μπ", "v"), ("ντ", "d"), ("γκ", "g")]
_GREEK_LETTERS = str.maketrans(
    {
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
        "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "ks", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
        "ς": "s", "τ": "t", "υ": "i", "φ": "f", "χ": "x", "ψ": "ps", "ω": "o",
    }
)
# Greeklish spelling variants folded onto the same canonical form (applied to Latin-script Greek).
_GREEKLISH_RULES = [
    (re.compile(r"8"), "th"),
    (re.compile(r"(?<=[a-z])3|^3(?=[a-z])"), "ks"),
    (re.compile(r"oy"), "ou"),
    (re.compile(r"ch|kh"), "x"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"mp"), "b"),
    (re.compile(r"nt"), "d"),
    (re.compile(r"ei|oi|y|(?<![tpkcx])h"), "i"),
    (re.compile(r"ai"), "e"),
    (re.compile(r"w"), "o"),
    (re.compile(r"b"), "v"),
    (re.compile(r"(?<!o)u"), "ou"),
]


def script_of(text: str) -> str | None:
    """The dominant script of the letters in `text`: `Latn`, `Grek`, `Cyrl`, `Other`, or None when it has no letters."""
    counts: dict[str, int] = {}
    for ch in _LETTER.findall(text):
        name = unicodedata.name(ch, "")
        script = "Latn" if name.startswith("LATIN") else "Grek" if name.startswith("GREEK") else (
            "Cyrl" if name.startswith("CYRILLIC") else "Other"
        )
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts, key=counts.__getitem__)


def letter_count(text: str) -> int:
    return len(_LETTER.findall(text))


def fold_diacritics(text: str) -> str:
    """Lower-case and strip accents (`Paczkę` -> `paczke`, `søndag` -> `sondag`, `ΠΟΎ` -> `που`)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.translate(_FOLD_EXTRA)


def greek_to_latin(text: str) -> str:
    """Romanise (already folded) Greek the way Greeklish is typed, so both spellings share features."""
    for greek, latin in _GREEK_DIGRAPHS:
        text = text.replace(greek, latin)
    return text.translate(_GREEK_LETTERS)


def canonical_greeklish(text: str) -> str:
    for pattern, replacement in _GREEKLISH_RULES:
        text = pattern.sub(replacement, text)
    return text


# Romanised Greek is written in fullwidth Latin letters so that it never shares a feature with a Latin-script
# language: "ναι" (yes) romanises to "ne", which is Serbian and Croatian for "no".
_FULLWIDTH = {code: code + 0xFEE0 for code in range(ord("a"), ord("z") + 1)}


def normalise(text: str, language: str | None) -> str:
    """The form intent features are computed on: folded, one script per language, Greeklish aligned with Greek."""
    if language == "sr":
        text = cyrillic_to_latin(text)
    folded = fold_diacritics(text)
    if language == "el":
        return canonical_greeklish(greek_to_latin(folded)).translate(_FULLWIDTH)
    return folded
