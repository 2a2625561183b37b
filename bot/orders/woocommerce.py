"""`WooCommerceOrderSystem`: the WooCommerce REST API v3 (`/wp-json/wc/v3`, HTTP Basic auth with the consumer key).

- Orders: `GET /orders/{number}` when the number is a post id and the order's `number` agrees, otherwise
  `GET /orders?search={number}` (shops with custom order numbers). Statuses: pending/on-hold -> pending,
  processing -> packed (shipped once it has tracking), completed -> delivered (at `date_completed_gmt`),
  cancelled/failed -> cancelled, refunded -> returned; plugins' `shipped`, `out-for-delivery` and `delivered`
  are understood, and `status_map` overrides any of these (e.g. {"completed": "shipped"} for shops that
  complete orders when they ship). Tracking comes from the Shipment Tracking plugin's `_wc_shipment_tracking_items`.
  Line items with the meta `non_returnable` set are not returnable.
- Products: `GET /products?page=&per_page=` over `X-WP-TotalPages`; stock from `stock_quantity` (managed stock)
  or `stock_status`; the restock date from the product meta `restock_date` (configurable).
- Returns: WooCommerce has no returns API. A return is kept in the order meta `chatbot_returns` (a list of
  cases, id `R-<order number>-<n>`) and announced to the shop's staff in a private order note. Items in a case
  count as returned; refunds made by staff are not read per item.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime, timezone
from typing import Any, Mapping, Optional

import aiohttp

from bot.orders.adapter import HttpOrderSystem
from bot.orders.http import JsonClient, RetryPolicy
from bot.orders.model import Order, OrderItem, OrderStatus, Product, ReturnCase, ReturnKind
from bot.orders.parse import day, dig, flag, integer, mapping, moment, sequence, text
from bot.orders.system import OrderSystemBadResponse, OrderSystemError, OrderSystemRejected

log = logging.getLogger(__name__)

MAX_PAGES = 100
TRACKING_META = "_wc_shipment_tracking_items"
STATUSES: dict[str, OrderStatus] = {
    "pending": OrderStatus.PENDING, "on-hold": OrderStatus.PENDING, "checkout-draft": OrderStatus.PENDING,
    "processing": OrderStatus.PACKED, "shipped": OrderStatus.SHIPPED, "out-for-delivery": OrderStatus.OUT_FOR_DELIVERY,
    "completed": OrderStatus.DELIVERED, "delivered": OrderStatus.DELIVERED, "cancelled": OrderStatus.CANCELLED,
    "failed": OrderStatus.CANCELLED, "refunded": OrderStatus.RETURNED,
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

    def _order(self, raw: dict) -> Order:
        raw_status = text(raw.get("status"))
        if raw_status not in self.statuses:
            raise OrderSystemBadResponse(f"{self.name}: unknown order status (add it to the status map)")
        status = self.statuses[raw_status]
        meta = sequence(raw.get("meta_data") or [], "order meta")
        shipments = sequence(_meta(meta, TRACKING_META) or [], "shipment tracking")
        latest = max(shipments, key=lambda s: integer(dig(s, "date_shipped"))) if shipments else {}
        shipment = mapping(latest, "shipment")
        if status is OrderStatus.PACKED and shipment.get("tracking_number"):
            status = OrderStatus.SHIPPED
        in_cases = {item_id for case in self._cases(meta) if case.state != "rejected" for item_id in case.item_ids}
        billing, shipping = mapping(raw.get("billing") or {}, "billing"), mapping(raw.get("shipping") or {}, "shipping")
        provider = text(shipment.get("custom_tracking_provider")) or text(shipment.get("tracking_provider"))
        return Order(
            number=text(raw.get("number")), id=text(raw.get("id")), status=status,
            customer_email=text(billing.get("email")),
            customer_phone=text(billing.get("phone") or shipping.get("phone")),
            customer_name=" ".join(filter(None, (text(billing.get("first_name")), text(billing.get("last_name"))))),
            country=text(shipping.get("country") or billing.get("country")),
            placed_at=moment(raw.get("date_created_gmt")),
            items=tuple(self._item(item, in_cases, status) for item in sequence(raw.get("line_items") or [], "items")),
            carrier=provider.replace("-", " ").title() if provider.islower() else provider,
            tracking_number=text(shipment.get("tracking_number")),
            tracking_url=text(shipment.get("custom_tracking_link")),
            delivered_at=moment(raw.get("date_completed_gmt")) if status is OrderStatus.DELIVERED else None)

    def _item(self, raw: Any, in_cases: set[str], status: OrderStatus) -> OrderItem:
        raw = mapping(raw, "line item")
        item_id, quantity = text(raw.get("id")), integer(raw.get("quantity"), 1)
        returned = item_id in in_cases or status is OrderStatus.RETURNED
        return OrderItem(id=item_id, name=text(raw.get("name")), quantity=quantity, sku=text(raw.get("sku")),
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
        products: list[Product] = []
        for page in range(1, MAX_PAGES + 1):
            params = {"page": str(page), "per_page": str(self.page_size)}
            response = await self.client.get(f"{self.api}/products", params)
            found = sequence(response.data if response else [], "products")
            products += [self._product(mapping(raw, "product")) for raw in found]
            if not found or response is None or page >= integer(response.headers.get("X-WP-TotalPages"), 1):
                break
        return products

    def _product(self, raw: dict) -> Product:
        if raw.get("manage_stock") and raw.get("stock_quantity") is not None:
            in_stock = max(0, integer(raw.get("stock_quantity")))
        else:
            in_stock = 1 if raw.get("stock_status") == "instock" else 0
        restock = None
        try:
            restock = day(_meta(sequence(raw.get("meta_data") or [], "product meta"), self.restock_meta_key))
        except OrderSystemBadResponse:
            log.warning("woocommerce: product %s has an unreadable restock date", text(raw.get("id")))
        return Product(sku=text(raw.get("sku")) or text(raw.get("id")), name=text(raw.get("name")),
                       in_stock=in_stock, restock_date=restock)


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
