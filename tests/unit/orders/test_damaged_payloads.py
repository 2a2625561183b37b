"""Published order bodies with one field missing or of another type, as a shop's plugin or an API change may send
them: the adapter reads the order or reports a bad answer (which the customer hears as the polite "order system"
reply with a person offered); it never fails with any other error."""
from __future__ import annotations

import copy
from typing import Any, Callable, Iterator

from bot.orders.model import Order, Product
from bot.orders.shopify import ShopifyOrderSystem, _variant
from bot.orders.system import OrderSystemBadResponse
from bot.orders.woocommerce import WooCommerceOrderSystem
from tests.fakes import shopify_real, woocommerce_real

WRONG_VALUES = (None, 7, "x", [], {}, True)
DELETE = object()


def paths(value: Any, prefix: tuple = (), depth: int = 3) -> Iterator[tuple]:
    """Every key (and the first element of every list) down to `depth` levels."""
    if depth == 0:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            yield prefix + (key,)
            yield from paths(inner, prefix + (key,), depth - 1)
    elif isinstance(value, list) and value:
        yield prefix + (0,)
        yield from paths(value[0], prefix + (0,), depth - 1)


def damaged(body: dict, below: int = 0) -> Iterator[tuple[str, dict]]:
    """`body` with one field damaged at a time (only fields deeper than `below` levels)."""
    for path in (p for p in paths(body, depth=3 + below) if len(p) > below):
        for wrong in (DELETE, *WRONG_VALUES):
            copied = copy.deepcopy(body)
            parent = copied
            for step in path[:-1]:
                parent = parent[step]
            if wrong is DELETE:
                del parent[path[-1]]
            else:
                parent[path[-1]] = wrong
            yield f"{'.'.join(map(str, path))}={'<missing>' if wrong is DELETE else repr(wrong)}", copied


def read_or_refuse(read: Callable[[dict], Any], bodies: list[dict], below: int = 0) -> tuple[int, int]:
    """How many damaged bodies were read and how many refused as a bad answer; anything else fails the test."""
    read_count = refused = 0
    crashed = []
    for body in bodies:
        for what, copied in damaged(body, below):
            try:
                assert isinstance(read(copied), (Order, Product)), what
                read_count += 1
            except OrderSystemBadResponse:
                refused += 1
            except Exception as error:  # noqa: BLE001 - the point of the test
                crashed.append(f"{what}: {type(error).__name__}: {error}")
    assert not crashed, "\n".join(crashed)
    return read_count, refused


def test_shopify_orders_with_a_damaged_field_are_read_or_refused_as_a_bad_answer():
    system = ShopifyOrderSystem("http://127.0.0.1:9", "shpat_test")
    read, refused = read_or_refuse(system._order, shopify_real.orders())
    assert read > 0 and refused > 0  # both outcomes happen: the damage reached fields the adapter uses


def test_woocommerce_orders_with_a_damaged_field_are_read_or_refused_as_a_bad_answer():
    system = WooCommerceOrderSystem("http://127.0.0.1:9", "ck_test", "cs_test")
    read, refused = read_or_refuse(system._order, [woocommerce_real.order()])
    assert read > 0 and refused > 0


def test_shopify_variants_with_a_damaged_field_are_read_or_refused_as_a_bad_answer():
    pairs = [(product, variant) for product in shopify_real.products() for variant in product.get("variants") or []]
    # The adapter checks that each product and variant is an object before this; their fields are damaged here.
    read, refused = read_or_refuse(lambda body: _variant(body["product"], body["variant"], None, {}),
                                   [{"product": product, "variant": variant} for product, variant in pairs], below=1)
    assert read > 0 and refused > 0


def test_woocommerce_products_and_variations_with_a_damaged_field_are_read_or_refused_as_a_bad_answer():
    system = WooCommerceOrderSystem("http://127.0.0.1:9", "ck_test", "cs_test")
    read, refused = read_or_refuse(system._product, woocommerce_real.products() + woocommerce_real.variations())
    assert read > 0 and refused > 0
