"""What the Messenger and WhatsApp webhooks share: the verification handshake, the signature check on the raw
body, a 200 only once each new message is durable in the intake stream, and processing from that stream (once per
message id, in each customer's order, on whichever Rasa replica is alive: `bot/intake/`)."""
from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any, Awaitable, Callable, Optional, Union

from redis.asyncio import Redis
from redis.exceptions import RedisError
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.activity import record_inbound
from bot.channels.customer import international_phone
from bot.channels.inbound import MAX_TEXT_LENGTH, Inbound, InboundMessage, log_notices
from bot.channels.referrals import PendingReferrals
from bot.channels.serial import SerialRunner
from bot.channels.signature import handshake_challenge, valid_signature
from bot.channels.window import STANDARD_WINDOW_SECONDS
from bot.handoff.queue import TicketQueue
from bot.jsonbody import BadBody, parse_object
from bot.intake.consumer import Outcome, Sending
from bot.intake.stream import Entry
from bot.intake.texts import busy_message, failed_message, too_long_message
from connectors.intake import DONE, NEW, Intake
from connectors.turns import Turn, TurnOutput

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
        self.outbound = SerialRunner(f"{self.name()} outbound")
        self.intake = Intake(self.name())
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
        """The process's Redis client (bot.redis_connection), created inside the server's event loop."""
        return self.intake.redis()

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
            return await self.receive(request)

        async def stop(*_: Any) -> None:
            await self.outbound.drain(SHUTDOWN_GRACE_SECONDS)
            await self.close()

        webhook.add_route(health, "/", methods=["GET"])
        webhook.add_route(verify, "/webhook", methods=["GET"])
        webhook.add_route(receive, "/webhook", methods=["POST"])
        self.intake.attach(webhook, self.process, self.dead_letter)
        webhook.listener("after_server_stop")(stop)
        return webhook

    async def receive(self, request: Request) -> HTTPResponse:
        """Check the signature, make each new message durable (the intake stream), then answer 200.

        When Redis is down the customer is told in their language that we are busy, the message is kept in memory
        and appended when Redis is back, and Meta is answered 503 so that it delivers again (answered once).
        """
        body = request.body or b""
        if len(body) > MAX_BODY_BYTES:
            return response.text("payload too large", status=413)
        if not valid_signature(body, request.headers.get(SIGNATURE_HEADER), self.app_secret):
            logger.warning("%s webhook: refused a delivery without a valid signature (from %s)", self.name(),
                           request.ip)
            return response.text("invalid signature", status=403)
        try:
            payload = parse_object(body)
        except BadBody as error:
            return response.text(str(error), status=400)
        inbound = self.parse(payload)
        log_notices(self.name(), inbound.notices, logger)
        await self.keep_referrals(inbound)
        accepted = True
        for message in sorted(inbound.messages, key=lambda m: m.timestamp or 0):
            try:
                if await self.intake.processed(message.message_id):
                    continue  # Meta delivered it again after we answered it
            except RedisError:
                pass
            if await self.intake.accept(message.sender_id, message.message_id, message_to_data(message)) is None:
                accepted = False
                await self.tell_busy(message)
        if not accepted:
            return response.text("try again later", status=503)
        return response.text("EVENT_RECEIVED")

    async def keep_referrals(self, inbound: Inbound) -> None:
        """Referrals that came on their own wait in Redis for the customer's next message."""
        try:
            for sender_id, referral in inbound.referrals.items():
                await PendingReferrals(self.redis()).keep(self.name(), sender_id, referral)
        except RedisError:
            logger.warning("%s webhook: a referral could not be kept (Redis unavailable)", self.name())

    async def tell_busy(self, message: InboundMessage) -> None:
        """The short "busy, we will answer shortly" message, in the customer's language, at most once per outage."""
        if not message.answered or not self.intake.should_tell_busy(message.sender_id):
            return
        language = await self.intake.language(message.text, customer_hint(message))
        await self.reply_channel().send_response(message.sender_id, busy_message(language, message.text))

    async def process(self, entry: Entry) -> Union[Outcome, Sending]:
        """One message from the intake stream, in the customer's order: answered once, or kept for later."""
        message = message_from_data(entry.data)
        status = await self.intake.status(message.sender_id, message.message_id)
        if status == DONE:
            return Outcome.DONE
        if status == NEW:
            if message.too_long:
                await self.refuse_too_long(message)
                return Outcome.DONE
            if not await self.intake.action_server_up():
                await self.tell_busy(message)
                return Outcome.LATER
            turn = Turn(message.message_id)
            if await self.handle(message, turn):
                if turn.silent_after_a_bug:
                    await self.say_sorry(message.sender_id, message.text)
                if not turn.failed:
                    return Sending(turn.sent())
                await turn.sent()
                await self.tell_busy(message)
                return Outcome.LATER
        return await self.finish_saved(message)

    async def finish_saved(self, message: InboundMessage) -> Union[Outcome, Sending]:
        """The message's turn is in the tracker: resume it when an action did not run (once the action server is
        back), then send the replies not confirmed sent (a replica died between saving the turn and sending)."""
        pending = await self.intake.marks().resume(message.message_id)
        if pending is not None:
            if not pending.due() or not await self.intake.action_server_up():
                await self.tell_busy(message)
                return Outcome.LATER
            turn = await self.intake.resume(message.sender_id, message.message_id, self.turn_output)
            if turn is not None:
                if not turn.failed:
                    return Sending(turn.sent())
                await turn.sent()
                await self.tell_busy(message)
                return Outcome.LATER
        if message.timestamp and time.time() - message.timestamp > STANDARD_WINDOW_SECONDS:
            return Outcome.DONE
        replies, sent = await self.intake.unsent(message.sender_id, message.message_id)
        if replies:
            logger.warning("%s: %d reply(ies) of a saved turn were not confirmed sent; sending them now", self.name(),
                           len(replies))
            turn = Turn(message.message_id, next_index=sent)
            output = self.turn_output(turn)
            for reply in replies:
                await output.send_response(message.sender_id, reply)
            return Sending(turn.sent())
        return Outcome.DONE

    def turn_output(self, turn: Turn) -> TurnOutput:
        """The reply channel for a turn: after each reply is sent (or given up), the count sent is kept in Redis."""
        inner = self.reply_channel()

        async def on_sent(recipient_id: str, index: int) -> None:
            turn.last_send = self.outbound.submit(
                recipient_id, lambda: self.intake.marks().mark_sent(turn.message_id, index + 1))

        return TurnOutput(inner, turn, on_sent)

    async def refuse_too_long(self, message: InboundMessage) -> None:
        """Longer than we read (as on the web chat): not passed to the bot, the customer is asked in their language
        to say it in fewer words; nothing is cut without telling them."""
        logger.warning("%s: a message longer than %d characters was not read; the customer was asked to shorten it",
                       self.name(), MAX_TEXT_LENGTH)
        try:
            await record_inbound(self.redis(), self.name(), message.sender_id, message.timestamp)
        except RedisError:
            logger.warning("%s: could not record the customer's activity (Redis unavailable)", self.name())
        self.acknowledge(message, typing=False)
        language = await self.intake.language(message.text, customer_hint(message))
        await self.reply_channel().send_response(message.sender_id, too_long_message(language, message.text))

    async def dead_letter(self, sender: str, message_id: str, data: dict[str, Any]) -> None:
        """A message that failed every attempt: say sorry and offer a person (the operator sees the dead letter)."""
        await self.say_sorry(sender, str(data.get("text") or ""))

    async def say_sorry(self, sender: str, text: str) -> None:
        """Sorry, something went wrong on our side, and the offer of a person, in the customer's language."""
        language = await self.intake.language(text, phone_hint(self.name(), sender))
        await self.reply_channel().send_response(sender, failed_message(language, text))

    async def handle(self, message: InboundMessage, turn: Turn) -> bool:
        """Note the customer's activity, show that we read it, and let Rasa answer; False when another replica
        saved this message's turn meanwhile."""
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
            return True
        self.acknowledge(message, typing=message.answered and not with_person)
        metadata = await self.customer_metadata(message)
        return await self.intake.handle_once(UserMessage(
            message.rasa_text, self.turn_output(turn), message.sender_id, input_channel=self.name(),
            message_id=message.message_id, metadata=metadata,
        ), turn)


def message_to_data(message: InboundMessage) -> dict[str, Any]:
    """What the intake stream keeps of a message (JSON), enough to rebuild it on any replica."""
    return dataclasses.asdict(message)


def message_from_data(data: dict[str, Any]) -> InboundMessage:
    known = {f.name: f for f in dataclasses.fields(InboundMessage)}
    values = {name: tuple(value) if isinstance(value, list) and str(known[name].type).startswith("tuple") else value
              for name, value in data.items() if name in known}
    return InboundMessage(**values)


def customer_hint(message: InboundMessage) -> Optional[dict[str, Any]]:
    """A language hint that needs no network: the phone Meta gave, else the WhatsApp id when it is a number."""
    return phone_hint(message.channel, str(message.details.get("phone_number") or message.sender_id))


def phone_hint(channel: str, number: str) -> Optional[dict[str, Any]]:
    """A WhatsApp number's calling code as a language hint (none for a username-only id or another channel)."""
    return {"phone": international_phone(number)} if channel == "whatsapp" else None
