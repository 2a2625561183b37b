"""A fake WooCommerce REST API v3 (`/wp-json/wc/v3`), seeded from the demo data in WooCommerce's shapes.

Orders (`GET /orders/{id}`, `GET /orders?search=`, `PUT /orders/{id}` for meta), order notes
(`GET/POST /orders/{id}/notes`), products (`GET /products?page=&per_page=`, `X-WP-Total`/`X-WP-TotalPages`).
HTTP Basic auth with the consumer key and secret. Order ids are post ids unlike the order numbers (a shop with
custom numbers) unless `ids_are_numbers`. Demo statuses: packed/shipped = processing without/with Shipment
Tracking items, out for delivery = the plugin status `out-for-delivery`, delivered = completed, returned =
refunded; items already returned appear as an earlier return case in the order meta `chatbot_returns`.
"""
from __future__ import annotations

import base64
import math
from datetime import datetime, timezone
from typing import Optional

from aiohttp import web

from bot.orders.demo_server.seed import ORDERS, PRODUCTS, dated_order, dated_product
from bot.orders.model import Order, OrderStatus
from tests.fakes import woocommerce_real as real

STATUSES = {OrderStatus.PENDING: "pending", OrderStatus.PACKED: "processing", OrderStatus.SHIPPED: "processing",
            OrderStatus.OUT_FOR_DELIVERY: "out-for-delivery", OrderStatus.DELIVERED: "completed",
            OrderStatus.CANCELLED: "cancelled", OrderStatus.RETURNED: "refunded"}


