"""Shopify against the bodies of Shopify's own API client tests, served by the fake through the adapter's HTTP
path: order status in every documented combination, stock and restock dates per variant, translated options."""
from datetime import date, datetime, timezone

import pytest

from bot.orders import shopify_status
from bot.orders.model import OrderStatus
from bot.orders.shopify import ShopifyOrderSystem
from bot.orders.shopify_status import Fulfillment, order_status
from bot.orders.system import OrderSystemBadResponse
from tests.fakes.harness import serve
from tests.fakes.shopify import ShopifyFake
from tests.unit.orders.conftest import FAST


@pytest.fixture
async def shopify():
    fake = ShopifyFake(datetime.now(timezone.utc)).add_real()
    async with serve(fake.app()) as url:
        system = ShopifyOrderSystem(url, "shpat_test", "2024-07", policy=FAST, catalogue_ttl=0)
        yield system, fake
        await system.close()


def real_product(fake: ShopifyFake, title: str) -> dict:
    return next(p for p in fake.products if p["title"] == title)


async def test_fulfilled_without_fulfillment_records_is_shipped(shopify):
    system, _ = shopify
    order = await system.find_order("1002")  # Shopify's example: fulfillment_status fulfilled, fulfillments []
    assert order.status is OrderStatus.SHIPPED
    assert (order.customer_email, order.items[0].name, order.items[0].sku) == (
        "foo@example.com", "IPod Touch 8GB - Black", "IPOD2009BLACK")
    assert order.tracking_number == "" and order.carrier == ""


async def test_fulfilled_with_a_fulfillment_that_has_no_carrier_status_is_shipped(shopify):
    system, _ = shopify
    assert (await system.find_order("1003")).status is OrderStatus.SHIPPED


async def test_refunded_is_returned_and_a_failed_fulfillment_is_not_a_shipment(shopify):
    system, _ = shopify
    refunded, partly = await system.find_order("1004"), await system.find_order("1001")
    assert refunded.status is OrderStatus.RETURNED
    assert partly.status is OrderStatus.PENDING  # its only fulfillment failed: nothing left the warehouse
    assert [item.sku for item in partly.items] == ["IPOD2008GREEN"] or partly.items


async def test_an_undocumented_fulfillment_status_is_an_error_naming_it(shopify):
    system, fake = shopify
    next(o for o in fake.orders if o["name"] == "#1002")["fulfillment_status"] = "teleported"
    with pytest.raises(OrderSystemBadResponse, match="teleported"):
        await system.find_order("1002")


@pytest.mark.parametrize("rest, graphql, shipments, cancelled, refunded, expected", [
    (None, "UNFULFILLED", [], False, False, OrderStatus.PENDING),
    (None, "ON_HOLD", [], False, False, OrderStatus.PENDING),
    (None, "SCHEDULED", [], False, False, OrderStatus.PENDING),
    ("fulfilled", "FULFILLED", [], False, False, OrderStatus.SHIPPED),  # no fulfillment records
    ("fulfilled", "FULFILLED", ["in_transit"], False, False, OrderStatus.SHIPPED),
    ("fulfilled", "FULFILLED", ["delivered", "delivered"], False, False, OrderStatus.DELIVERED),
    ("fulfilled", "FULFILLED", ["out_for_delivery", "delivered"], False, False, OrderStatus.OUT_FOR_DELIVERY),
    ("fulfilled", "FULFILLED", ["label_printed"], False, False, OrderStatus.PACKED),
    ("partial", "PARTIALLY_FULFILLED", [], False, False, OrderStatus.SHIPPED),
    ("partial", "PARTIALLY_FULFILLED", ["delivered"], False, False, OrderStatus.SHIPPED),  # the rest is not there
    ("restocked", "RESTOCKED", [], False, False, OrderStatus.RETURNED),
    (None, "UNFULFILLED", [], True, False, OrderStatus.CANCELLED),
    ("fulfilled", "FULFILLED", ["delivered"], False, True, OrderStatus.RETURNED),
])
def test_rest_and_graphql_agree_in_every_documented_combination(rest, graphql, shipments, cancelled, refunded,
                                                                expected):
    from_rest = order_status(shopify_status.from_rest(rest), shipments, cancelled, refunded)
    from_graphql = order_status(shopify_status.from_graphql(graphql), shipments, cancelled, refunded)
    assert from_rest is from_graphql is expected


