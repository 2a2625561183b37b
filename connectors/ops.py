"""Operations endpoints inside Rasa, through Rasa's own extension point (an input channel that receives no
messages): /webhooks/ops/healthz (the process answers), /webhooks/ops/readyz (Redis reachable and the model
loaded), /webhooks/ops/metrics (Prometheus). It also sends Rasa's logs through bot.logging_setup before the
server starts. Listed in credentials.yml as `connectors.ops.OpsInput`."""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import InputChannel, UserMessage
from redis.asyncio import Redis
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import logging_setup, metrics
from bot.health import redis_ready
from bot.redis_connection import redis_client


class OpsInput(InputChannel):
    def __init__(self) -> None:
        self._redis: Optional[Redis] = None

    @classmethod
    def name(cls) -> str:
        return "ops"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> "OpsInput":
        return cls()

    def redis(self) -> Redis:
        if self._redis is None:
            self._redis = redis_client()
        return self._redis

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        ops = Blueprint("ops_webhook", __name__)

        async def healthz(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def readyz(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"status": "not ready", "reason": "no model loaded"}, status=503)
            reachable, reason = await redis_ready(self.redis(), "rasa")
            return response.json({"status": "ok" if reachable else "not ready", "reason": reason},
                                 status=200 if reachable else 503)

        async def scrape(request: Request) -> HTTPResponse:
            return response.raw(metrics.exposition(), content_type=metrics.CONTENT_TYPE)

        async def configure_logging(*_: Any) -> None:
            logging_setup.configure("rasa")

        async def close(*_: Any) -> None:
            if self._redis is not None:
                await self._redis.close()

        ops.add_route(healthz, "/healthz", methods=["GET"])
        ops.add_route(readyz, "/readyz", methods=["GET"])
        ops.add_route(scrape, "/metrics", methods=["GET"])
        ops.listener("before_server_start")(configure_logging)
        ops.listener("after_server_stop")(close)
        return ops