def _gmt(moment: Optional[datetime]) -> Optional[str]:
    """WooCommerce's `*_gmt` fields: UTC without a zone."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") if moment else None


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message, "data": {"status": status}}, status=status)


class WooCommerceFake:
    def __init__(self, now: datetime, key: str = "ck_test", secret: str = "cs_test",
                 ids_are_numbers: bool = False) -> None:
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.orders: dict[int, dict] = {}
        for index, seed in enumerate(ORDERS):
            order_id = int(seed.number) if ids_are_numbers and seed.number.isdigit() else 700 + index
            self.orders[order_id] = self._order_json(order_id, index, dated_order(seed, now))
        self.products = [self._product_json(index, dated_product(p, now.date())) for index, p in enumerate(PRODUCTS)]
        self.notes: dict[int, list[dict]] = {}
        self.searches = 0
        self.notes_fail = False  # set to answer note requests with 500
        self.variations: dict[int, list[dict]] = {}  # product id -> its variations

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._auth])
        base = "/wp-json/wc/v3"
        app.router.add_get(f"{base}/orders", self.list_orders)
        app.router.add_get(f"{base}/orders/{{id:\\d+}}", self.get_order)
        app.router.add_put(f"{base}/orders/{{id:\\d+}}", self.update_order)
        app.router.add_get(f"{base}/orders/{{id:\\d+}}/notes", self.list_notes)
        app.router.add_post(f"{base}/orders/{{id:\\d+}}/notes", self.add_note)
        app.router.add_get(f"{base}/products", self.list_products)
        app.router.add_get(f"{base}/products/{{id:\\d+}}/variations", self.list_variations)
        return app

    def add_real(self) -> "WooCommerceFake":
        """Serve the documentation's order 727, products 794 and 799 and the variations of 799 too."""
        documented = real.order()
        self.orders[documented["id"]] = documented
        self.products += real.products()
        self.variations[799] = real.variations()
        return self

    @web.middleware
    async def _auth(self, request: web.Request, handler):
        if request.headers.get("Authorization") != self.auth:
            return _error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        return await handler(request)

    # ---- seed -> WooCommerce shapes -------------------------------------------------------------
    @staticmethod
    def _order_json(order_id: int, index: int, order: Order) -> dict:
        first, _, last = order.customer_name.partition(" ")
        items = [{"id": 300 + index * 10 + position, "name": item.name, "product_id": 100 + position,
                  "quantity": item.quantity, "sku": item.sku,
                  "meta_data": [] if item.returnable else [{"id": 1, "key": "non_returnable", "value": "yes",
                                                           "display_key": "non_returnable", "display_value": "yes"}]}
                 for position, item in enumerate(order.items)]
        meta = []
        if order.tracking_number and order.status is not OrderStatus.PACKED:
            shipped = order.placed_at.timestamp() + 86400
            meta.append({"id": 10, "key": "_wc_shipment_tracking_items", "value": [{
                "tracking_provider": "", "custom_tracking_provider": order.carrier,
                "custom_tracking_link": order.tracking_url, "tracking_number": order.tracking_number,
                "date_shipped": str(int(shipped)), "tracking_id": f"{index:032x}"}]})
        returned = [str(line["id"]) for line, item in zip(items, order.items) if item.fully_returned]
        if returned and order.status is not OrderStatus.RETURNED:
            meta.append({"id": 11, "key": "chatbot_returns", "value": [{
                "id": f"R-{order.number}-1", "order_number": order.number, "item_ids": returned, "reason": "",
                "kind": "refund", "state": "refunded", "created_at": _gmt(order.delivered_at)}]})
        completed = order.status in (OrderStatus.DELIVERED, OrderStatus.RETURNED)
        return {
            "id": order_id, "number": order.number, "status": STATUSES[order.status],
            "date_created_gmt": _gmt(order.placed_at),
            "date_completed_gmt": _gmt(order.delivered_at) if completed else None,
            "billing": {"first_name": first, "last_name": last, "email": order.customer_email,
                        "phone": order.customer_phone, "country": order.country},
            "shipping": {"first_name": first, "last_name": last, "country": order.country, "phone": ""},
            "line_items": items, "meta_data": meta, "refunds": [],
        }

    @staticmethod
    def _product_json(index: int, product) -> dict:
        managed = product.sku != "NV-GC-09"  # the gift card's stock is not managed
        status = "instock" if product.in_stock > 0 else "onbackorder" if product.restock_date else "outofstock"
        meta = [{"id": 50 + index, "key": "restock_date", "value": product.restock_date.isoformat()}] \
            if product.restock_date else []
        return {"id": 100 + index, "name": product.name, "sku": product.sku, "manage_stock": managed,
                "stock_quantity": product.in_stock if managed else None, "stock_status": status, "meta_data": meta}

    # ---- handlers ---------------------------------------------------------------------------------
    def _order(self, request: web.Request) -> Optional[dict]:
        return self.orders.get(int(request.match_info["id"]))

    async def get_order(self, request: web.Request) -> web.Response:
        order = self._order(request)
        if order is None:
            return _error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        return web.json_response(order)

    async def list_orders(self, request: web.Request) -> web.Response:
        self.searches += 1
        term = request.query.get("search", "").casefold()
        found = [o for o in self.orders.values()
                 if term in o["number"].casefold() or term in o["billing"]["email"].casefold()]
        per_page = int(request.query.get("per_page", "10"))
        return web.json_response(found[:per_page], headers={
            "X-WP-Total": str(len(found)), "X-WP-TotalPages": str(max(1, math.ceil(len(found) / per_page)))})

    async def update_order(self, request: web.Request) -> web.Response:
        order = self._order(request)
        if order is None:
            return _error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        for entry in (await request.json()).get("meta_data", []):
            existing = next((m for m in order["meta_data"] if m["key"] == entry["key"]), None)
            if existing:
                existing["value"] = entry["value"]
            else:
                order["meta_data"].append({"id": 100 + len(order["meta_data"]), **entry})
        return web.json_response(order)

    async def list_notes(self, request: web.Request) -> web.Response:
        return web.json_response(self.notes.get(int(request.match_info["id"]), []))

    async def add_note(self, request: web.Request) -> web.Response:
        if self.notes_fail:
            return _error(500, "internal_server_error", "There has been a critical error on this website.")
        if self._order(request) is None:
            return _error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
        body = await request.json()
        notes = self.notes.setdefault(int(request.match_info["id"]), [])
        note = {"id": 900 + len(notes), "author": "WooCommerce", "date_created_gmt": _gmt(datetime.now(timezone.utc)),
                "note": body["note"], "customer_note": bool(body.get("customer_note"))}
        notes.append(note)
        return web.json_response(note, status=201)

    async def list_variations(self, request: web.Request) -> web.Response:
        found = self.variations.get(int(request.match_info["id"]), [])
        return web.json_response(found, headers={"X-WP-Total": str(len(found)), "X-WP-TotalPages": "1"})

    async def list_products(self, request: web.Request) -> web.Response:
        page, per_page = int(request.query.get("page", "1")), int(request.query.get("per_page", "10"))
        return web.json_response(self.products[(page - 1) * per_page: page * per_page], headers={
            "X-WP-Total": str(len(self.products)),
            "X-WP-TotalPages": str(max(1, math.ceil(len(self.products) / per_page)))})
