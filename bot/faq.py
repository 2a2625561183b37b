"""Template values for the FAQ answers (shipping, payment, returns), from the business profile."""
from __future__ import annotations

from typing import Optional

from babel.numbers import format_currency

from bot import languages
from bot.profile import BusinessProfile


def _money(amount: float, profile: BusinessProfile, language: str) -> str:
    locale = languages.LANGUAGES.get(language, languages.LANGUAGES["en"]).babel_locale
    return format_currency(amount, profile.currency, locale=locale)


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def country_for(language: str, phone_country: Optional[str] = None) -> str:
    """The market whose prices apply: the customer's phone country when known, else the language's main market."""
    if phone_country:
        return phone_country
    return languages.LANGUAGES.get(language, languages.LANGUAGES["en"]).country


def shipping_values(profile: BusinessProfile, language: str, country: Optional[str] = None) -> dict[str, str]:
    country = country or country_for(language)
    shipping = profile.data["shipping"]
    names = profile.texts(language)["shipping"]
    lines = []
    for option, prices in shipping["options"].items():
        price = prices.get(country, prices["default"])
        lines.append(f"{names[option]}: {_money(price, profile, language)}")
    return {"options": _bullets(lines), "free_over": _money(shipping["free_over"], profile, language)}


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
