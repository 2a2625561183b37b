"""Shopify specifics, against the fake Admin API (REST + GraphQL)."""
from datetime import datetime, timezone

import pytest

from bot.orders.model import ReturnKind
from bot.orders.shopify import ShopifyOrderSystem
from bot.orders.demo_server.seed import SCENARIOS
from bot.orders.system import OrderSystemAuthError, OrderSystemBadResponse, OrderSystemRejected, OrderSystemUnavailable
from tests.fakes.harness import Faults, serve
from tests.fakes.shopify import ShopifyFake
from tests.unit.orders.conftest import FAST


@pytest.fixture
async def shopify():
    fake, faults = ShopifyFake(datetime.now(timezone.utc)), Faults()
    async with serve(fake.app(), faults) as url:
        system = ShopifyOrderSystem(url, "shpat_test", "2024-07", policy=FAST, page_size=5, catalogue_ttl=60)
        yield system, fake, faults, url
        await system.close()


def raw_order(fake: ShopifyFake, scenario: str) -> dict:
    return next(o for o in fake.orders if o["name"] == f"#{SCENARIOS[scenario]['number']}")


async def test_the_phone_may_be_only_on_the_shipping_address(shopify):
    system, fake, _, _ = shopify
    raw = raw_order(fake, "shipped_el")
    raw["customer"]["phone"] = None
    order = await system.find_order(raw["name"][1:])
    assert order.customer_phone == SCENARIOS["shipped_el"]["phone"]
    assert system.verify_customer(order, phone="691 234 5678") is False  # another customer's number
    assert system.verify_customer(order, phone=SCENARIOS["shipped_el"]["phone"].replace("+30", "0030 "))


async def test_the_return_request_carries_shopify_fields(shopify):
    system, fake, _, _ = shopify
    order = await system.find_order(SCENARIOS["delivered_returnable_pl"]["number"])
    case = await system.create_return(order, [order.items[1].id], "damaged in transit")
    sent = fake.mutations[-1]
    assert sent["orderId"] == f"gid://shopify/Order/{order.id}"
    assert sent["returnLineItems"] == [{
        "fulfillmentLineItemId": f"gid://shopify/FulfillmentLineItem/{int(order.items[1].id) + 1_000_000}",
        "quantity": 1, "returnReason": "DEFECTIVE", "customerNote": "damaged in transit"}]
    assert case.id.startswith("R-") and case.id[2:].isdigit() and case.kind is ReturnKind.REFUND


async def test_queries_are_retried_but_a_return_request_is_sent_once(shopify):
    system, fake, faults, _ = shopify
    order = await system.find_order(SCENARIOS["delivered_returnable_da"]["number"])
    faults.next("500")  # on the returnable-fulfillments query: asked again
    assert await system.create_return(order, [order.items[0].id], "unwanted")
    faults.next("ok")
    faults.next("500")  # on the returnRequest mutation: it may have been registered, so not sent again
    with pytest.raises(OrderSystemUnavailable):
        await system.create_return(order, [order.items[1].id], "unwanted")
    assert len(fake.mutations) == 1


async def test_shopify_refusing_a_return(shopify):
    system, fake, _, _ = shopify
    order = await system.find_order(SCENARIOS["delivered_returnable_hr"]["number"])
    fake.return_user_errors = [{"field": ["input"], "code": "INVALID_STATE", "message": "Order is archived."}]
    with pytest.raises(OrderSystemRejected) as refused:
        await system.create_return(order, [order.items[0].id], "changed my mind")
    assert refused.value.reason == "invalid_state"


async def test_items_shopify_does_not_take_back_are_refused_before_asking(shopify):
    system, fake, _, _ = shopify
    order = await system.find_order(SCENARIOS["non_returnable_item_hr"]["number"])  # a gift card
    with pytest.raises(OrderSystemRejected):
        await system.create_return(order, [order.items[0].id], "unwanted")
    assert fake.mutations == []


@pytest.mark.parametrize("code, error", [("THROTTLED", OrderSystemUnavailable), ("ACCESS_DENIED", OrderSystemAuthError),
                                         ("undefinedField", OrderSystemBadResponse)])
async def test_graphql_errors(shopify, code, error):
    system, fake, _, _ = shopify
    fake.graphql_errors = [{"message": "nope", "extensions": {"code": code}}]
    with pytest.raises(error):
        await system.find_return("R-945000000")


async def test_a_wrong_api_version_is_a_configuration_problem_not_a_missing_order(shopify):
    _, _, _, url = shopify
    system = ShopifyOrderSystem(url, "shpat_test", "2023-01", policy=FAST)
    with pytest.raises(OrderSystemBadResponse):
        await system.find_order("10405")
    await system.close()


async def test_stock_and_restock_dates(shopify):
    system, fake, _, _ = shopify
    rain_jacket = next(p for p in fake.products if p["title"] == "Rain jacket")
    rain_jacket["_metafields"][0]["value"] = "next spring"
    gift_card = next(p for p in fake.products if p["title"] == "Gift card")
    for variant in gift_card["variants"]:
        variant.update(inventory_management=None, inventory_quantity=0)
    sweater = next(p for p in fake.products if p["title"] == "Wool sweater")
    sweater["variants"][0]["inventory_quantity"] = -3  # oversold: none left, not minus three
    products = {p.name: p for p in await system.products()}
    assert products["Rain jacket"].restock_date is None and not products["Rain jacket"].available
    assert products["Gift card"].available
    assert products["Wool sweater"].in_stock == 0 and not products["Wool sweater"].available
    assert products["Hiking boots"].restock_date is not None


async def test_the_catalogue_is_kept_for_a_while(shopify):
    system, _, faults, _ = shopify
    await system.products()
    first = faults.requests
    assert first > 4  # several pages and the metafields of products out of stock
    await system.find_product("umbrella")
    assert faults.requests == first
