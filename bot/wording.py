"""Words that depend on a number, a list or a place, written by CLDR's rules for each language (via Babel)."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import get_global
from babel.dates import get_timezone_name
from babel.lists import format_list
from babel.units import format_unit

from bot import languages


def locale_of(language: str) -> str:
    return languages.LANGUAGES.get(language, languages.LANGUAGES[languages.DEFAULT_LANGUAGE]).babel_locale


def duration(amount: int, unit: str, language: str) -> str:
    """"1 minute", "2 minuty", "5 minut", "21 minut": `unit` is "minute", "hour" or "day"."""
    return format_unit(amount, f"duration-{unit}", length="long", locale=locale_of(language))


def joined(items: Iterable[str], language: str) -> str:
    """"A, B and C", "A, B i C", "A, B και C": the language's list pattern and conjunction."""
    items = [item for item in items if item]
    return format_list(items, locale=locale_of(language)) if items else ""


def zone_name(zone: str, language: str) -> str:
    """The time zone in words ("Central European Time", "czas środkowoeuropejski"), never its raw id."""
    name = get_timezone_name(ZoneInfo(zone), width="long", zone_variant="generic", locale=locale_of(language))
    capitalise = languages.LANGUAGES.get(language, languages.LANGUAGES["en"]).capitalises_weekdays
    return name if capitalise else name[:1].lower() + name[1:]


def zone_of_country(country: Optional[str]) -> Optional[str]:
    """The time zone of a country with one UTC offset (GR, CY, PL...); None for several (US) or unknown."""
    zones = get_global("territory_zones").get(country or "", [])
    if not zones or not _same_rules(zones):
        return None
    # A zone CLDR names in words first (Cyprus: Asia/Nicosia, "Eastern European Time", not Asia/Famagusta).
    named = [zone for zone in zones if zone in get_global("meta_zones")]
    return (named or zones)[0]


def _same_rules(zones: list[str]) -> bool:
    """Whether the zones have the same offset in winter and in summer."""
    winter = {ZoneInfo(zone).utcoffset(datetime(2026, 1, 15)) for zone in zones}
    summer = {ZoneInfo(zone).utcoffset(datetime(2026, 7, 15)) for zone in zones}
    return len(winter) == 1 and len(summer) == 1


def valid_zone(zone: Optional[str]) -> Optional[str]:
    """An IANA zone id the browser reported, when it is one."""
    if not zone or not isinstance(zone, str) or len(zone) > 64:
        return None
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return zone


def customer_zone(metadata: Optional[dict], country: Optional[str], language: str) -> Optional[str]:
    """The customer's time zone: the browser's, else their country's, else the one zone all of the language's
    markets share (Greek: Greece and Cyprus); None when unknown."""
    metadata = metadata or {}
    zone = valid_zone(metadata.get("timezone"))
    if zone:
        return zone
    if country:
        return zone_of_country(country)
    lang = languages.LANGUAGES.get(language)
    if lang is None:
        return None
    markets = [lang.country, *sorted({locale.split("_")[-1] for locale in lang.locales} - {lang.country})]
    zones = [zone_of_country(market) for market in markets]
    if None in zones or not _same_rules([zone for zone in zones if zone]):
        return None
    return zones[0]
