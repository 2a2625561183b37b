"""`order_system_from_env()`: the adapter the environment asks for.

    ORDER_SYSTEM          demo (default) | rest | shopify | woocommerce
    ORDERS_DEADLINE       seconds a whole order-system call may take, retries included (default 4)
    demo:         ORDERS_URL (http://127.0.0.1:8090), ORDERS_API_KEY (the local demo key)
    rest:         REST_ORDERS_CONFIG (a YAML file like bot/orders/rest_example.yml), ORDERS_URL, ORDERS_API_KEY
    shopify:      SHOPIFY_SHOP_URL, SHOPIFY_ACCESS_TOKEN, SHOPIFY_API_VERSION (2024-07),
                  SHOPIFY_RESTOCK_METAFIELD (custom.restock_date), SHOPIFY_ORDER_NAME_PREFIX (#)
    woocommerce:  WOOCOMMERCE_URL, WOOCOMMERCE_CONSUMER_KEY, WOOCOMMERCE_CONSUMER_SECRET,
                  WOOCOMMERCE_RESTOCK_META (restock_date),
                  WOOCOMMERCE_STATUS_MAP (shop=ours pairs: "completed=shipped,delivered=delivered")

The same settings give the same instance, so a process keeps one connection pool and one catalogue cache.
"""
from __future__ import annotations

import os
from typing import Mapping

from bot.orders.demo import DemoOrderSystem
from bot.orders.http import RetryPolicy
from bot.orders.model import OrderStatus
from bot.orders.rest import RestConfig, RestOrderSystem
from bot.orders.shopify import ShopifyOrderSystem
from bot.orders.system import OrderSystem
from bot.orders.woocommerce import WooCommerceOrderSystem
from bot.settings import LOCAL_ORDERS_API_KEY

DEFAULT_ORDERS_URL = "http://127.0.0.1:8090"
_VARIABLES = ("ORDER_SYSTEM", "ORDERS_DEADLINE", "ORDERS_URL", "ORDERS_API_KEY", "REST_ORDERS_CONFIG",
              "SHOPIFY_SHOP_URL", "SHOPIFY_ACCESS_TOKEN", "SHOPIFY_API_VERSION", "SHOPIFY_RESTOCK_METAFIELD",
              "SHOPIFY_ORDER_NAME_PREFIX", "WOOCOMMERCE_URL", "WOOCOMMERCE_CONSUMER_KEY", "WOOCOMMERCE_CONSUMER_SECRET",
              "WOOCOMMERCE_RESTOCK_META", "WOOCOMMERCE_STATUS_MAP")
_instances: dict[tuple, OrderSystem] = {}


def order_system_from_env(env: Mapping[str, str] = os.environ, return_window_days: int = 30) -> OrderSystem:
    """The order system configured by `env`; `ValueError` naming the variable when a setting is missing or wrong."""
    key = (return_window_days, *(env.get(name, "") for name in _VARIABLES))
    if key not in _instances:
        _instances[key] = _build(env, return_window_days)
    return _instances[key]


def _build(env: Mapping[str, str], window: int) -> OrderSystem:
    kind = env.get("ORDER_SYSTEM", "demo").strip().lower() or "demo"
    policy = RetryPolicy(deadline=_seconds(env, "ORDERS_DEADLINE", RetryPolicy.deadline))
    if kind == "demo":
        return DemoOrderSystem(env.get("ORDERS_URL") or DEFAULT_ORDERS_URL,
                               env.get("ORDERS_API_KEY") or LOCAL_ORDERS_API_KEY, window, policy)
    if kind == "rest":
        path = _required(env, "REST_ORDERS_CONFIG")
        try:
            config = RestConfig.load(path)
        except (OSError, ValueError) as error:
            raise ValueError(f"REST_ORDERS_CONFIG: cannot use {path}: {error}") from error
        return RestOrderSystem(config, _required(env, "ORDERS_URL"), env.get("ORDERS_API_KEY", ""), window, policy)
    if kind == "shopify":
        return ShopifyOrderSystem(
            _required(env, "SHOPIFY_SHOP_URL"), _required(env, "SHOPIFY_ACCESS_TOKEN"),
            env.get("SHOPIFY_API_VERSION") or "2024-07", window,
            restock_metafield=env.get("SHOPIFY_RESTOCK_METAFIELD") or "custom.restock_date",
            order_name_prefix=env.get("SHOPIFY_ORDER_NAME_PREFIX", "#"), policy=policy)
    if kind == "woocommerce":
        return WooCommerceOrderSystem(
            _required(env, "WOOCOMMERCE_URL"), _required(env, "WOOCOMMERCE_CONSUMER_KEY"),
            _required(env, "WOOCOMMERCE_CONSUMER_SECRET"), window, status_map=_status_map(env),
            restock_meta_key=env.get("WOOCOMMERCE_RESTOCK_META") or "restock_date", policy=policy)
    raise ValueError(f"ORDER_SYSTEM must be demo, rest, shopify or woocommerce, not {kind!r}")


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ValueError(f"{name} is not set (needed for ORDER_SYSTEM={env.get('ORDER_SYSTEM', 'demo')})")
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    try:
        value = float(env.get(name) or default)
    except ValueError as error:
        raise ValueError(f"{name} must be a number of seconds") from error
    if value <= 0:
        raise ValueError(f"{name} must be a number of seconds")
    return value


def _status_map(env: Mapping[str, str]) -> dict[str, str]:
    """WOOCOMMERCE_STATUS_MAP "completed=shipped,delivered=delivered" -> {"completed": "shipped", ...}."""
    pairs = [pair.split("=", 1) for pair in env.get("WOOCOMMERCE_STATUS_MAP", "").split(",") if pair.strip()]
    ours = {status.value for status in OrderStatus}
    if any(len(pair) != 2 or pair[1].strip() not in ours for pair in pairs):
        raise ValueError(f"WOOCOMMERCE_STATUS_MAP: write shop=ours pairs, ours one of {', '.join(sorted(ours))}")
    return {shop.strip(): status.strip() for shop, status in pairs}
