"""The demo order system's /healthz, /readyz and /metrics, by the conventions of `bot.metrics` (names `shop_*`).

Requests are counted per route template (`/api/orders/{number}`, never the order number itself) and answer
status, with their time; an outage switched on by `/api/admin/outage` shows as `shop_orders_outage` {mode}.
"""
from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Awaitable, Callable

from aiohttp import web
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily

from bot import metrics

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

REQUESTS = Counter("shop_orders_requests", "Requests to the demo order system", ["route", "status"])
REQUEST_SECONDS = Histogram("shop_orders_request_seconds", "Time to answer a request to the demo order system",
                            ["route"], buckets=_SECONDS)
UNMATCHED = "unmatched"  # any path the app does not serve: one label, whatever was asked


def route_of(request: web.Request) -> str:
    """The route template that served the request (bounded label values, no order numbers or tokens)."""
    resource = request.match_info.route.resource if request.match_info.route else None
    return resource.canonical if resource is not None else UNMATCHED


@web.middleware
async def count(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Outermost middleware: counts every answer, also refusals (401) and outage answers (503)."""
    started = time.perf_counter()
    status = 500
    try:
        answer = await handler(request)
        status = answer.status
        return answer
    except web.HTTPException as error:
        status = error.status
        raise
    finally:
        route = route_of(request)
        REQUESTS.labels(route, str(status)).inc()
        REQUEST_SECONDS.labels(route).observe(time.perf_counter() - started)


def add_routes(app: web.Application, ready: Callable[[], None], outage_mode: Callable[[], str]) -> None:
    """`ready()` raises when the database cannot be read; `outage_mode()` is "off" or the active outage."""

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        try:
            await asyncio.to_thread(ready)
        except (sqlite3.Error, OSError) as error:
            return web.json_response({"status": "not ready", "reason": type(error).__name__}, status=503)
        return web.json_response({"status": "ok"})

    async def scrape(request: web.Request) -> web.Response:
        outage = GaugeMetricFamily("shop_orders_outage", "1 while a simulated outage of the demo shop is on",
                                   labels=["mode"])
        mode = outage_mode()
        for name in ("down", "slow", "garbage"):
            outage.add_metric([name], 1 if mode == name else 0)
        return web.Response(body=metrics.exposition([outage]), headers={"Content-Type": metrics.CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", scrape)
