"""The generic REST adapter's configuration: URL and body templates, field paths, maps and pagination styles."""
from datetime import datetime, timezone

import pytest
from aiohttp import web

from bot.orders.model import OrderStatus
from bot.orders.rest import RestConfig, RestOrderSystem, _fill
from bot.orders.system import OrderSystemBadResponse
from tests.fakes import rest_shop
from tests.fakes.harness import serve
from tests.fakes.shopify import ShopifyFake
from tests.unit.orders.conftest import FAST, example_config


def test_a_config_without_the_urls_is_refused():
    with pytest.raises(ValueError, match="urls.find_return, urls.products"):
        RestConfig.from_dict({"urls": {"order": "{base}/o/{number}", "create_return": "{base}/r"}})


def test_the_example_config_loads():
    config = example_config(page_size=50)
    assert config.order.fields["customer_email"] == "customer.email"
    assert config.pagination["style"] == "page" and config.headers == {"X-Api-Key": "{api_key}"}


def test_body_templates():
    template = {"order": {"ref": "{order_number}"}, "lines": "{item_ids}", "note": "{reason} ({kind})",
                "fixed": 3, "other": "{not_ours}"}
    filled = _fill(template, {"order_number": "A-2291", "item_ids": ["1", "2"], "reason": "size {L}", "kind": "SWAP"})
    assert filled == {"order": {"ref": "A-2291"}, "lines": ["1", "2"], "note": "size {L} (SWAP)", "fixed": 3,
                      "other": "{not_ours}"}


async def test_numbers_are_quoted_into_urls_and_searches_pick_the_exact_order():
    fake = rest_shop.RestShopFake(datetime.now(timezone.utc))
    seen = []

    @web.middleware
    async def record(request, handler):
        seen.append(request.query_string)
        return await handler(request)

    app = fake.app()
    app.middlewares.append(record)
    async with serve(app) as url:
        system = RestOrderSystem(RestConfig.from_dict(rest_shop.CONFIG), url, "rest-token", policy=FAST)
        assert (await system.find_order("A-2291")).number == "A-2291"
        assert await system.find_order("A-229") is None
        assert await system.find_order("10405&ref=10406") is None
        assert seen[-1] == "ref=10405%26ref%3D10406"
        await system.close()


async def test_an_unmapped_status_is_unreadable():
    fake = rest_shop.RestShopFake(datetime.now(timezone.utc))
    config = RestConfig.from_dict({**rest_shop.CONFIG, "order": {**rest_shop.CONFIG["order"], "status_map": {}}})
    async with serve(fake.app()) as url:
        system = RestOrderSystem(config, url, "rest-token", policy=FAST)
        with pytest.raises(OrderSystemBadResponse):
            await system.find_order("10405")
        await system.close()


async def test_negated_yes_no_fields():
    fake = rest_shop.RestShopFake(datetime.now(timezone.utc))
    async with serve(fake.app()) as url:
        system = RestOrderSystem(RestConfig.from_dict(rest_shop.CONFIG), url, "rest-token", policy=FAST)
        order = await system.find_order("10436")  # silver earrings (final sale) and a scarf
        assert [item.returnable for item in order.items] == [False, True]
        assert order.status is OrderStatus.DELIVERED
        await system.close()


async def test_link_header_pagination():
    """The REST adapter reads Shopify's product list: cursor pages in Link headers."""
    config = RestConfig.from_dict({
        "urls": {"order": "{base}/x", "create_return": "{base}/x", "find_return": "{base}/x",
                 "products": "{base}/admin/api/2024-07/products.json"},
        "headers": {"X-Shopify-Access-Token": "{api_key}"},
        "products": {"path": "products", "pagination": {"style": "link", "size_param": "limit", "size": 3},
                     "fields": {"sku": "variants.0.sku", "name": "title", "in_stock": "variants.1.inventory_quantity"}},
    })
    async with serve(ShopifyFake(datetime.now(timezone.utc)).app()) as url:
        system = RestOrderSystem(config, url, "shpat_test", policy=FAST, catalogue_ttl=0)
        products = await system.products()
        assert len(products) == 16 and products[0].sku == "NV-RJ-01"
        await system.close()
