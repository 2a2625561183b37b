"""The supported languages: the single source of truth for codes, names, scripts and hints."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    native_name: str
    scripts: tuple[str, ...]
    calling_codes: tuple[str, ...]
    locales: tuple[str, ...]
    country: str  # the main market, for prices and formats
    babel_locale: str  # for number and currency formats
    capitalises_weekdays: bool  # "Monday" mid-sentence (en, el) or "mandag" (nb, da, pl, sr, hr)


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("en", "English", "English", ("Latn",), ("44", "353", "1"), ("en_GB", "en_US", "en_IE"),
                 "GB", "en_GB", True),
        Language("el", "Greek", "Ελληνικά", ("Grek", "Latn"), ("30", "357"), ("el_GR", "el_CY"), "GR", "el_GR", True),
        Language("pl", "Polish", "Polski", ("Latn",), ("48",), ("pl_PL",), "PL", "pl_PL", False),
        Language("sr", "Serbian", "Srpski / Српски", ("Latn", "Cyrl"), ("381", "382"),
                 ("sr_RS", "sr_Latn_RS", "sr_Cyrl_RS"), "RS", "sr_Latn_RS", False),
        Language("hr", "Croatian", "Hrvatski", ("Latn",), ("385", "387"), ("hr_HR", "hr_BA"), "HR", "hr_HR", False),
        Language("nb", "Norwegian Bokmål", "Norsk bokmål", ("Latn",), ("47",), ("nb_NO", "no_NO", "nn_NO"),
                 "NO", "nb_NO", False),
        Language("da", "Danish", "Dansk", ("Latn",), ("45", "298", "299"), ("da_DK",), "DK", "da_DK", False),
    )
}
SUPPORTED: tuple[str, ...] = tuple(LANGUAGES)
DEFAULT_LANGUAGE = "en"


def is_supported(code: Optional[str]) -> bool:
    return code in LANGUAGES


def language_from_locale(locale: Optional[str]) -> Optional[str]:
    """Map a Messenger/browser locale such as `nb_NO`, `sr-Latn-RS` or `da` to a supported code."""
    if not locale:
        return None
    normalised = locale.replace("-", "_")
    for lang in LANGUAGES.values():
        if normalised in lang.locales:
            return lang.code
    prefix = normalised.split("_")[0].lower()
    # Norwegian in general and Nynorsk read Bokmål; Bosnian reads the Croatian answers, Montenegrin the Serbian ones
    # (README, "Bosnian and Montenegrin").
    return {"no": "nb", "nn": "nb", "bs": "hr", "cnr": "sr"}.get(prefix, prefix if prefix in LANGUAGES else None)


def language_from_phone(phone: Optional[str]) -> Optional[str]:
    """Map an international phone number (`+4791234567`, `004791234567`) to a language by calling code.

    Codes shared by several markets (+1, +44) map to English only when nothing more specific matches;
    the longest matching calling code wins.
    """
    if not phone:
        return None
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone.strip().startswith("00"):
        digits = digits[2:]
    elif not phone.strip().startswith("+"):
        return None
    best: tuple[int, Optional[str]] = (0, None)
    for lang in LANGUAGES.values():
        for code in lang.calling_codes:
            if digits.startswith(code) and len(code) > best[0]:
                best = (len(code), lang.code)
    return best[1]


def supported_language_names() -> str:
    """The supported languages in their own names, for telling a customer what we speak."""
    return ", ".join(lang.native_name for lang in LANGUAGES.values())


def hint_from_metadata(metadata: Optional[dict]) -> Optional[str]:
    """A language suggested by the channel: the locale first, then the phone number's calling code."""
    if not metadata:
        return None
    return language_from_locale(metadata.get("locale")) or language_from_phone(metadata.get("phone"))
