"""`DemoOrderSystem`: the adapter for the demo order system (`bot.orders.demo_server`)."""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import quote

from bot.orders.adapter import HttpOrderSystem
from bot.orders.demo_server import API_KEY_HEADER
from bot.orders.http import JsonClient, RetryPolicy
from bot.orders.model import Order, OrderItem, OrderStatus, Product, ReturnCase, ReturnKind
from bot.orders.parse import day, dig, flag, integer, mapping, moment, sequence, text
from bot.orders.system import OrderSystemBadResponse, OrderSystemRejected

MAX_PAGES = 100


class DemoOrderSystem(HttpOrderSystem):
    name = "demo order system"
    partial_returns = True

    def __init__(self, base_url: str, api_key: str, return_window_days: int = 30,
                 policy: RetryPolicy = RetryPolicy(), catalogue_ttl: float = 60.0, page_size: int = 50) -> None:
        super().__init__(JsonClient(self.name, {API_KEY_HEADER: api_key}, policy=policy), return_window_days,
                         catalogue_ttl)
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size

    async def find_order(self, number: str) -> Optional[Order]:
        response = await self.client.get(f"{self.base_url}/api/orders/{quote(number, safe='')}")
        return None if response is None else order_from(response.data)

    async def create_return(self, order: Order, item_ids: list[str], reason: str,
                            kind: ReturnKind = ReturnKind.REFUND,
                            quantities: Optional[dict[str, int]] = None) -> ReturnCase:
        body = {"order_number": order.number, "item_ids": list(item_ids), "reason": reason, "kind": kind.value,
                "quantities": dict(quantities or {})}
        response = await self.client.post(f"{self.base_url}/api/returns", body)
        if response is None:
            raise OrderSystemRejected(f"{self.name}: no such order", "not_found")
        return return_from(response.data)

    async def find_return(self, case_id: str) -> Optional[ReturnCase]:
        response = await self.client.get(f"{self.base_url}/api/returns/{quote(case_id.strip(), safe='')}")
        return None if response is None else return_from(response.data)

    async def load_products(self) -> list[Product]:
        products: list[Product] = []
        page: Optional[int] = 1
        while page is not None and page <= MAX_PAGES:
            params = {"page": str(page), "per_page": str(self.page_size)}
            response = await self.client.get(f"{self.base_url}/api/products", params)
            data = mapping(response.data if response else None, "products page")
            products += [product_from(item) for item in sequence(data.get("products"), "products")]
            page = integer(data.get("next_page"), default=0) or None
        return products


def order_from(data: Any) -> Order:
    data = mapping(data, "order")
    number, status = text(data.get("number")), data.get("status")
    if not number or status not in {s.value for s in OrderStatus}:
        raise OrderSystemBadResponse("order without a number or a known status")
    return Order(
        number=number, id=text(data.get("id")), status=OrderStatus(status),
        customer_email=text(dig(data, "customer.email")), customer_phone=text(dig(data, "customer.phone")),
        customer_name=text(dig(data, "customer.name")), country=text(data.get("country")),
        placed_at=moment(data.get("placed_at")), delivered_at=moment(data.get("delivered_at")),
        items=tuple(_item(item) for item in sequence(data.get("items", []), "order items")),
        carrier=text(dig(data, "shipment.carrier")), tracking_number=text(dig(data, "shipment.tracking_number")),
        tracking_url=text(dig(data, "shipment.tracking_url")),
        expected_delivery=day(dig(data, "shipment.expected_delivery")))


def _item(data: Any) -> OrderItem:
    data = mapping(data, "order item")
    return OrderItem(id=text(data.get("id")), name=text(data.get("name")), quantity=integer(data.get("quantity"), 1),
                     sku=text(data.get("sku")), returnable=flag(data.get("returnable", True)),
                     returned_quantity=integer(data.get("returned_quantity")),
                     not_returnable_reason=text(data.get("not_returnable_reason")))


def return_from(data: Any) -> ReturnCase:
    data = mapping(data, "return case")
    case_id, kind = text(data.get("id")), data.get("kind", "refund")
    if not case_id or kind not in {k.value for k in ReturnKind}:
        raise OrderSystemBadResponse("return case without an id or a known kind")
    return ReturnCase(id=case_id, order_number=text(data.get("order_number")),
                      item_ids=tuple(text(i) for i in sequence(data.get("item_ids", []), "return items")),
                      reason=text(data.get("reason")), kind=ReturnKind(kind),
                      state=text(data.get("state")) or "requested",
                      label_url=text(data.get("label_url")), created_at=moment(data.get("created_at")))


def product_from(data: Any) -> Product:
    data = mapping(data, "product")
    names = mapping(data.get("names") or {}, "product names")
    return Product(sku=text(data.get("sku")), name=text(data.get("name")), in_stock=integer(data.get("in_stock")),
                   restock_date=day(data.get("restock_date")),
                   names={lang: tuple(text(n) for n in sequence(values, "names")) for lang, values in names.items()})
