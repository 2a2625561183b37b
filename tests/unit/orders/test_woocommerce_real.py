"""WooCommerce against the WooCommerce REST API documentation's own examples, served by the fake through the
adapter's HTTP path, with Advanced Shipment Tracking / Shipment Tracking data as those plugins store it."""
from datetime import datetime, timezone

import pytest

from bot.orders import tracking
from bot.orders.model import OrderStatus
from bot.orders.system import OrderSystemBadResponse
from bot.orders.woocommerce import WooCommerceOrderSystem
from tests.fakes import woocommerce_real as real
from tests.fakes.harness import serve
from tests.fakes.woocommerce import WooCommerceFake
from tests.unit.orders.conftest import FAST

SHIPPED = 1_711_000_000


@pytest.fixture
async def woo():
    fake = WooCommerceFake(datetime.now(timezone.utc)).add_real()
    async with serve(fake.app()) as url:
        system = WooCommerceOrderSystem(url, "ck_test", "cs_test", policy=FAST, catalogue_ttl=0)
        yield system, fake
        await system.close()


def track(fake: WooCommerceFake, status: str, *items: dict) -> None:
    order = fake.orders[727]
    order["status"] = status
    order["meta_data"].append({"id": 3001, "key": "_wc_shipment_tracking_items", "value": list(items)})


async def test_the_documented_order_reads_with_entities_decoded(woo):
    system, _ = woo
    order = await system.find_order("727")
    assert order.status is OrderStatus.PACKED  # processing, no tracking yet
    assert [item.name for item in order.items] == ["Woo Single #1", "Ship Your Idea – Color: Black, Size: M Test"]
    assert (order.customer_name, order.customer_email, order.country) == ("John Doe", "john.doe@example.com", "US")


@pytest.mark.parametrize("status", ["partial-shipped", "updated-tracking", "wc-partial-shipped"])
async def test_advanced_shipment_tracking_statuses_with_carrier_name_and_working_link(woo, status):
    system, fake = woo
    track(fake, status, real.ast_tracking_item("usps", "9400111899223817340427", SHIPPED))
    order = await system.find_order("727")
    assert order.status is OrderStatus.SHIPPED
    assert order.carrier == "USPS" and order.tracking_number == "9400111899223817340427"
    assert order.tracking_url == ("https://tools.usps.com/go/TrackConfirmAction_input?"
                                  "qtc_tLabels1=9400111899223817340427")


async def test_the_latest_shipment_counts_and_postcodes_fill_the_link(woo):
    system, fake = woo
    track(fake, "delivered", real.ast_tracking_item("usps", "1", SHIPPED),
          real.ast_tracking_item("postnl", "3SABCD1234567", SHIPPED + 3600))
    fake.orders[727]["shipping"]["postcode"] = "1012 AB"
    order = await system.find_order("727")
    assert order.status is OrderStatus.DELIVERED and order.carrier == "PostNL"
    assert "Barcode=3SABCD1234567&Postalcode=1012%20AB" in order.tracking_url


async def test_shipment_tracking_custom_provider_with_its_own_link(woo):
    system, fake = woo
    track(fake, "completed", {"tracking_provider": "", "custom_tracking_provider": "Posten &amp; Bring",
                              "custom_tracking_link": "https://sporing.bring.no/sending/%1$s",
                              "tracking_number": "70701234", "date_shipped": str(SHIPPED)})
    order = await system.find_order("727")
    assert (order.carrier, order.tracking_url) == ("Posten & Bring", "https://sporing.bring.no/sending/70701234")


def test_every_provider_link_has_the_number_or_is_the_carriers_page():
    for provider in tracking.providers().values():
        link = tracking.link(provider.url, "NUMBER123")
        assert link.startswith("http") and provider.name
        assert "%number%" not in link and "%1$s" not in link
    assert tracking.provider("DHL Express").slug == "dhl-express"  # older WST stored the provider's name
    assert tracking.provider("Croatia Post").url.startswith("https://www.posta.hr/")


async def test_an_unknown_status_is_an_error_naming_it_and_status_map_maps_it(woo):
    system, fake = woo
    fake.orders[727]["status"] = "awaiting-pickup"
    with pytest.raises(OrderSystemBadResponse, match="awaiting-pickup"):
        await system.find_order("727")
    mapped = WooCommerceOrderSystem(system.api.removesuffix("/wp-json/wc/v3"), "ck_test", "cs_test", policy=FAST,
                                    status_map={"awaiting-pickup": "out_for_delivery"})
    assert (await mapped.find_order("727")).status is OrderStatus.OUT_FOR_DELIVERY
    await mapped.close()


async def test_variations_have_their_own_stock(woo):
    system, fake = woo
    green = next(v for v in fake.variations[799] if v["id"] == 733)
    green.update(manage_stock=True, stock_quantity=0, stock_status="outofstock")
    catalogue = await system.products()
    idea = next(p for p in catalogue if p.name == "Ship Your Idea")
    variants = {p.variant: p for p in catalogue if p.variant_of == idea.sku}
    assert {v: p.available for v, p in variants.items()} == {"Green": False, "Black": True}
    assert idea.available  # black is still there
    found = await system.find_product("ship your idea green", "en")
    assert (found.variant, found.available) == ("Green", False)
    premium = next(p for p in catalogue if p.name == "Premium Quality")
    assert premium.available and premium.variant_of == ""


def documented_orders() -> list[dict]:
    found = []
    for body in real.documented("orders").values():
        bodies = body if isinstance(body, list) else [body]
        for item in bodies:
            if "line_items" in item:
                found.append(item)
            for part in ("create", "update", "delete"):
                found += [order for order in item.get(part, []) if "line_items" in order]
    return found


def test_every_documented_order_is_understood_with_readable_names():
    system = WooCommerceOrderSystem("http://127.0.0.1:9", "ck_test", "cs_test")
    orders = [system._order(raw) for raw in documented_orders()]
    assert len(orders) >= 6
    assert {order.status for order in orders} <= {OrderStatus.PACKED, OrderStatus.DELIVERED, OrderStatus.PENDING}
    names = [item.name for order in orders for item in order.items]
    assert names and not [name for name in names if "&" in name and ";" in name]  # no HTML entities left


def test_every_documented_product_and_variation_is_read():
    system = WooCommerceOrderSystem("http://127.0.0.1:9", "ck_test", "cs_test")
    for kind in ("products", "product_variations"):
        for body in real.documented(kind).values():
            for raw in (body if isinstance(body, list) else [body]):
                if "stock_status" in raw:
                    product = system._product(raw)
                    assert product.sku and product.available == (raw["stock_status"] == "instock")
