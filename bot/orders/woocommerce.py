"""`WooCommerceOrderSystem`: the WooCommerce REST API v3 (`/wp-json/wc/v3`, HTTP Basic auth with the consumer key).

- Orders: `GET /orders/{number}` when the number is a post id and the order's `number` agrees, otherwise
  `GET /orders?search={number}` (shops with custom order numbers). Statuses: pending/on-hold -> pending,
  processing -> packed (shipped once it has tracking), completed -> delivered (at `date_completed_gmt`),
  cancelled/failed -> cancelled, refunded -> returned; plugins' `shipped`, `out-for-delivery`, `delivered` and
  Advanced Shipment Tracking's `partial-shipped` and `updated-tracking` (shipped) are understood, and `status_map`
  overrides any of these (e.g. {"completed": "shipped"} for shops that complete orders when they ship, as AST's
  "rename Completed to Shipped" option does); any other status is an error naming it. Tracking comes from
  `_wc_shipment_tracking_items` (Shipment Tracking and Advanced Shipment Tracking): carrier name and link from the
  plugins' provider table (`bot.orders.tracking`) or the shop's custom provider and link. Every text field has its
  HTML entities decoded. Line items with the meta `non_returnable` set are not returnable.
- Products: `GET /products?page=&per_page=` over `X-WP-TotalPages`; stock from `stock_quantity` (managed stock)
  or `stock_status`; the restock date from the product meta `restock_date` (configurable). Variable products
  also list their variations (`GET /products/{id}/variations`), each with its own stock (`bot.orders.variants`).
- Returns: WooCommerce has no returns API. A return is kept in the order meta `chatbot_returns` (a list of
  cases, id `R-<order number>-<n>`) and announced to the shop's staff in a private order note. Items in a case
  count as returned; refunds made by staff are not read per item.
"""
from __future__ import annotations

import html
import logging
import re
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Mapping, Optional

import aiohttp

from bot.orders import tracking
from bot.orders.adapter import HttpOrderSystem
from bot.orders.http import JsonClient, RetryPolicy
from bot.orders.model import Order, OrderItem, OrderStatus, Product, ReturnCase, ReturnKind
from bot.orders.parse import day, dig, flag, integer, mapping, moment, sequence, text
from bot.orders.system import OrderSystemBadResponse, OrderSystemError, OrderSystemRejected
from bot.orders.variants import variant_label, with_variants

log = logging.getLogger(__name__)

MAX_PAGES = 100
TRACKING_META = "_wc_shipment_tracking_items"
STATUSES: dict[str, OrderStatus] = {
    "pending": OrderStatus.PENDING, "on-hold": OrderStatus.PENDING, "checkout-draft": OrderStatus.PENDING,
    "processing": OrderStatus.PACKED, "shipped": OrderStatus.SHIPPED, "out-for-delivery": OrderStatus.OUT_FOR_DELIVERY,
    "completed": OrderStatus.DELIVERED, "delivered": OrderStatus.DELIVERED, "cancelled": OrderStatus.CANCELLED,
    "failed": OrderStatus.CANCELLED, "refunded": OrderStatus.RETURNED,
    # Advanced Shipment Tracking registers these (wc-partial-shipped, wc-updated-tracking, wc-delivered).
    "partial-shipped": OrderStatus.SHIPPED, "updated-tracking": OrderStatus.SHIPPED,
}
_CASE_ID = re.compile(r"^R-(.+)-(\d+)$", re.IGNORECASE)


