"""The Shopify bodies of Shopify's own API client tests (tests/fixtures/real/shopify, see its README), as the fake
serves them: orders and products exactly as published, de-duplicated by id."""
from __future__ import annotations

import copy
import json
from pathlib import Path

REAL = Path(__file__).resolve().parents[1] / "fixtures/real/shopify"
# Orders the fake serves under their own names: #1002 fulfilled without fulfillment records (Shopify's example of
# an order created through the API) and the refunded #1001 are renamed so that each name is one order.
ORDERS = {"test_21": "#1002", "test_22": "#1003", "test_14": "#1004", "test_1": "#1001"}


def responses(kind: str) -> dict:
    return json.loads((REAL / f"api_js_2024-04_{kind}_responses.json").read_text())


def orders() -> list[dict]:
    """Published orders, each under its own name (`ORDERS`): only the `name` field differs from the fixture."""
    published = responses("order")
    found = []
    for test, name in ORDERS.items():
        order = copy.deepcopy(published[test]["order"] if "order" in published[test] else published[test]["orders"][0])
        order["name"] = name
        found.append(order)
    return found


def products() -> list[dict]:
    """The multi-variant IPod Nano and the single-variant IPod Touch, as published."""
    listed = responses("product")["test_1"]["products"]
    return copy.deepcopy(listed)
