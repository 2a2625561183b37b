"""WooCommerce specifics, against the fake REST API v3."""
import logging
from contextlib import asynccontextmanager
from datetime import datetime, timezone

import pytest

from bot.orders.demo_server.seed import SCENARIOS
from bot.orders.model import OrderStatus, ReturnKind
from bot.orders.system import OrderSystemBadResponse
from bot.orders.woocommerce import WooCommerceOrderSystem
from tests.fakes.harness import Faults, serve
from tests.fakes.woocommerce import WooCommerceFake
from tests.unit.orders.conftest import FAST


@asynccontextmanager
async def woo(ids_are_numbers: bool = False, **options):
    fake, faults = WooCommerceFake(datetime.now(timezone.utc), ids_are_numbers=ids_are_numbers), Faults()
    async with serve(fake.app(), faults) as url:
        system = WooCommerceOrderSystem(url, "ck_test", "cs_test", policy=FAST, page_size=5, **options)
        try:
            yield system, fake, faults
        finally:
            await system.close()


@pytest.fixture
async def shop():
    async with woo() as running:
        yield running


def raw_order(fake: WooCommerceFake, scenario: str) -> dict:
    return next(o for o in fake.orders.values() if o["number"] == SCENARIOS[scenario]["number"])


async def test_an_order_id_that_is_its_number_takes_one_request():
    async with woo(ids_are_numbers=True) as (system, fake, faults):
        assert (await system.find_order("10405")).number == "10405"
        assert (faults.requests, fake.searches) == (1, 0)


async def test_custom_order_numbers_are_searched(shop):
    system, fake, _ = shop
    assert (await system.find_order("B-7731")).status is OrderStatus.DELIVERED
    assert (await system.find_order("10405")).id == str(raw_order(fake, "delivered_returnable_en")["id"])
    assert fake.searches == 2


async def test_a_post_id_of_another_order_is_not_that_order(shop):
    system, fake, _ = shop
    assert 700 in fake.orders and fake.orders[700]["number"] != "700"
    assert await system.find_order("700") is None


async def test_a_return_is_kept_in_the_order_meta_and_told_to_the_staff(shop):
    system, fake, _ = shop
    order = await system.find_order(SCENARIOS["delivered_returnable_sr"]["number"])
    case = await system.create_return(order, [order.items[1].id], "pogrešna veličina", ReturnKind.REFUND)
    assert case.id == f"R-{order.number}-1"
    (note,) = fake.notes[int(order.id)]
    assert case.id in note["note"] and "Cotton T-shirt" in note["note"] and not note["customer_note"]
    assert order.customer_email not in note["note"]
    second = await system.create_return(order, [order.items[0].id], "changed my mind", ReturnKind.REPLACEMENT)
    assert second.id == f"R-{order.number}-2"
    assert (await system.find_return(second.id.lower())).kind is ReturnKind.REPLACEMENT
    again = await system.find_order(order.number)
    assert [item.returned_quantity for item in again.items] == [1, 1]


async def test_the_case_counts_even_when_the_note_fails(shop, caplog):
    system, fake, _ = shop
    fake.notes_fail = True
    order = await system.find_order(SCENARIOS["delivered_returnable_nb"]["number"])
    with caplog.at_level(logging.WARNING):
        case = await system.create_return(order, [order.items[0].id], "for liten")
    assert (await system.find_return(case.id)).item_ids == (order.items[0].id,)
    assert "order note could not be added" in caplog.text


async def test_shops_that_complete_orders_when_they_ship():
    async with woo(status_map={"completed": "shipped"}) as (system, _, _):
        order = await system.find_order(SCENARIOS["delivered_returnable_nb"]["number"])
        assert order.status is OrderStatus.SHIPPED and order.delivered_at is None


async def test_an_unknown_status_is_unreadable(shop):
    system, fake, _ = shop
    raw_order(fake, "pending_pl")["status"] = "awaiting-pickup"
    with pytest.raises(OrderSystemBadResponse):
        await system.find_order(SCENARIOS["pending_pl"]["number"])


async def test_shipment_tracking_from_a_provider_slug(shop):
    system, fake, _ = shop
    (tracking,) = raw_order(fake, "shipped_en")["meta_data"][0]["value"]
    tracking.update(tracking_provider="royal-mail", custom_tracking_provider="")
    order = await system.find_order(SCENARIOS["shipped_en"]["number"])
    assert (order.status, order.carrier) == (OrderStatus.SHIPPED, "Royal Mail")
    assert (await system.find_order(SCENARIOS["packed_pl"]["number"])).status is OrderStatus.PACKED


async def test_stock_managed_or_not(shop):
    system, _, _ = shop
    products = {p.name: p for p in await system.products()}
    assert products["Gift card"].available and products["Gift card"].in_stock == 1
    assert products["Beanie"].restock_date is not None and not products["Beanie"].available
