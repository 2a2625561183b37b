"""Carrier names and tracking links for the WooCommerce shipment-tracking plugins.

Both Advanced Shipment Tracking (AST) and WooCommerce Shipment Tracking (WST) keep shipments in the order meta
`_wc_shipment_tracking_items`: `tracking_provider` is a provider slug ("usps", "dhl-express", "royal-mail") unless
the shop typed its own (`custom_tracking_provider` with `custom_tracking_link`). The slug becomes the carrier's name
and link through the provider table both plugins ship (bot/orders/tracking_providers.json, taken from AST's own
list; WST's slugs are its provider names slugged the same way, so the standard ones are the same). URL patterns:
AST's `%number%`, `%postal_code%`, `%country_code%` and WST's `%1$s` (number), `%2$s` (postcode), `%3$s` (country).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional
from urllib.parse import quote

TABLE = Path(__file__).with_name("tracking_providers.json")


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    url: str  # pattern with placeholders


@lru_cache(maxsize=1)
def providers() -> dict[str, Provider]:
    data = json.loads(TABLE.read_text(encoding="utf-8"))["providers"]
    return {slug: Provider(slug, entry["name"], entry["url"]) for slug, entry in data.items()}


def provider(slug: str) -> Optional[Provider]:
    """The standard provider a slug (or a provider's name, as older WST versions stored it) stands for."""
    key = slug.strip().lower()
    by_slug = providers()
    if key in by_slug:
        return by_slug[key]
    slugged = "-".join("".join(ch if ch.isalnum() else " " for ch in key).split())
    return by_slug.get(slugged) or next((p for p in by_slug.values() if p.name.lower() == key), None)


def link(pattern: str, number: str, postcode: str = "", country: str = "") -> str:
    """A tracking link from a plugin's URL pattern; "" when the pattern is empty."""
    if not pattern:
        return ""
    values = {"%number%": quote(number, safe=""), "%1$s": quote(number, safe=""),
              "%postal_code%": quote(postcode.replace(" ", ""), safe=""), "%2$s": quote(postcode, safe=""),
              "%country_code%": quote(country, safe=""), "%3$s": quote(country, safe="")}
    for placeholder, value in values.items():
        pattern = pattern.replace(placeholder, value)
    return pattern
