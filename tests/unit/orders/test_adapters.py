"""What every adapter must do, checked on each against a real local server (see conftest.py `shop`)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from bot.orders.demo_server.seed import SCENARIOS
from bot.orders.http import RetryPolicy
from bot.orders.model import Order, ReturnKind
from bot.orders.system import (OrderSystemAuthError, OrderSystemBadResponse, OrderSystemRejected,
                               OrderSystemUnavailable)


def now() -> datetime:
    return datetime.now(timezone.utc)


async def scenario_order(shop, name: str) -> Order:
    order = await shop.system.find_order(SCENARIOS[name]["number"])
    assert order is not None, name
    return order


def item_ids(order: Order, name: str, key: str = "item_ids") -> list[str]:
    """The adapter's ids of the scenario's items named by `key` (scenarios list the demo's ids, in order)."""
    demo_ids = SCENARIOS[name]["item_ids"]
    return [order.items[demo_ids.index(demo_id)].id for demo_id in SCENARIOS[name][key]]


@pytest.mark.parametrize("name", ["pending_da", "packed_pl", "shipped_pl", "out_for_delivery_nb",
                                  "delivered_returnable_el", "cancelled_hr", "returned_en", "non_returnable_item_en"])
async def test_finds_an_order_in_each_status(shop, name):
    scenario = SCENARIOS[name]
    order = await scenario_order(shop, name)
    assert (order.number, order.status.value) == (scenario["number"], scenario["status"])
    assert (order.customer_email, order.country) == (scenario["email"], scenario["country"])
    assert order.placed_at is not None and order.placed_at.tzinfo is not None


async def test_an_unknown_order_is_none(shop):
    assert await shop.system.find_order("99999") is None
    assert await shop.system.find_order("Z-1234") is None


async def test_shipment_details(shop):
    order = await scenario_order(shop, "shipped_pl")
    assert (order.carrier, order.tracking_number) == ("InPost", SCENARIOS["shipped_pl"]["tracking_number"])
    assert order.tracking_url.startswith("https://inpost.pl/")
    delivered = await scenario_order(shop, "delivered_returnable_el")
    assert timedelta(days=4) < now() - delivered.delivered_at < timedelta(days=6)


async def test_customer_verification_through_the_adapter(shop):
    order = await scenario_order(shop, "out_for_delivery_nb")
    assert shop.system.verify_customer(order, email=" MAGNUS.OLSEN@example.com ")
    assert shop.system.verify_customer(order, phone="412 34 567")
    assert not shop.system.verify_customer(order, email="ingrid.hansen@example.com", phone="91234567")


async def test_items_of_an_order(shop):
    order = await scenario_order(shop, "delivered_returnable_pl")
    items = await shop.system.list_items(order)
    assert [item.sku for item in items] == SCENARIOS["delivered_returnable_pl"]["item_skus"]
    assert [item.name for item in items] == ["Wool sweater", "Scarf", "Beanie"]
    assert all(item.returnable and item.quantity == 1 and item.returned_quantity == 0 for item in items)


@pytest.mark.parametrize("name, which, eligible, reason", [
    ("delivered_returnable_el", "item_ids", True, "ok"),
    ("delivered_window_expired_en", "item_ids", False, "window_expired"),
    ("non_returnable_item_sr", "non_returnable_item_ids", False, "not_returnable"),
    ("item_already_returned_pl", "returned_item_ids", False, "already_returned"),
    ("returned_en", "item_ids", False, "already_returned"),
    ("shipped_nb", "item_ids", False, "not_delivered"),
    ("cancelled_sr", "item_ids", False, "cancelled"),
])
async def test_return_eligibility(shop, name, which, eligible, reason):
    order = await scenario_order(shop, name)
    verdict = shop.system.return_eligibility(order, item_ids(order, name, which), now())
    assert (verdict.eligible, verdict.reason) == (eligible, reason)


async def test_the_other_items_of_a_mixed_order_can_go_back(shop):
    order = await scenario_order(shop, "non_returnable_item_sr")
    blocked = item_ids(order, "non_returnable_item_sr", "non_returnable_item_ids")
    others = [item.id for item in order.items if item.id not in blocked]
    assert shop.system.return_eligibility(order, others, now()).eligible


async def test_create_and_find_a_return(shop):
    order = await scenario_order(shop, "delivered_returnable_da")
    chosen = [order.items[0].id]
    case = await shop.system.create_return(order, chosen, "too small", ReturnKind.REPLACEMENT)
    assert case.id and case.order_number == order.number and list(case.item_ids) == chosen
    found = await shop.system.find_return(case.id)
    assert (found.id, found.order_number, found.item_ids, found.kind, found.state) == (
        case.id, order.number, tuple(chosen), ReturnKind.REPLACEMENT, "requested")
    assert "too small" in found.reason
    # The same item cannot be returned twice: the order shows it as returned, or the shop refuses.
    again = await shop.system.find_order(order.number)
    if shop.system.return_eligibility(again, chosen, now()).eligible:
        with pytest.raises(OrderSystemRejected):
            await shop.system.create_return(again, chosen, "too small")


async def test_an_unknown_return_is_none(shop):
    assert await shop.system.find_return("R-99999-1") is None
    assert await shop.system.find_return("R-123456789") is None


async def test_products_over_several_pages_with_restock_dates(shop):
    products = {product.sku: product for product in await shop.system.products()}
    assert len(products) == 16
    planned = products[SCENARIOS["restock_planned"]["sku"]]
    assert not planned.available and planned.restock_date == date.today() + timedelta(days=12)
    not_planned = products[SCENARIOS["restock_not_planned"]["sku"]]
    assert not not_planned.available and not_planned.restock_date is None
    assert products[SCENARIOS["in_stock"]["sku"]].in_stock == SCENARIOS["in_stock"]["in_stock"]


async def test_finds_the_product_a_customer_means(shop):
    product = await shop.system.find_product("when will the rain jacket be back?", "en")
    assert product.sku == SCENARIOS["restock_planned"]["sku"]
    assert await shop.system.find_product("laptop", "en") is None


async def lookup_requests(shop) -> int:
    """How many requests one order lookup takes on this shop (a WooCommerce shop may need a search too)."""
    before = shop.faults.requests
    await shop.system.find_order("10405")
    return shop.faults.requests - before


async def test_refused_credentials(shop):
    shop.faults.next("401")
    with pytest.raises(OrderSystemAuthError):
        await shop.system.find_order("10405")
    assert shop.faults.requests == 1


@pytest.mark.parametrize("fault", ["429", "500", "slow"])
async def test_one_failure_then_success_costs_exactly_one_more_request(shop, fault):
    normal = await lookup_requests(shop)
    shop.faults.next(fault)
    before = shop.faults.requests
    assert (await shop.system.find_order("10405")).number == "10405"
    assert shop.faults.requests - before == normal + 1


async def test_persistent_server_errors_end_within_the_deadline(shop):
    shop.faults.next("500", times=100)
    with pytest.raises(OrderSystemUnavailable):
        await shop.system.find_order("10405")
    assert 1 < shop.faults.requests < 100  # retried, then stopped by the deadline


async def test_a_slow_shop_is_unavailable_in_time_for_the_bot_to_answer(shop):
    shop.faults.next("slow", times=100)
    system = shop.build(RetryPolicy()) if shop.kind == "demo" else shop.system  # the default deadline once
    with pytest.raises(OrderSystemUnavailable):  # a slow answer takes 10 s: only the deadline ends the call earlier
        await system.find_order("10405")
    await system.close()


@pytest.mark.parametrize("fault", ["garbage", "wrong_shape"])
async def test_unreadable_answers(shop, fault):
    shop.faults.next(fault)
    with pytest.raises(OrderSystemBadResponse):
        await shop.system.find_order("10405")
    shop.faults.next(fault)
    with pytest.raises(OrderSystemBadResponse):
        await shop.system.products()


async def test_a_404_is_not_found_except_where_it_means_a_wrong_configuration(shop):
    shop.faults.next("404")
    if shop.kind == "shopify":  # orders.json is a search: a 404 means a wrong shop URL or API version
        with pytest.raises(OrderSystemBadResponse):
            await shop.system.find_order("10405")
    elif shop.kind == "woocommerce":  # no post with that id: the order number is searched for
        assert (await shop.system.find_order("10405")).number == "10405"
    else:
        assert await shop.system.find_order("10405") is None
