"""A fake Shopify Admin API (one API version), seeded from the demo data in Shopify's own shapes.

REST: `orders.json?name=&status=any`, `products.json` with cursor pages (`Link: <...page_info=...>; rel="next"`),
`products/{id}/metafields.json?namespace=&key=`. GraphQL (`graphql.json`): `returnableFulfillments`, the
`returnRequest` mutation (with `userErrors`) and `return(id:)`. Every call needs `X-Shopify-Access-Token`.
How the demo statuses are written: packed = fulfilled with a printed label, shipped/out for delivery/delivered =
the fulfillment's `shipment_status`, cancelled = `cancelled_at`, returned = refunded; hygiene goods carry the
line-item property `_non_returnable`, gift cards are `gift_card` line items.
"""
from __future__ import annotations

import base64
from datetime import datetime
from typing import Optional

from aiohttp import web

from bot.orders.demo_server.seed import ORDERS, PRODUCTS, dated_order, dated_product
from bot.orders.model import Order, OrderStatus
from tests.fakes import shopify_real as real

SHIPMENT = {OrderStatus.PACKED: "label_printed", OrderStatus.SHIPPED: "in_transit",
            OrderStatus.OUT_FOR_DELIVERY: "out_for_delivery", OrderStatus.DELIVERED: "delivered",
            OrderStatus.RETURNED: "delivered"}


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() if moment else None


