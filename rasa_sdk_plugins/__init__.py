"""rasa-sdk's plugin hook (the package name rasa-sdk looks for): /healthz, /readyz (Redis reachable, actions
loaded) and /metrics on the action server, and its logs through bot.logging_setup."""
from __future__ import annotations

import pluggy
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import logging_setup, metrics
from bot.health import redis_ready
from bot.redis_connection import redis_client

hookimpl = pluggy.HookimplMarker("rasa_sdk")


class _Ops:
    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        logging_setup.configure("actions")
        state: dict = {}

        async def healthz(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def readyz(request: Request) -> HTTPResponse:
            if "redis" not in state:
                state["redis"] = redis_client()
            reachable, reason = await redis_ready(state["redis"], "actions")
            return response.json({"status": "ok" if reachable else "not ready", "reason": reason},
                                 status=200 if reachable else 503)

        async def scrape(request: Request) -> HTTPResponse:
            return response.raw(metrics.exposition(), content_type=metrics.CONTENT_TYPE)

        app.add_route(healthz, "/healthz", methods=["GET"])
        app.add_route(readyz, "/readyz", methods=["GET"])
        app.add_route(scrape, "/metrics", methods=["GET"])


def init_hooks(manager: pluggy.PluginManager) -> None:
    manager.register(_Ops())
