"""`bot orders check`: what the adapter understands of the shop's real data, next to the raw fields it used.

Read-only (GET requests only): a few recent orders (Shopify, WooCommerce; or the numbers given) and the first
products of the catalogue, each with its status, carrier, link, items and stock per variant. Whatever the adapter
cannot read is printed as NOT UNDERSTOOD with the reason (an unknown status names itself), and the command then
exits with 1, so a mismatch with the shop's setup shows before customers see it.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from bot.orders.model import Order, Product
from bot.orders.parse import dig, sequence
from bot.orders.shopify import ShopifyOrderSystem
from bot.orders.system import OrderSystem, OrderSystemError
from bot.orders.woocommerce import TRACKING_META, WooCommerceOrderSystem, _meta

Print = Callable[[str], None]


def _shown(value: Any) -> str:
    return "-" if value in (None, "", []) else str(value)


def _raw(fields: dict[str, Any]) -> str:
    return ", ".join(f"{key}={_shown(value)}" for key, value in fields.items())


async def recent_orders(system: OrderSystem, count: int) -> list[dict]:
    """The shop's latest orders as it sends them (Shopify and WooCommerce)."""
    if isinstance(system, ShopifyOrderSystem):
        response = await system.client.get(f"{system.api}/orders.json", {"status": "any", "limit": str(count)})
        return list(sequence(dig(response.data if response else {}, "orders", []), "orders"))
    if isinstance(system, WooCommerceOrderSystem):
        response = await system.client.get(f"{system.api}/orders", {"per_page": str(count), "orderby": "date"})
        return list(sequence(response.data if response else [], "orders"))
    return []


def raw_fields(system: OrderSystem, raw: dict) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields the status and the tracking were read from."""
    if isinstance(system, ShopifyOrderSystem):
        fulfillments = raw.get("fulfillments") or []
        status = {"fulfillment_status": raw.get("fulfillment_status"), "financial_status": raw.get("financial_status"),
                  "cancelled_at": raw.get("cancelled_at"),
                  "fulfillments": [f"{dig(f, 'status')}/{_shown(dig(f, 'shipment_status'))}" for f in fulfillments]}
        latest = fulfillments[-1] if fulfillments else {}
        shipment = {key: dig(latest, key) for key in ("tracking_company", "tracking_number", "tracking_url")}
        return status, shipment
    meta = raw.get("meta_data") or []
    items = _meta(meta, TRACKING_META) or []
    latest = items[-1] if isinstance(items, list) and items else {}
    shipment = {key: dig(latest, key) for key in ("tracking_provider", "custom_tracking_provider",
                                                  "custom_tracking_link", "tracking_number")}
    return {"status": raw.get("status")}, shipment


def order_lines(order: Order) -> list[str]:
    lines = [f"order {order.number}: status {order.status.value}",
             f"  carrier {_shown(order.carrier)}, tracking {_shown(order.tracking_number)}, "
             f"link {_shown(order.tracking_url)}"]
    lines += [f"  item {item.quantity} × {item.name} ({_shown(item.sku)})" for item in order.items]
    return lines


def product_lines(catalogue: list[Product], count: int) -> list[str]:
    lines = []
    for product in [p for p in catalogue if not p.variant_of][:count]:
        variants = [p for p in catalogue if p.variant_of == product.sku]
        restock = f", back {product.restock_date.isoformat()}" if product.restock_date else ""
        lines.append(f"product {product.name} ({product.sku}): {product.in_stock} in stock{restock}"
                     + (f", {len(variants)} variants" if variants else ""))
        for variant in variants:
            back = f", back {variant.restock_date.isoformat()}" if variant.restock_date else ""
            translated = ", ".join(f"{lang}: {name}" for lang, name in sorted(variant.variant_names.items()))
            lines.append(f"  variant {variant.variant} ({variant.sku}): {variant.in_stock} in stock{back}"
                         + (f" [{translated}]" if translated else ""))
    return lines


async def run_check(system: OrderSystem, out: Print, orders: int = 5, products: int = 10,
                    numbers: Optional[list[str]] = None) -> int:
    """Print the check; 0 when everything was understood, 1 otherwise."""
    problems = 0
    out(f"Order system: {system.name}")
    try:
        raws = [(None, raw) for raw in await recent_orders(system, orders)]
    except OrderSystemError as error:
        out(f"recent orders: NOT READABLE: {error}")
        raws, problems = [], problems + 1
    for number in numbers or []:
        raws.append((number, None))
    if not raws and not numbers:
        out("recent orders: this adapter cannot list orders; give order numbers with --order")
    for number, raw in raws:
        try:
            if raw is None:
                order = await system.find_order(number)
                if order is None:
                    out(f"order {number}: not found")
                    continue
                out("\n".join(order_lines(order)))
                continue
            order = system._order(raw)  # type: ignore[attr-defined]  # the adapter's own reading of the raw order
        except OrderSystemError as error:
            problems += 1
            out(f"order {_shown(raw.get('name') or raw.get('number')) if raw else number}: NOT UNDERSTOOD: {error}")
            continue
        status, shipment = raw_fields(system, raw)
        understood = order_lines(order)
        out(f"{understood[0]}    <- {_raw(status)}")
        out(f"{understood[1]}    <- {_raw(shipment)}")
        for line in understood[2:]:
            out(line)
    try:
        catalogue = await system.products()
    except OrderSystemError as error:
        out(f"products: NOT READABLE: {error}")
        return 1
    for line in product_lines(catalogue, products):
        out(line)
    out("Everything was understood." if not problems else f"{problems} thing(s) not understood: see above.")
    return 1 if problems else 0


async def check_configured(orders: int, products: int, numbers: list[str], out: Print = print) -> int:
    """The check against the order system the environment configures (ORDER_SYSTEM and its variables)."""
    from bot.orders.factory import order_system_from_env

    try:
        system = order_system_from_env()
    except ValueError as error:
        out(f"error: {error}")
        return 2
    try:
        return await run_check(system, out, orders, products, numbers)
    finally:
        await system.close()
