"""`init_app(settings)`: the one factory the CLI and the tests use."""
from __future__ import annotations

from typing import AsyncIterator

import aiohttp
from aiohttp import web
from redis.exceptions import RedisError

from bot.channels.config import channel_credentials
from bot import metrics
from bot.desk import chat, console, live, security, stats
from bot.desk.agents import AgentDirectory
from bot.desk.keys import AGENTS, DELIVERY, HTTP, QUEUE, RASA, REDIS, SETTINGS
from bot.handoff.delivery import Delivery
from bot.health import redis_ready
from bot.handoff.queue import TicketQueue
from bot.rasa_client import RasaClient
from bot.redis_connection import redis_client
from bot.settings import PROJECT_ROOT, Settings
from connectors.agent_delivery import register_senders


async def _clients(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    app[HTTP] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
    app[AGENTS] = AgentDirectory(app[REDIS])
    app[QUEUE] = TicketQueue(app[REDIS])
    app[DELIVERY] = Delivery(app[REDIS])
    credentials = channel_credentials(PROJECT_ROOT / "credentials.yml")
    channel_senders = register_senders(app[DELIVERY], app[REDIS], credentials)  # Messenger, WhatsApp when set
    app[RASA] = RasaClient(app[HTTP], settings.rasa_url, settings.rasa_token)
    yield
    for sender in channel_senders:
        await sender.close()
    await app[HTTP].close()
    await app[REDIS].close()


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready when Redis answers (sessions, queue and transcripts live there)."""
    reachable, reason = await redis_ready(request.app[REDIS], "desk")
    return web.json_response({"status": "ok" if reachable else "not ready", "reason": reason},
                             status=200 if reachable else 503)


async def scrape(request: web.Request) -> web.Response:
    """This process's metrics, and the figures kept in Redis (tickets waiting, intake streams)."""
    try:
        shared = await metrics.redis_figures(request.app[REDIS])
    except (RedisError, OSError):
        metrics.REDIS_ERRORS.labels("desk").inc()
        shared = []
    return web.Response(body=metrics.exposition(shared), headers={"Content-Type": metrics.CONTENT_TYPE})


def init_app(settings: Settings) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[SETTINGS] = settings
    # Connects on first use, inside the server's loop; no socket timeout: websockets block on XREAD.
    app[REDIS] = redis_client(settings, socket_timeout=None)
    app.cleanup_ctx.append(_clients)
    security.setup_sessions(app, app[REDIS], settings.desk_secure_cookies, settings.desk_login_backoff)
    app.middlewares.extend([security.login_wall, security.csrf_guard])
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", scrape)
    chat.add_routes(app)
    security.add_routes(app)
    console.add_routes(app)
    live.add_routes(app)
    stats.add_routes(app)
    return app
