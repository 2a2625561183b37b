"""A switch that makes the demo order system misbehave, to try (and test) the assistant's failure path.

    POST /api/admin/outage  {"mode": "down" | "slow" | "garbage" | "off", "seconds": 300}

`down` answers 503, `slow` hangs for the whole outage before answering 503, `garbage` answers 200 with HTML instead
of JSON; the outage ends by itself after `seconds`. Needs the API key like every /api request.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Awaitable, Callable

from aiohttp import web

MODES = ("off", "down", "slow", "garbage")
ADMIN_PATH = "/api/admin/outage"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Outage:
    mode: str = "off"
    until: float = 0.0

    def active(self) -> bool:
        return self.mode != "off" and time.monotonic() < self.until


OUTAGE = web.AppKey("outage", Outage)


@web.middleware
async def misbehave(request: web.Request, handler: Handler) -> web.StreamResponse:
    outage = request.app[OUTAGE]
    if not request.path.startswith("/api/") or request.path == ADMIN_PATH or not outage.active():
        return await handler(request)
    if outage.mode == "garbage":
        return web.Response(text="<html><body>502 Bad Gateway</body></html>", content_type="application/json")
    if outage.mode == "slow":
        await asyncio.sleep(max(0.0, outage.until - time.monotonic()))
    return web.json_response({"error": "unavailable"}, status=503)


async def set_outage(request: web.Request) -> web.Response:
    try:
        body = await request.json()
        mode, seconds = str(body.get("mode", "")), float(body.get("seconds", 300))
    except (ValueError, AttributeError, TypeError):
        raise web.HTTPBadRequest(text='body must be JSON like {"mode": "down", "seconds": 60}')
    if mode not in MODES or not 0 < seconds <= 3600:
        raise web.HTTPBadRequest(text=f"mode must be one of {', '.join(MODES)}; seconds between 0 and 3600")
    outage = request.app[OUTAGE]
    outage.mode, outage.until = mode, time.monotonic() + seconds
    return web.json_response({"mode": mode, "seconds": seconds})


def add_outage_switch(app: web.Application) -> None:
    app[OUTAGE] = Outage()
    app.middlewares.append(misbehave)
    app.router.add_post(ADMIN_PATH, set_outage)
