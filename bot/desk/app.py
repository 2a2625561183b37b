"""`init_app(settings)`: the one factory the CLI and the tests use."""
from __future__ import annotations

from typing import AsyncIterator

import aiohttp
from aiohttp import web

from bot.desk import chat
from bot.desk.keys import HTTP, SETTINGS
from bot.settings import Settings


async def _http_client(app: web.Application) -> AsyncIterator[None]:
    app[HTTP] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
    yield
    await app[HTTP].close()


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def init_app(settings: Settings) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[SETTINGS] = settings
    app.cleanup_ctx.append(_http_client)
    app.router.add_get("/healthz", healthz)
    chat.add_routes(app)
    return app
