"""`init_app(db_path, api_key)`: the demo order system's JSON API, used by `python -m bot.orders.demo_server` and tests.

    GET  /health, /healthz            {"status": "ok"}                       (no key needed)
    GET  /readyz                      200 once the database is seeded and readable, else 503 (no key needed)
    GET  /metrics                     Prometheus text: requests per route and status, their time, outage (no key)
    GET  /api/orders/{number}         an order, 404 when unknown
    POST /api/returns                 {"order_number", "item_ids", "reason", "kind", "quantities"?} -> 201 a return
                                      case (`quantities`: {item id: units} for part of a line);
                                      409 {"error": <eligibility reason>} when the items cannot go back
    GET  /api/returns/{case_id}       a return case, 404 when unknown
    GET  /api/products?page=&per_page=  {"products": [...], "page", "pages", "next_page"}
    GET  /labels/{token}              the printable return label of a case (the link is the secret)
    POST /api/admin/outage            make it misbehave for a while (bot/orders/demo_server/outage.py)

Every /api request needs the header `X-Api-Key`.
"""
from __future__ import annotations

import asyncio
import hmac
import html
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Awaitable, Callable, Optional

from aiohttp import web

from bot.orders.demo_server import observe
from bot.orders.demo_server.outage import OUTAGE, add_outage_switch
from bot.orders.demo_server.store import DemoStore, ReturnRefused
from bot.orders.model import Order, Product, ReturnCase, ReturnKind

API_KEY_HEADER = "X-Api-Key"
STORE = web.AppKey("store", DemoStore)
API_KEY = web.AppKey("api_key", str)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def init_app(db_path: Path, api_key: str, now: Optional[Callable[[], datetime]] = None,
             return_window_days: int = 30) -> web.Application:
    app = web.Application(middlewares=[observe.count, _require_key], client_max_size=64 * 1024)
    app[STORE] = DemoStore(Path(db_path), now or (lambda: datetime.now(timezone.utc)), return_window_days)
    app[API_KEY] = api_key
    app.on_startup.append(_prepare)
    app.router.add_get("/health", health)
    app.router.add_get("/api/orders/{number}", get_order)
    app.router.add_post("/api/returns", create_return)
    app.router.add_get("/api/returns/{case_id}", get_return)
    app.router.add_get("/api/products", list_products)
    app.router.add_get("/labels/{token}", label)
    add_outage_switch(app)
    observe.add_routes(app, app[STORE].ping,
                       lambda: app[OUTAGE].mode if app[OUTAGE].active() else "off")
    return app


async def _prepare(app: web.Application) -> None:
    await asyncio.to_thread(app[STORE].prepare)


@web.middleware
async def _require_key(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path.startswith("/api/"):
        given = request.headers.get(API_KEY_HEADER, "")
        if not hmac.compare_digest(given.encode(), request.app[API_KEY].encode()):
            return _error(401, "unauthorized")
    return await handler(request)


def _error(status: int, code: str) -> web.Response:
    return web.json_response({"error": code}, status=status)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def get_order(request: web.Request) -> web.Response:
    order = await asyncio.to_thread(request.app[STORE].order, request.match_info["number"])
    return web.json_response(order_json(order)) if order else _error(404, "not_found")


async def create_return(request: web.Request) -> web.Response:
    try:
        body = await request.json()
        number, item_ids = body["order_number"], body["item_ids"]
        reason, kind = str(body.get("reason", "")), ReturnKind(body.get("kind", "refund"))
        quantities = body.get("quantities") or {}
        valid = isinstance(number, str) and isinstance(item_ids, list) and all(isinstance(i, str) for i in item_ids)
        valid = valid and isinstance(quantities, dict) and all(
            isinstance(units, int) and not isinstance(units, bool) and units > 0 for units in quantities.values())
    except (ValueError, KeyError, TypeError):
        valid = False
    if not valid:
        return _error(400, "bad_request")
    try:
        case = await asyncio.to_thread(request.app[STORE].create_return, number, item_ids, reason, kind, quantities)
    except ReturnRefused as refusal:
        return _error(409, refusal.reason)
    if case is None:
        return _error(404, "not_found")
    return web.json_response(return_json(case, request), status=201)


async def get_return(request: web.Request) -> web.Response:
    case = await asyncio.to_thread(request.app[STORE].find_return, request.match_info["case_id"])
    return web.json_response(return_json(case, request)) if case else _error(404, "not_found")


async def list_products(request: web.Request) -> web.Response:
    try:
        page = max(1, int(request.query.get("page", "1")))
        per_page = min(100, max(1, int(request.query.get("per_page", "20"))))
    except ValueError:
        return _error(400, "bad_request")
    products = await asyncio.to_thread(request.app[STORE].products)
    pages = max(1, math.ceil(len(products) / per_page))
    chunk = products[(page - 1) * per_page: page * per_page]
    return web.json_response(
        {"products": [product_json(p) for p in chunk], "page": page, "pages": pages,
         "next_page": page + 1 if page < pages else None},
        headers={"X-Total-Count": str(len(products))})


async def label(request: web.Request) -> web.Response:
    case = await asyncio.to_thread(request.app[STORE].return_by_label, request.match_info["token"])
    if case is None:
        raise web.HTTPNotFound()
    return web.Response(content_type="text/html", text=(
        f"<!doctype html><title>Return {html.escape(case.id)}</title>"
        f"<h1>Nordvik Shop returns</h1><p>Case <strong>{html.escape(case.id)}</strong> "
        f"(order {html.escape(case.order_number)}, {len(case.item_ids)} item(s)).</p>"
        "<p>Print this page, put it in the parcel and hand it to any post office or parcel locker.</p>"))


def order_json(order: Order) -> dict:
    return {
        "number": order.number, "id": order.id, "status": order.status.value, "country": order.country,
        "placed_at": order.placed_at.isoformat() if order.placed_at else None,
        "delivered_at": order.delivered_at.isoformat() if order.delivered_at else None,
        "customer": {"name": order.customer_name, "email": order.customer_email, "phone": order.customer_phone},
        "shipment": {"carrier": order.carrier, "tracking_number": order.tracking_number,
                     "tracking_url": order.tracking_url,
                     "expected_delivery": order.expected_delivery.isoformat() if order.expected_delivery else None},
        "items": [{"id": item.id, "name": item.name, "sku": item.sku, "quantity": item.quantity,
                   "returnable": item.returnable, "returned_quantity": item.returned_quantity,
                   "not_returnable_reason": item.not_returnable_reason}
                  for item in order.items],
    }


def return_json(case: ReturnCase, request: web.Request) -> dict:
    return {
        "id": case.id, "order_number": case.order_number, "item_ids": list(case.item_ids), "reason": case.reason,
        "kind": case.kind.value, "state": case.state, "label_url": f"{request.scheme}://{request.host}{case.label_url}",
        "created_at": case.created_at.isoformat() if case.created_at else None,
    }


def product_json(product: Product) -> dict:
    return {"sku": product.sku, "name": product.name, "in_stock": product.in_stock,
            "restock_date": product.restock_date.isoformat() if product.restock_date else None,
            "names": {lang: list(names) for lang, names in product.names.items()}}