class WooCommerceOrderSystem(HttpOrderSystem):
    name = "woocommerce"

    def __init__(self, url: str, consumer_key: str, consumer_secret: str, return_window_days: int = 30,
                 status_map: Optional[Mapping[str, str]] = None, restock_meta_key: str = "restock_date",
                 non_returnable_meta_key: str = "non_returnable", returns_meta_key: str = "chatbot_returns",
                 policy: RetryPolicy = RetryPolicy(), catalogue_ttl: float = 60.0, page_size: int = 100) -> None:
        client = JsonClient(self.name, auth=aiohttp.BasicAuth(consumer_key, consumer_secret), policy=policy)
        super().__init__(client, return_window_days, catalogue_ttl)
        self.api = f"{url.rstrip('/')}/wp-json/wc/v3"
        self.statuses = {**STATUSES, **{shop: OrderStatus(ours) for shop, ours in (status_map or {}).items()}}
        self.restock_meta_key = restock_meta_key
        self.non_returnable_meta_key = non_returnable_meta_key
        self.returns_meta_key = returns_meta_key
        self.page_size = page_size

    async def find_order(self, number: str) -> Optional[Order]:
        raw = await self._raw_order(number)
        return None if raw is None else self._order(raw)

    async def _raw_order(self, number: str) -> Optional[dict]:
        if number.isdigit():
            response = await self.client.get(f"{self.api}/orders/{number}")
            if response is not None:
                raw = _order_object(response.data)
                if text(raw.get("number")).casefold() == number.casefold():
                    return raw  # else the post id of another order: look for the number
        response = await self.client.get(f"{self.api}/orders", {"search": number, "per_page": "20"})
        for raw in sequence(response.data if response else [], "orders"):
            if text(_order_object(raw).get("number")).casefold() == number.casefold():
                return raw
        return None

    def status_of(self, raw_status: str) -> OrderStatus:
        """Our status for the shop's (`wc-` prefix or not); an unknown one is an error that names it."""
        key = raw_status.removeprefix("wc-")
        if key not in self.statuses:
            log.warning("woocommerce: unknown order status %r: add it to WOOCOMMERCE_STATUS_MAP", key)
            raise OrderSystemBadResponse(f"{self.name}: unknown order status {key!r} "
                                         f"(map it with WOOCOMMERCE_STATUS_MAP, e.g. {key}=shipped)")
        return self.statuses[key]

    def _order(self, raw: dict) -> Order:
        status = self.status_of(text(raw.get("status")))
        meta = sequence(raw.get("meta_data") or [], "order meta")
        shipments = sequence(_meta(meta, TRACKING_META) or [], "shipment tracking")
        latest = max(shipments, key=lambda s: integer(dig(s, "date_shipped"))) if shipments else {}
        shipment = mapping(latest, "shipment")
        if status is OrderStatus.PACKED and shipment.get("tracking_number"):
            status = OrderStatus.SHIPPED
        in_cases = {item_id for case in self._cases(meta) if case.state != "rejected" for item_id in case.item_ids}
        billing, shipping = mapping(raw.get("billing") or {}, "billing"), mapping(raw.get("shipping") or {}, "shipping")
        carrier, tracking_url = _carrier(shipment, _clean(shipping.get("postcode") or billing.get("postcode")),
                                         _clean(shipping.get("country") or billing.get("country")))
        return Order(
            number=_clean(raw.get("number")), id=text(raw.get("id")), status=status,
            customer_email=_clean(billing.get("email")),
            customer_phone=_clean(billing.get("phone") or shipping.get("phone")),
            customer_name=" ".join(filter(None, (_clean(billing.get("first_name")), _clean(billing.get("last_name"))))),
            country=_clean(shipping.get("country") or billing.get("country")),
            placed_at=moment(raw.get("date_created_gmt")),
            items=tuple(self._item(item, in_cases, status) for item in sequence(raw.get("line_items") or [], "items")),
            carrier=carrier, tracking_number=_clean(shipment.get("tracking_number")), tracking_url=tracking_url,
            delivered_at=moment(raw.get("date_completed_gmt")) if status is OrderStatus.DELIVERED else None)

    def _item(self, raw: Any, in_cases: set[str], status: OrderStatus) -> OrderItem:
        raw = mapping(raw, "line item")
        item_id, quantity = text(raw.get("id")), integer(raw.get("quantity"), 1)
        returned = item_id in in_cases or status is OrderStatus.RETURNED
        return OrderItem(id=item_id, name=_clean(raw.get("name")), quantity=quantity, sku=_clean(raw.get("sku")),
                         returnable=not flag(_meta(sequence(raw.get("meta_data") or [], "item meta"),
                                                   self.non_returnable_meta_key)),
                         returned_quantity=quantity if returned else 0)

    def _cases(self, meta: list) -> list[ReturnCase]:
        cases = sequence(_meta(meta, self.returns_meta_key) or [], "return cases")
        return [_case(mapping(case, "return case")) for case in cases]

    async def create_return(self, order: Order, item_ids: list[str], reason: str,
                            kind: ReturnKind = ReturnKind.REFUND) -> ReturnCase:
        response = await self.client.get(f"{self.api}/orders/{order.id}")
        if response is None:
            raise OrderSystemRejected(f"{self.name}: no such order", "not_found")
        meta = sequence(mapping(response.data, "order").get("meta_data") or [], "order meta")
        stored = list(sequence(_meta(meta, self.returns_meta_key) or [], "return cases"))
        case = ReturnCase(id=f"R-{order.number}-{len(stored) + 1}", order_number=order.number,
                          item_ids=tuple(item_ids), reason=reason, kind=kind,
                          created_at=datetime.now(timezone.utc).replace(microsecond=0))
        stored.append({"id": case.id, "order_number": case.order_number, "item_ids": list(case.item_ids),
                       "reason": reason, "kind": kind.value, "state": case.state,
                       "created_at": case.created_at.isoformat()})
        await self.client.put(f"{self.api}/orders/{order.id}", {"meta_data": [
            {"key": self.returns_meta_key, "value": stored}]})
        names = ", ".join(item.name for item in order.items if item.id in item_ids)
        note = f"Return {case.id} requested in the chat ({kind.value}): {names}. Reason: {reason}"
        try:
            await self.client.post(f"{self.api}/orders/{order.id}/notes", {"note": note, "customer_note": False})
        except OrderSystemError:
            log.warning("woocommerce: return case recorded, but the order note could not be added")
        return case

    async def find_return(self, case_id: str) -> Optional[ReturnCase]:
        match = _CASE_ID.match(case_id.strip())
        raw = await self._raw_order(match.group(1)) if match else None
        if raw is None:
            return None
        cases = self._cases(sequence(raw.get("meta_data") or [], "order meta"))
        return next((case for case in cases if case.id.casefold() == case_id.strip().casefold()), None)

    async def load_products(self) -> list[Product]:
        raw_products: list[dict] = []
        for page in range(1, MAX_PAGES + 1):
            params = {"page": str(page), "per_page": str(self.page_size)}
            response = await self.client.get(f"{self.api}/products", params)
            found = sequence(response.data if response else [], "products")
            raw_products += [mapping(raw, "product") for raw in found]
            if not found or response is None or page >= integer(response.headers.get("X-WP-TotalPages"), 1):
                break
        catalogue: list[Product] = []
        for raw in raw_products:
            product = self._product(raw)
            variations = await self._variations(raw, product) if raw.get("type") == "variable" else []
            catalogue += with_variants(product, variations)
        return catalogue

    async def _variations(self, parent: dict, product: Product) -> list[Product]:
        """A variable product's variations, each with its own stock (or the parent's, `manage_stock: "parent"`)."""
        response = await self.client.get(f"{self.api}/products/{text(parent.get('id'))}/variations",
                                         {"per_page": "100"})
        found = []
        for raw in map(lambda v: mapping(v, "variation"), sequence(response.data if response else [], "variations")):
            own = self._product(raw, parent)
            label = variant_label([_clean(dig(a, "option")) for a in sequence(raw.get("attributes") or [], "attrs")])
            found.append(replace(own, name=f"{product.name} ({label})" if label else product.name, variant=label,
                                 restock_date=own.restock_date or product.restock_date))
        return found

    def _product(self, raw: dict, parent: Optional[dict] = None) -> Product:
        stock_owner = parent if parent is not None and raw.get("manage_stock") == "parent" else raw
        if stock_owner.get("manage_stock") and stock_owner.get("stock_quantity") is not None:
            in_stock = max(0, integer(stock_owner.get("stock_quantity")))
        else:
            in_stock = 1 if raw.get("stock_status") == "instock" else 0
        restock = None
        try:
            restock = day(_meta(sequence(raw.get("meta_data") or [], "product meta"), self.restock_meta_key))
        except OrderSystemBadResponse:
            log.warning("woocommerce: product %s has an unreadable restock date", text(raw.get("id")))
        return Product(sku=_clean(raw.get("sku")) or text(raw.get("id")), name=_clean(raw.get("name")),
                       in_stock=in_stock, restock_date=restock)


