"""Addressing a customer by name: Greek greets a man in the vocative ("Γεια σας, Γιώργο!", not "Γιώργος")."""
from __future__ import annotations

import re

_VOWEL_GROUPS = re.compile(r"[αάεέηήιίϊΐοόυύϋΰωώaeiouy]+", re.IGNORECASE)


def _syllables(word: str) -> int:
    return len(_VOWEL_GROUPS.findall(word))


def greek_vocative(name: str) -> str:
    """Γιώργος → Γιώργο, Αλέξανδρος → Αλέξανδρε, Κώστας → Κώστα, Γιάννης → Γιάννη (also in Latin letters)."""
    lower = name.lower()
    if lower.endswith(("ος", "os")):
        return name[:-1] if _syllables(name) <= 2 else name[:-2] + ("ε" if lower.endswith("ος") else "e")
    if lower.endswith(("ας", "άς", "ης", "ής", "as", "is")) and len(name) > 3:
        return name[:-1]
    return name


def addressed(first_name: str, language: str) -> str:
    """The form of the name to use when speaking to the customer."""
    return greek_vocative(first_name) if language == "el" else first_name
