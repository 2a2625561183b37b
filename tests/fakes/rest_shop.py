"""A shop's own order API shaped unlike the demo one, for the generic REST adapter; seeded from the demo data.

    GET  /v2/orders?ref=10482     {"data": {"orders": [...]}} (a search: an empty list when nothing matches)
    POST /v2/rma                  {"order": {"ref"}, "lines": [...], "why", "resolution"} -> 201 {"data": {"rma": ...}}
    GET  /v2/rma/{rmaNo}          {"data": {"rma": ...}} or 404
    GET  /v2/catalog?page=&limit= {"data": {"items": [...]}}, pages in the X-Total-Pages header
Bearer-token auth (`Authorization: Bearer <token>`); states in capitals (IN_TRANSIT, WITH_COURIER, VOID...).
"""
from __future__ import annotations

import math
from datetime import datetime

from aiohttp import web

from bot.orders.demo_server.seed import ORDERS, PRODUCTS, dated_order, dated_product
from bot.orders.model import Order, OrderStatus

STATES = {"pending": "NEW", "packed": "PICKING", "shipped": "IN_TRANSIT", "out_for_delivery": "WITH_COURIER",
          "delivered": "DELIVERED", "cancelled": "VOID", "returned": "RETURNED"}

# The adapter's description of this API (what REST_ORDERS_CONFIG would hold).
CONFIG = {
    "urls": {"order": "{base}/v2/orders?ref={number}", "create_return": "{base}/v2/rma",
             "find_return": "{base}/v2/rma/{case_id}", "products": "{base}/v2/catalog"},
    "headers": {"Authorization": "Bearer {api_key}"},
    "order": {
        "path": "data.orders",
        "fields": {"number": "ref", "id": "uuid", "status": "state", "customer_email": "buyer.contact.mail",
                   "customer_phone": "buyer.contact.mobile", "customer_name": "buyer.fullName", "country": "shipTo.cc",
                   "placed_at": "created", "delivered_at": "deliveredOn", "carrier": "parcel.courier",
                   "tracking_number": "parcel.code", "tracking_url": "parcel.link", "expected_delivery": "parcel.eta"},
        "status_map": {theirs: ours for ours, theirs in STATES.items()},
        "items": "lines",
        "item_fields": {"id": "lineId", "name": "title", "quantity": "qty", "sku": "article",
                        "returnable": "!finalSale", "returned_quantity": "qtyReturned"},
    },
    "returns": {
        "request": {"order": {"ref": "{order_number}"}, "lines": "{item_ids}", "why": "{reason}",
                    "resolution": "{kind}"},
        "path": "data.rma",
        "fields": {"id": "rmaNo", "order_number": "orderRef", "item_ids": "lines", "reason": "why",
                   "kind": "resolution", "state": "status", "label_url": "labelPdf", "created_at": "openedAt"},
        "kind_map": {"refund": "MONEY_BACK", "replacement": "SWAP"},
        "state_map": {"OPEN": "requested", "RECEIVED": "received", "PAID_BACK": "refunded"},
    },
    "products": {
        "path": "data.items",
        "pagination": {"style": "page", "page_param": "page", "size_param": "limit", "size": 4,
                       "total_pages_header": "X-Total-Pages"},
        "fields": {"sku": "article", "name": "title", "in_stock": "stock.available", "restock_date": "backInStock",
                   "names": "i18n"},
    },
}


class RestShopFake:
    def __init__(self, now: datetime, token: str = "rest-token") -> None:
        self.token = token
        self.orders = {seed.number: dated_order(seed, now) for seed in ORDERS}
        self.products = [dated_product(product, now.date()) for product in PRODUCTS]
        self.rmas: dict[str, dict] = {}

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._auth])
        app.router.add_get("/v2/orders", self.search_orders)
        app.router.add_post("/v2/rma", self.open_rma)
        app.router.add_get("/v2/rma/{rma}", self.get_rma)
        app.router.add_get("/v2/catalog", self.catalog)
        return app

    @web.middleware
    async def _auth(self, request: web.Request, handler):
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response({"message": "invalid token"}, status=401)
        return await handler(request)

    def _order_json(self, order: Order) -> dict:
        in_rma = {line for rma in self.rmas.values() if rma["orderRef"] == order.number for line in rma["lines"]}
        return {
            "ref": order.number, "uuid": f"ord_{order.number}", "state": STATES[order.status.value],
            "buyer": {"fullName": order.customer_name,
                      "contact": {"mail": order.customer_email, "mobile": order.customer_phone}},
            "shipTo": {"cc": order.country}, "created": order.placed_at.isoformat(),
            "deliveredOn": order.delivered_at.isoformat() if order.delivered_at else None,
            "parcel": {"courier": order.carrier, "code": order.tracking_number, "link": order.tracking_url,
                       "eta": order.expected_delivery.isoformat() if order.expected_delivery else None},
            "lines": [{"lineId": item.id, "title": item.name, "qty": item.quantity, "article": item.sku,
                       "finalSale": not item.returnable,
                       "qtyReturned": item.quantity if item.id in in_rma else item.returned_quantity}
                      for item in order.items],
        }

    async def search_orders(self, request: web.Request) -> web.Response:
        ref = request.query.get("ref", "").casefold()
        found = [self._order_json(o) for number, o in self.orders.items() if number.casefold() == ref]
        return web.json_response({"data": {"orders": found}})

    async def open_rma(self, request: web.Request) -> web.Response:
        body = await request.json()
        order = self.orders.get(body["order"]["ref"])
        if order is None:
            return web.json_response({"code": "UNKNOWN_ORDER"}, status=404)
        if order.status is not OrderStatus.DELIVERED:
            return web.json_response({"code": "NOT_DELIVERED"}, status=422)
        rma = {"rmaNo": f"RMA-{len(self.rmas) + 1:06d}", "orderRef": order.number, "lines": body["lines"],
               "why": body["why"], "resolution": body["resolution"], "status": "OPEN",
               "labelPdf": f"https://labels.example.com/rma/{len(self.rmas) + 1}.pdf",
               "openedAt": "2025-03-20T10:00:00Z"}
        self.rmas[rma["rmaNo"]] = rma
        return web.json_response({"data": {"rma": rma}}, status=201)

    async def get_rma(self, request: web.Request) -> web.Response:
        rma = self.rmas.get(request.match_info["rma"].upper())
        return web.json_response({"data": {"rma": rma}}) if rma else web.json_response({"code": "NONE"}, status=404)

    async def catalog(self, request: web.Request) -> web.Response:
        page, limit = int(request.query.get("page", "1")), int(request.query.get("limit", "10"))
        chunk = self.products[(page - 1) * limit: page * limit]
        items = [{"article": p.sku, "title": p.name, "stock": {"available": p.in_stock},
                  "backInStock": p.restock_date.isoformat() if p.restock_date else None,
                  "i18n": {lang: names[0] for lang, names in p.names.items()}} for p in chunk]
        return web.json_response({"data": {"items": items}},
                                 headers={"X-Total-Pages": str(math.ceil(len(self.products) / limit))})
