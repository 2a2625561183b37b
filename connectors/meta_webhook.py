"""What the Messenger and WhatsApp webhooks share: the verification handshake, the signature check on the raw
body, a fast 200 with the work done after it, de-duplication across Rasa instances, and handing each customer's
messages to Rasa one after another."""
from __future__ import annotations

import json
import logging
import time
from typing import Any, Awaitable, Callable, Optional

from redis.asyncio import Redis
from redis.exceptions import RedisError
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.activity import record_inbound
from bot.channels.dedup import first_delivery
from bot.channels.inbound import Inbound, InboundMessage, log_notices
from bot.channels.serial import SerialRunner
from bot.channels.signature import handshake_challenge, valid_signature
from bot.channels.window import STANDARD_WINDOW_SECONDS
from bot.handoff.queue import TicketQueue
from bot.settings import Settings

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 3 * 1024 * 1024  # WhatsApp's documented maximum payload
SIGNATURE_HEADER = "X-Hub-Signature-256"
SHUTDOWN_GRACE_SECONDS = 5.0
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class MetaWebhookInput(InputChannel):
    """Subclasses say how to read a payload, what the customer metadata is and how to reply."""

    def __init__(self, app_secret: str, verify_token: str, accepting: bool) -> None:
        self.app_secret = app_secret if accepting else ""  # no secret: every delivery is refused
        self.verify_token = verify_token
        self.inbound = SerialRunner(f"{self.name()} inbound")
        self.outbound = SerialRunner(f"{self.name()} outbound")
        self._redis: Optional[Redis] = None
        if not accepting:
            logger.info("%s is not configured (no app secret or access token): its webhook answers 403",
                        self.name())

    # ---- what each channel provides ----------------------------------------------------------------------------
    def parse(self, payload: Any) -> Inbound:
        raise NotImplementedError

    async def customer_metadata(self, message: InboundMessage) -> dict[str, Any]:
        raise NotImplementedError

    def acknowledge(self, message: InboundMessage, typing: bool) -> None:
        """Queue the read marker (and the typing indicator when the bot will answer) before the reply."""
        raise NotImplementedError

    def reply_channel(self) -> OutputChannel:
        raise NotImplementedError

    async def close(self) -> None:
        """Release the channel's HTTP session."""

    # ---- shared ------------------------------------------------------------------------------------------------
    def redis(self) -> Redis:
        """One connection pool per process, created inside the server's event loop."""
        if self._redis is None:
            settings = Settings()
            self._redis = Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db,
                                socket_connect_timeout=2, socket_timeout=5)
        return self._redis

    def get_output_channel(self) -> Optional[OutputChannel]:
        return self.reply_channel()

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint(f"{self.name()}_webhook", __name__)

        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def verify(request: Request) -> HTTPResponse:
            challenge = handshake_challenge(request.args.get("hub.mode"), request.args.get("hub.verify_token"),
                                            request.args.get("hub.challenge"), self.verify_token)
            if challenge is None:
                return response.text("forbidden", status=403)
            return response.text(challenge, status=200)

        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        async def stop(*_: Any) -> None:
            await self.inbound.drain(SHUTDOWN_GRACE_SECONDS)
            await self.outbound.drain(SHUTDOWN_GRACE_SECONDS)
            await self.close()
            if self._redis is not None:
                await self._redis.close()

        webhook.add_route(health, "/", methods=["GET"])
        webhook.add_route(verify, "/webhook", methods=["GET"])
        webhook.add_route(receive, "/webhook", methods=["POST"])
        webhook.listener("after_server_stop")(stop)
        return webhook

    async def receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        """Check, de-duplicate and queue; answer at once (Meta retries what is not answered within seconds)."""
        body = request.body or b""
        if len(body) > MAX_BODY_BYTES:
            return response.text("payload too large", status=413)
        if not valid_signature(body, request.headers.get(SIGNATURE_HEADER), self.app_secret):
            logger.warning("%s webhook: refused a delivery without a valid signature (from %s)", self.name(),
                           request.ip)
            return response.text("invalid signature", status=403)
        try:
            payload = json.loads(body)
        except ValueError:
            return response.text("the body is not JSON", status=400)
        if not isinstance(payload, dict):
            return response.text("the body must be a JSON object", status=400)
        inbound = self.parse(payload)
        log_notices(self.name(), inbound.notices, logger)
        try:
            fresh = [message for message in sorted(inbound.messages, key=lambda m: m.timestamp or 0)
                     if await first_delivery(self.redis(), self.name(), message.message_id)]
        except RedisError:
            logger.error("%s webhook: Redis unavailable, asking Meta to deliver again later", self.name())
            return response.text("try again later", status=503)
        for message in fresh:
            self.inbound.submit(message.sender_id, lambda message=message: self.handle(message, on_new_message))
        return response.text("EVENT_RECEIVED")

    async def handle(self, message: InboundMessage, on_new_message: OnNewMessage) -> None:
        """After the 200: note the customer's activity, show that we read it, and let Rasa answer."""
        redis = self.redis()
        try:
            await record_inbound(redis, self.name(), message.sender_id, message.timestamp)
            with_person = await TicketQueue(redis).open_ticket(message.sender_id) is not None
        except RedisError:
            logger.warning("%s: could not record the customer's activity (Redis unavailable)", self.name())
            with_person = False
        if message.timestamp and time.time() - message.timestamp > STANDARD_WINDOW_SECONDS:
            logger.info("%s: dropped a message older than 24 hours (%s), too late to answer", self.name(),
                        message.message_id)
            return
        self.acknowledge(message, typing=message.answered and not with_person)
        metadata = await self.customer_metadata(message)
        await on_new_message(UserMessage(
            message.rasa_text, self.reply_channel(), message.sender_id, input_channel=self.name(),
            message_id=message.message_id, metadata=metadata,
        ))