def _clean(value: Any) -> str:
    """A text field as people read it: WooCommerce sends names with HTML entities ("Ship Your Idea &ndash; Black")."""
    return html.unescape(text(value)).strip()


def _carrier(shipment: dict, postcode: str, country: str) -> tuple[str, str]:
    """The carrier's name and the tracking link of a Shipment Tracking / Advanced Shipment Tracking item."""
    number = _clean(shipment.get("tracking_number"))
    custom = _clean(shipment.get("custom_tracking_provider"))
    if custom:
        return custom, tracking.link(_clean(shipment.get("custom_tracking_link")), number, postcode, country)
    slug = _clean(shipment.get("tracking_provider"))
    known = tracking.provider(slug) if slug else None
    if known is None:
        if slug:
            log.warning("woocommerce: tracking provider %r is not in the provider table; no tracking link", slug)
        return slug, _clean(shipment.get("custom_tracking_link"))
    return known.name, tracking.link(known.url, number, postcode, country) if number else ""


def _order_object(data: Any) -> dict:
    order = mapping(data, "order")
    if "id" not in order or "number" not in order:
        raise OrderSystemBadResponse("an order without an id or a number")
    return order


def _meta(entries: list, key: str) -> Any:
    """The value of the last meta entry with this key, or None."""
    values = [dig(entry, "value") for entry in entries if dig(entry, "key") == key]
    return values[-1] if values else None


def _case(data: dict) -> ReturnCase:
    kind = text(data.get("kind")) or "refund"
    if kind not in {k.value for k in ReturnKind} or not text(data.get("id")):
        raise OrderSystemBadResponse("unreadable return case in the order meta")
    return ReturnCase(id=text(data.get("id")), order_number=text(data.get("order_number")),
                      item_ids=tuple(text(i) for i in sequence(data.get("item_ids") or [], "case items")),
                      reason=text(data.get("reason")), kind=ReturnKind(kind),
                      state=text(data.get("state")) or "requested",
                      created_at=moment(data.get("created_at")), updated_at=moment(data.get("updated_at")))