class ShopifyFake:
    def __init__(self, now: datetime, token: str = "shpat_test", version: str = "2024-07") -> None:
        self.token, self.version = token, version
        self.orders = [self._order_json(index, dated_order(seed, now)) for index, seed in enumerate(ORDERS)]
        self.products = [self._product_json(index, dated_product(p, now.date()), p.sku)
                         for index, p in enumerate(PRODUCTS)]
        self.returns: dict[str, dict] = {}
        self.graphql_errors: list[dict] = []  # set to answer every GraphQL call with these top-level errors
        self.return_user_errors: list[dict] = []  # set to refuse return requests with these user errors
        self.mutations: list[dict] = []  # the returnRequest inputs received
        self.option_translations: dict[str, dict[str, str]] = {}  # option value -> {locale: translation}

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._auth])
        base = "/admin/api/{version}"
        app.router.add_get(f"{base}/orders.json", self.orders_json)
        app.router.add_get(f"{base}/products.json", self.products_json)
        app.router.add_get(f"{base}/products/{{product_id}}/metafields.json", self.metafields_json)
        app.router.add_get(f"{base}/variants/{{variant_id}}/metafields.json", self.variant_metafields_json)
        app.router.add_post(f"{base}/graphql.json", self.graphql)
        return app

    @web.middleware
    async def _auth(self, request: web.Request, handler):
        if request.headers.get("X-Shopify-Access-Token") != self.token:
            return web.json_response(
                {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}, status=401)
        if request.match_info.get("version") != self.version:
            return web.json_response({"errors": "Not Found"}, status=404)
        return await handler(request)

    # ---- seed -> Shopify shapes ------------------------------------------------------------------
    def _order_json(self, index: int, order: Order) -> dict:
        first, _, last = order.customer_name.partition(" ")
        lines = [{"id": 14_000_000_000 + index * 10 + position, "name": item.name, "title": item.name,
                  "quantity": item.quantity, "sku": item.sku, "gift_card": item.sku == "NV-GC-09",
                  "properties": [] if item.returnable or item.sku == "NV-GC-09"
                  else [{"name": "_non_returnable", "value": "true"}]}
                 for position, item in enumerate(order.items)]
        returned = [(line["id"], item.returned_quantity) for line, item in zip(lines, order.items)
                    if item.returned_quantity]
        fulfillments = [] if order.status in (OrderStatus.PENDING, OrderStatus.CANCELLED) else [{
            "id": 4_000_000_000 + index, "status": "success", "created_at": _iso(order.placed_at),
            "updated_at": _iso(order.delivered_at or order.placed_at), "shipment_status": SHIPMENT[order.status],
            "tracking_company": order.carrier or None, "tracking_number": order.tracking_number or None,
            "tracking_url": order.tracking_url or None, "line_items": lines}]
        if order.status is OrderStatus.PACKED:
            fulfillments[0].update(tracking_company=None, tracking_number=None, tracking_url=None)
        return {
            "id": 5_000_000_000 + index, "name": f"#{order.number}", "email": order.customer_email, "phone": None,
            "created_at": _iso(order.placed_at),
            "cancelled_at": _iso(order.placed_at) if order.status is OrderStatus.CANCELLED else None,
            "financial_status": "refunded" if order.status in (OrderStatus.RETURNED, OrderStatus.CANCELLED)
            else "partially_refunded" if returned else "paid",
            "fulfillment_status": "fulfilled" if fulfillments else None,
            "customer": {"id": 7_000_000 + index, "email": order.customer_email, "first_name": first, "last_name": last,
                         "phone": order.customer_phone if index % 2 == 0 else None},
            "shipping_address": {"name": order.customer_name, "phone": order.customer_phone,
                                 "country_code": order.country},
            "line_items": lines, "fulfillments": fulfillments,
            "refunds": [{"id": 8_000_000 + index, "refund_line_items": [
                {"line_item_id": line_id, "quantity": quantity} for line_id, quantity in returned]}]
            if returned else [],
        }

    @staticmethod
    def _product_json(index: int, product, sku: str) -> dict:
        """A demo product as a product without options (Shopify's one "Default Title" variant)."""
        metafields = [{"id": 30_000 + index, "namespace": "custom", "key": "restock_date", "type": "date",
                       "value": product.restock_date.isoformat()}] if product.restock_date else []
        return {"id": 9_000_000 + index, "title": product.name, "status": "active", "options": [{"name": "Title"}],
                "variants": [{"id": 9_500_000 + index * 10, "title": "Default Title", "option1": "Default Title",
                              "sku": sku, "inventory_management": "shopify",
                              "inventory_quantity": product.in_stock}],
                "_metafields": metafields + [{"id": 40_000 + index, "namespace": "custom", "key": "material",
                                              "type": "single_line_text_field", "value": "cotton"}]}

    def add_real(self) -> "ShopifyFake":
        """Serve the bodies of Shopify's own API client tests too (tests/fixtures/real/shopify)."""
        self.orders += real.orders()
        self.products += real.products()
        return self

    # ---- REST -------------------------------------------------------------------------------------
    async def orders_json(self, request: web.Request) -> web.Response:
        name = request.query.get("name", "").casefold()
        found = [o for o in reversed(self.orders) if (not name or o["name"].casefold() == name)
                 and (request.query.get("status") == "any" or o["cancelled_at"] is None)]
        return web.json_response({"orders": found[:min(250, int(request.query.get("limit", "50")))]})

    async def products_json(self, request: web.Request) -> web.Response:
        limit = min(250, int(request.query.get("limit", "50")))
        page_info = request.query.get("page_info")
        if page_info and set(request.query) - {"limit", "page_info", "fields"}:
            return web.json_response({"errors": {"page_info": ["Invalid value."]}}, status=400)
        start = int(base64.urlsafe_b64decode(page_info)) if page_info else 0
        chunk = [{k: v if k != "variants" else [{vk: vv for vk, vv in variant.items() if vk != "_metafields"}
                                                for variant in v]
                  for k, v in p.items() if k != "_metafields"} for p in self.products[start:start + limit]]
        links = []
        url = f"http://{request.host}{request.path}"
        if start > 0:
            links.append(f'<{url}?limit={limit}&page_info={self._cursor(max(0, start - limit))}>; rel="previous"')
        if start + limit < len(self.products):
            links.append(f'<{url}?limit={limit}&page_info={self._cursor(start + limit)}>; rel="next"')
        return web.json_response({"products": chunk}, headers={"Link": ", ".join(links)} if links else {})

    @staticmethod
    def _cursor(offset: int) -> str:
        return base64.urlsafe_b64encode(str(offset).encode()).decode()

    async def metafields_json(self, request: web.Request) -> web.Response:
        product = next((p for p in self.products if str(p["id"]) == request.match_info["product_id"]), None)
        if product is None:
            return web.json_response({"errors": "Not Found"}, status=404)
        wanted = {k: request.query[k] for k in ("namespace", "key") if k in request.query}
        return web.json_response({"metafields": [m for m in product.get("_metafields", [])
                                                 if all(m[k] == v for k, v in wanted.items())]})

    async def variant_metafields_json(self, request: web.Request) -> web.Response:
        variant = next((v for p in self.products for v in p["variants"]
                        if str(v["id"]) == request.match_info["variant_id"]), None)
        if variant is None:
            return web.json_response({"errors": "Not Found"}, status=404)
        wanted = {k: request.query[k] for k in ("namespace", "key") if k in request.query}
        return web.json_response({"metafields": [m for m in variant.get("_metafields", [])
                                                 if all(m[k] == v for k, v in wanted.items())]})

    # ---- GraphQL ----------------------------------------------------------------------------------
    async def graphql(self, request: web.Request) -> web.Response:
        body = await request.json()
        query, variables = body.get("query", ""), body.get("variables") or {}
        if self.graphql_errors:
            return web.json_response({"errors": self.graphql_errors})
        if "translatableResources" in query:
            return web.json_response({"data": {"translatableResources": self._translations(variables["locale"])}})
        if "returnableFulfillments" in query:
            return web.json_response({"data": {"returnableFulfillments": self._returnable(variables["orderId"])}})
        if "returnRequest" in query:
            return web.json_response({"data": {"returnRequest": self._request_return(variables["input"])}})
        if "return(id:" in query:
            return web.json_response({"data": {"return": self.returns.get(variables["id"])}})
        return web.json_response({"errors": [{"message": "Field doesn't exist",
                                              "extensions": {"code": "undefinedField"}}]})

    def _translations(self, locale: str) -> dict:
        """Option values with the shop's translations (set `option_translations`: {"Black": {"pl": "Czarny"}})."""
        edges = [{"node": {"resourceId": f"gid://shopify/ProductOptionValue/{n}",
                           "translatableContent": [{"key": "name", "value": value, "digest": f"d{n}",
                                                    "locale": "en"}],
                           "translations": [{"key": "name", "value": by_locale[locale], "locale": locale}]
                           if locale in by_locale else []}}
                 for n, (value, by_locale) in enumerate(self.option_translations.items())]
        return {"edges": edges}

    def _order_by_gid(self, gid: str) -> Optional[dict]:
        return next((o for o in self.orders if f"gid://shopify/Order/{o['id']}" == gid), None)

    def _available(self, order: dict) -> dict[str, tuple[int, int]]:
        """Fulfillment line item gid -> (line item id, quantity still returnable)."""
        refunded = {line["line_item_id"]: line["quantity"] for r in order["refunds"] for line in r["refund_line_items"]}
        requested: dict[int, int] = {}
        for ret in self.returns.values():
            for edge in ret["returnLineItems"]["edges"]:
                line_id = int(edge["node"]["fulfillmentLineItem"]["lineItem"]["id"].rsplit("/", 1)[1])
                requested[line_id] = requested.get(line_id, 0) + edge["node"]["quantity"]
        return {f"gid://shopify/FulfillmentLineItem/{line['id'] + 1_000_000}":
                (line["id"], line["quantity"] - refunded.get(line["id"], 0) - requested.get(line["id"], 0))
                for f in order["fulfillments"] for line in f["line_items"] if not line["gift_card"]}

    def _returnable(self, order_gid: str) -> dict:
        order = self._order_by_gid(order_gid)
        lines = [{"node": {"quantity": quantity, "fulfillmentLineItem": {
                     "id": gid, "lineItem": {"id": f"gid://shopify/LineItem/{line_id}"}}}}
                 for gid, (line_id, quantity) in (self._available(order) if order else {}).items() if quantity > 0]
        return {"edges": [{"node": {"id": "gid://shopify/ReturnableFulfillment/1",
                                    "returnableFulfillmentLineItems": {"edges": lines}}}] if lines else []}

    def _request_return(self, data: dict) -> dict:
        self.mutations.append(data)
        if self.return_user_errors:
            return {"return": None, "userErrors": self.return_user_errors}
        order = self._order_by_gid(data["orderId"])
        available = self._available(order) if order else {}
        errors = [{"field": ["input", "returnLineItems", str(n), "quantity"], "code": "INVALID",
                   "message": "Quantity is not available for return."}
                  for n, line in enumerate(data["returnLineItems"])
                  if available.get(line["fulfillmentLineItemId"], (0, 0))[1] < line["quantity"]]
        if errors or not order:
            return {"return": None, "userErrors": errors or [{"field": ["input", "orderId"], "code": "NOT_FOUND",
                                                             "message": "Order does not exist."}]}
        number = len([r for r in self.returns.values() if r["order"]["id"] == data["orderId"]]) + 1
        gid = f"gid://shopify/Return/{945_000_000 + len(self.returns)}"
        self.returns[gid] = {
            "id": gid, "name": f"{order['name']}-R{number}", "status": "REQUESTED",
            "order": {"id": data["orderId"], "name": order["name"]},
            "returnLineItems": {"edges": [{"node": {
                "id": f"gid://shopify/ReturnLineItem/{n}", "quantity": line["quantity"],
                "returnReason": line["returnReason"], "customerNote": line.get("customerNote"),
                "fulfillmentLineItem": {"lineItem": {
                    "id": f"gid://shopify/LineItem/{available[line['fulfillmentLineItemId']][0]}"}}}}
                for n, line in enumerate(data["returnLineItems"])]},
        }
        return {"return": self.returns[gid], "userErrors": []}
