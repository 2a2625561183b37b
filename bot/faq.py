"""Template values for the FAQ answers (shipping, payment, returns), from the business profile."""
from __future__ import annotations

from typing import Optional

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency

from bot import countries, languages
from bot.hours import Reply
from bot.profile import BusinessProfile


def price_locale(language: str, channel_locale: Optional[str] = None) -> str:
    """The locale prices are written in: the channel's (`en_IE`, `el_CY`) when it is the reply language's, else the
    language's own."""
    own = languages.LANGUAGES.get(language, languages.LANGUAGES["en"]).babel_locale
    if channel_locale and languages.language_from_locale(channel_locale) == language:
        try:
            return str(Locale.parse(channel_locale.replace("-", "_")))
        except (ValueError, UnknownLocaleError):
            return own
    return own


def _money(amount: float, profile: BusinessProfile, locale: str) -> str:
    return format_currency(amount, profile.currency, locale=locale)


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def shipping_country(language: str, named: Optional[str] = None, remembered: Optional[str] = None,
                     channel: Optional[str] = None) -> str:
    """Whose prices apply: the country the customer names, else the one they named earlier, else the channel's
    market (phone, locale), else the language's main market."""
    return named or remembered or channel or languages.LANGUAGES.get(language, languages.LANGUAGES["en"]).country


def delivers_to(profile: BusinessProfile, country: str) -> bool:
    listed = profile.data["shipping"].get("countries")
    return listed is None or country in listed or country in _priced_countries(profile)


def _priced_countries(profile: BusinessProfile) -> set[str]:
    return {code for prices in profile.data["shipping"]["options"].values() for code in prices if code != "default"}


def shipping_answer(profile: BusinessProfile, language: str, country: str, locale: Optional[str] = None) -> Reply:
    """The delivery options and prices for `country`, or "we don't deliver there" with the countries we do."""
    if not delivers_to(profile, country):
        codes = profile.data["shipping"].get("countries") or sorted(_priced_countries(profile))
        return "utter_shipping_not_delivered", {"country": countries.country_name(country, language),
                                                "countries": countries.country_list(codes, language)}
    return "utter_shipping", shipping_values(profile, language, country, locale)


def shipping_values(profile: BusinessProfile, language: str, country: Optional[str] = None,
                    locale: Optional[str] = None) -> dict[str, str]:
    country = country or shipping_country(language)
    locale = locale or price_locale(language)
    shipping = profile.data["shipping"]
    names = profile.texts(language)["shipping"]
    lines = []
    for option, prices in shipping["options"].items():
        price = prices.get(country, prices["default"])
        lines.append(f"{names[option]}: {_money(price, profile, locale)}")
    return {"options": _bullets(lines), "free_over": _money(shipping["free_over"], profile, locale),
            "country": countries.country_name(country, language)}


def payment_values(profile: BusinessProfile, language: str) -> dict[str, str]:
    names = profile.texts(language)["payment"]
    return {"methods": _bullets([names[method] for method in profile.data["payment_methods"]])}


def return_values(profile: BusinessProfile, language: str) -> dict[str, str]:
    returns = profile.data["returns"]
    texts = profile.texts(language)["returns"]
    return {
        "return_window_days": str(returns["window_days"]),
        "refund_days": str(returns["refund_days"]),
        "return_cost": texts["return_cost"],
        "non_returnable": texts["non_returnable"],
    }
