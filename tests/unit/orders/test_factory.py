"""Choosing and configuring the order system from environment variables."""
import pytest

from bot.orders.demo import DemoOrderSystem
from bot.orders.factory import order_system_from_env
from bot.orders.model import OrderStatus
from bot.orders.rest import RestOrderSystem
from bot.orders.shopify import ShopifyOrderSystem
from bot.orders.woocommerce import WooCommerceOrderSystem
from bot.settings import LOCAL_ORDERS_API_KEY
from tests.unit.orders.conftest import EXAMPLE_CONFIG

SHOPIFY = {"ORDER_SYSTEM": "shopify", "SHOPIFY_SHOP_URL": "https://nordvik.myshopify.com",
           "SHOPIFY_ACCESS_TOKEN": "shpat_x"}
WOO = {"ORDER_SYSTEM": "woocommerce", "WOOCOMMERCE_URL": "https://shop.example.com",
       "WOOCOMMERCE_CONSUMER_KEY": "ck_x", "WOOCOMMERCE_CONSUMER_SECRET": "cs_x"}


def test_the_demo_by_default():
    system = order_system_from_env({}, return_window_days=14)
    assert isinstance(system, DemoOrderSystem)
    assert (system.base_url, system.return_window_days) == ("http://127.0.0.1:8090", 14)
    assert system.client._headers["X-Api-Key"] == LOCAL_ORDERS_API_KEY


def test_each_kind_with_its_settings():
    rest = order_system_from_env({"ORDER_SYSTEM": "rest", "REST_ORDERS_CONFIG": str(EXAMPLE_CONFIG),
                                  "ORDERS_URL": "https://api.example.com/", "ORDERS_API_KEY": "k"})
    assert isinstance(rest, RestOrderSystem) and rest.base_url == "https://api.example.com"
    shopify = order_system_from_env({**SHOPIFY, "SHOPIFY_API_VERSION": "2024-10", "ORDERS_DEADLINE": "3"})
    assert isinstance(shopify, ShopifyOrderSystem)
    assert shopify.api == "https://nordvik.myshopify.com/admin/api/2024-10" and shopify.client.policy.deadline == 3
    woo = order_system_from_env({**WOO, "WOOCOMMERCE_STATUS_MAP": "completed=shipped, delivered=delivered"})
    assert isinstance(woo, WooCommerceOrderSystem) and woo.statuses["completed"] is OrderStatus.SHIPPED


def test_the_same_settings_share_one_instance():
    assert order_system_from_env(dict(SHOPIFY)) is order_system_from_env(dict(SHOPIFY))
    assert order_system_from_env(dict(SHOPIFY)) is not order_system_from_env(dict(SHOPIFY), return_window_days=60)


@pytest.mark.parametrize("env, variable", [
    ({"ORDER_SYSTEM": "shopify", "SHOPIFY_SHOP_URL": "https://x.myshopify.com"}, "SHOPIFY_ACCESS_TOKEN"),
    ({**WOO, "WOOCOMMERCE_CONSUMER_SECRET": " "}, "WOOCOMMERCE_CONSUMER_SECRET"),
    ({"ORDER_SYSTEM": "rest", "ORDERS_URL": "https://api.example.com"}, "REST_ORDERS_CONFIG"),
    ({"ORDER_SYSTEM": "rest", "REST_ORDERS_CONFIG": "/nowhere.yml", "ORDERS_URL": "x"}, "REST_ORDERS_CONFIG"),
    ({"ORDER_SYSTEM": "rest", "REST_ORDERS_CONFIG": str(EXAMPLE_CONFIG)}, "ORDERS_URL"),
    ({"ORDER_SYSTEM": "magento"}, "ORDER_SYSTEM"),
    ({"ORDERS_DEADLINE": "soon"}, "ORDERS_DEADLINE"),
    ({"ORDERS_DEADLINE": "-1"}, "ORDERS_DEADLINE"),
    ({**WOO, "WOOCOMMERCE_STATUS_MAP": "completed=done"}, "WOOCOMMERCE_STATUS_MAP"),
])
def test_a_missing_or_wrong_setting_is_named(env, variable):
    with pytest.raises(ValueError, match=variable):
        order_system_from_env(env)
