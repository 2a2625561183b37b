"""`bot orders check` against the fake shops serving published bodies: what it prints and when it fails."""
from datetime import datetime, timezone

from bot.orders.check import check_configured, run_check
from bot.orders.shopify import ShopifyOrderSystem
from bot.orders.woocommerce import WooCommerceOrderSystem
from tests.fakes import woocommerce_real as real
from tests.fakes.harness import Faults, serve
from tests.fakes.shopify import ShopifyFake
from tests.fakes.woocommerce import WooCommerceFake
from tests.unit.orders.conftest import FAST


async def test_shopify_check_shows_what_was_understood_next_to_the_raw_fields(monkeypatch):
    fake, faults = ShopifyFake(datetime.now(timezone.utc)).add_real(), Faults()
    fake.orders = fake.orders[-4:]  # the published orders only
    next(v for v in fake.products[-2]["variants"] if v["title"] == "Red")["inventory_quantity"] = 0
    async with serve(fake.app(), faults) as url:
        for name, value in {"ORDER_SYSTEM": "shopify", "SHOPIFY_SHOP_URL": url, "SHOPIFY_ACCESS_TOKEN": "shpat_test",
                            "SHOPIFY_API_VERSION": "2024-07"}.items():
            monkeypatch.setenv(name, value)
        printed: list[str] = []
        code = await check_configured(orders=5, products=30, numbers=[], out=printed.append)
    text = "\n".join(printed)
    assert code == 0, text
    assert ("order 1002: status shipped    <- fulfillment_status=fulfilled, financial_status=paid, cancelled_at=-, "
            "fulfillments=-") in text
    assert "order 1004: status returned    <- fulfillment_status=-, financial_status=refunded" in text
    assert "  item 1 × IPod Touch 8GB - Black (IPOD2009BLACK)" in text
    assert "product IPod Nano - 8GB (632910392): 80 in stock, 4 variants" in text
    assert "  variant Red (IPOD2008RED): 0 in stock" in text
    assert "Everything was understood." in text


async def test_woocommerce_check_names_an_unknown_status_and_fails():
    fake = WooCommerceFake(datetime.now(timezone.utc)).add_real()
    fake.orders = {727: fake.orders[727]}
    order = fake.orders[727]
    order["status"] = "partial-shipped"
    order["meta_data"].append({"id": 1, "key": "_wc_shipment_tracking_items",
                               "value": [real.ast_tracking_item("dhl-express", "1234567890", 1_711_000_000)]})
    async with serve(fake.app()) as url:
        system = WooCommerceOrderSystem(url, "ck_test", "cs_test", policy=FAST)
        printed: list[str] = []
        assert await run_check(system, printed.append, orders=5, products=5) == 0
        assert ("  carrier DHL Express, tracking 1234567890, link "
                "http://www.dhl.it/it/express/ricerca.html?AWB=1234567890&brand=DHL    "
                "<- tracking_provider=dhl-express, custom_tracking_provider=-, custom_tracking_link=-, "
                "tracking_number=1234567890") in printed
        assert "order 727: status shipped    <- status=partial-shipped" in printed
        assert "  item 1 × Ship Your Idea – Color: Black, Size: M Test (Bar3)" in printed
        order["status"] = "awaiting-pickup"
        printed.clear()
        assert await run_check(system, printed.append, orders=5, products=5) == 1
        assert any("order 727: NOT UNDERSTOOD" in line and "'awaiting-pickup'" in line for line in printed)
        await system.close()


async def test_the_check_only_reads():
    """GET requests and GraphQL queries only: nothing in the shop changes."""
    from aiohttp import web

    fake, seen = ShopifyFake(datetime.now(timezone.utc)).add_real(), []

    @web.middleware
    async def record(request, handler):
        body = await request.text() if request.method == "POST" else ""
        seen.append((request.method, "mutation" in body))
        return await handler(request)

    app = fake.app()
    app.middlewares.insert(0, record)
    async with serve(app) as url:
        system = ShopifyOrderSystem(url, "shpat_test", "2024-07", policy=FAST)
        assert await run_check(system, lambda line: None, orders=3, products=3, numbers=["1002"]) == 0
        await system.close()
    assert seen and all(method == "GET" or (method == "POST" and not mutation) for method, mutation in seen)
    assert fake.mutations == []