def test_in_progress_is_packed_and_every_graphql_value_is_known():
    assert order_status(Fulfillment.IN_PROGRESS, []) is OrderStatus.PACKED
    for value in ("UNFULFILLED", "OPEN", "SCHEDULED", "ON_HOLD", "PENDING_FULFILLMENT", "REQUEST_DECLINED",
                  "IN_PROGRESS", "PARTIALLY_FULFILLED", "FULFILLED", "RESTOCKED"):
        shopify_status.from_graphql(value)


async def test_every_variant_has_its_own_stock_and_a_sold_out_colour_is_not_in_stock(shopify):
    system, fake = shopify
    nano = real_product(fake, "IPod Nano - 8GB")
    next(v for v in nano["variants"] if v["title"] == "Red")["inventory_quantity"] = 0
    catalogue = await system.products()
    variants = {p.variant: p for p in catalogue if p.variant_of == "632910392"}
    assert {v: p.in_stock for v, p in variants.items()} == {"Pink": 10, "Red": 0, "Green": 30, "Black": 40}
    assert variants["Red"].sku == "IPOD2008RED" and not variants["Red"].available
    main = next(p for p in catalogue if p.sku == "632910392")
    assert (main.name, main.in_stock, main.variant_of) == ("IPod Nano - 8GB", 80, "")
    touch = next(p for p in catalogue if p.name == "IPod Touch 8GB")
    assert (touch.sku, touch.in_stock, touch.variant) == ("IPOD2009BLACK", 13, "")  # one variant: the product

    red = await system.find_product("is the ipod nano in red available?", "en")
    assert (red.sku, red.available) == ("IPOD2008RED", False)
    assert (await system.find_product("ipod nano", "en")).sku == "632910392"


async def test_restock_dates_per_variant_and_options_in_the_customers_language(shopify):
    system, fake = shopify
    nano = real_product(fake, "IPod Nano - 8GB")
    black = next(v for v in nano["variants"] if v["title"] == "Black")
    black["inventory_quantity"] = 0
    black["_metafields"] = [{"id": 1, "namespace": "custom", "key": "restock_date", "type": "date",
                             "value": "2031-05-04"}]
    fake.option_translations = {"Black": {"pl": "Czarny", "nb": "Svart"}}
    product = await system.find_product("kiedy będzie ipod nano czarny?", "pl")
    assert (product.sku, product.available, product.restock_date) == ("IPOD2008BLACK", False, date(2031, 5, 4))
    assert (product.variant_in("pl"), product.variant_in("nb"), product.variant_in("el")) == (
        "Czarny", "Svart", "Black")


async def test_without_the_translations_scope_options_stay_as_sold(shopify, caplog):
    system, fake = shopify
    fake.graphql_errors = [{"message": "Access denied", "extensions": {"code": "ACCESS_DENIED"}}]
    catalogue = await system.products()
    assert {p.variant_in("pl") for p in catalogue if p.variant_of} == {"Pink", "Red", "Green", "Black"}
    assert "option translations not readable" in caplog.text


def published_orders() -> list[tuple[str, dict]]:
    from tests.fakes.shopify_real import responses

    found = []
    for test, body in responses("order").items():
        for order in ([body["order"]] if "order" in body else body.get("orders", [])):
            found.append((test, order))
    return found


@pytest.mark.parametrize("test, raw", published_orders(), ids=[test for test, _ in published_orders()])
def test_every_published_order_is_understood(test, raw):
    system = ShopifyOrderSystem("http://127.0.0.1:9", "shpat_test")
    order = system._order(raw)
    expected = {"refunded": OrderStatus.RETURNED}.get(raw.get("financial_status"))
    if raw.get("fulfillment_status") == "fulfilled":
        expected = OrderStatus.SHIPPED  # none of them has a carrier's shipment status
    assert order.status is (expected or OrderStatus.PENDING)
    assert order.number == raw["name"].lstrip("#") and len(order.items) == len(raw.get("line_items") or [])
    assert [item.sku for item in order.items] == [line["sku"] or "" for line in raw.get("line_items") or []]


async def test_every_published_product_lists_its_variants(shopify):
    from tests.fakes.shopify_real import responses

    system, fake = shopify
    bodies = [p for body in responses("product").values() for p in ([body["product"]] if "product" in body else
                                                                     body.get("products", [])) if "variants" in p]
    fake.products = [dict(p, id=n + 1) for n, p in enumerate(bodies)]  # each body its own product
    catalogue = await system.products()
    for n, raw in enumerate(bodies):
        variants = [p for p in catalogue if p.variant_of == str(n + 1)]
        if len(raw["variants"]) > 1:
            assert [v.sku for v in variants] == [v["sku"] or str(v["id"]) for v in raw["variants"]]
        else:
            assert not variants
