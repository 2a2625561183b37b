"""The web chat's input channel: `connectors.webchat.WebChatInput` in credentials.yml, in place of Rasa's REST
channel, at the same address (/webhooks/rest/webhook) with the same JSON in and out.

What it does differently from Rasa's REST channel:
- it bounds what it reads (`MAX_BODY_BYTES`, `MAX_TEXT_LENGTH`: 413) and refuses a body that is not a JSON object,
  a missing or malformed sender, a message that is not text, and metadata that is not an object (400);
- the message is appended to the intake stream before anything else (`bot/intake/`), processed by whichever
  replica is alive, once, in the customer's order; the request waits for the replies (`REPLY_TIMEOUT_SECONDS`);
- it never answers `200 []`: 200 carries the bot's replies; 202 means the replies come later through the
  conversation's outbox, which the chat page follows (the busy message in the customer's language is in the list
  when a part is down; the list is empty while a person has the conversation).
"""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.intake.consumer import Outcome
from bot.jsonbody import BadBody, parse_object
from bot.intake.replies import deliver_replies, start_waiting, wait_for_replies
from bot.intake.stream import Entry
from bot.intake.texts import busy_message, failed_message, too_long_message
from connectors.intake import DONE, NEW, Intake
from connectors.turns import Turn, TurnOutput

logger = logging.getLogger(__name__)

CHANNEL = "rest"
MAX_BODY_BYTES = 64 * 1024
MAX_TEXT_LENGTH = 5000
REPLY_TIMEOUT_SECONDS = 25.0
_SENDER = re.compile(r"^[A-Za-z0-9_.:@+-]{1,128}$")
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


class BadRequest(Exception):
    """The body cannot be a web chat message; the text says why (for the 4xx answer)."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


class TooLong(BadRequest):
    """A message longer than MAX_TEXT_LENGTH characters."""

    def __init__(self, text: str, metadata: dict[str, Any]) -> None:
        super().__init__(f"message is longer than {MAX_TEXT_LENGTH} characters", 413)
        self.text, self.metadata = text[:500], metadata


def read_message(body: bytes) -> tuple[str, str, dict[str, Any], str]:
    """sender, text, metadata and message id from a request body, or BadRequest."""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(f"the body is larger than {MAX_BODY_BYTES} bytes", 413)
    try:
        payload = parse_object(body)
    except BadBody as error:
        raise BadRequest(f'{error}: {{"sender": ..., "message": ...}}')
    sender, text = payload.get("sender"), payload.get("message")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise BadRequest("sender is required: 1 to 128 letters, digits or _.:@+-")
    if not isinstance(text, str):
        raise BadRequest("message is required and must be a string")
    metadata = payload.get("metadata") or {}
    if not isinstance(metadata, dict):
        raise BadRequest("metadata must be a JSON object")
    if len(text) > MAX_TEXT_LENGTH:
        raise TooLong(text, metadata)
    message_id = payload.get("message_id") or uuid.uuid4().hex
    if not isinstance(message_id, str) or not _MESSAGE_ID.match(message_id):
        raise BadRequest("message_id must be 1 to 100 letters, digits or _.:-")
    return sender, text, metadata, message_id


class WebChatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return CHANNEL

    def __init__(self) -> None:
        self.intake = Intake(CHANNEL)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("web_chat_webhook", __name__)

        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def receive(request: Request) -> HTTPResponse:
            return await self.receive(request)

        webhook.add_route(health, "/", methods=["GET"])
        webhook.add_route(receive, "/webhook", methods=["POST"])
        self.intake.attach(webhook, self.process, self.dead_letter)
        return webhook

    async def receive(self, request: Request) -> HTTPResponse:
        try:
            sender, text, metadata, message_id = read_message(request.body or b"")
        except TooLong as error:  # a clear answer for the customer too, in their language
            language = await self.intake.language(error.text, error.metadata)
            return response.json({"error": str(error), "replies": [too_long_message(language, error.text)]},
                                 status=413)
        except BadRequest as error:
            return response.json({"error": str(error)}, status=error.status)
        try:
            if await self.intake.processed(message_id):
                return response.json([], status=202)  # the same message again: answered already
        except RedisError:
            pass
        data = {"text": text, "metadata": metadata}
        replies = None
        try:
            await start_waiting(self.intake.redis(), message_id)
        except RedisError:
            pass  # accept() keeps it in memory; the replies go to the outbox
        if await self.intake.accept(sender, message_id, data, reply="wait") is not None:
            try:
                replies = await wait_for_replies(self.intake.redis(), message_id, REPLY_TIMEOUT_SECONDS)
            except RedisError:
                replies = None
        if replies is None:  # Redis down, or the answer takes longer: it will come through the outbox
            language = await self.intake.language(text, metadata)
            return response.json([{"recipient_id": sender, **busy_message(language, text)}], status=202)
        later = not replies or any(reply.get("busy") for reply in replies)
        return response.json(replies, status=202 if later else 200)

    async def process(self, entry: Entry) -> Outcome:
        text, metadata = entry.data.get("text"), entry.data.get("metadata") or {}
        if not isinstance(text, str) or not isinstance(metadata, dict):
            raise ValueError("a web chat entry without text")
        status = await self.intake.status(entry.sender, entry.message_id)
        if status == DONE:
            return Outcome.DONE
        if status == NEW:
            if not await self.intake.action_server_up():
                # The waiting request (or the outbox) hears at once that we are busy; the answer follows in the outbox.
                if self.intake.should_tell_busy(entry.sender):
                    await self.deliver(entry, [await self.busy(entry)])
                return Outcome.LATER
            collector = CollectingOutputChannel()
            turn = Turn(entry.message_id)
            if await self.intake.handle_once(UserMessage(text, TurnOutput(collector, turn), entry.sender,
                                                         input_channel=CHANNEL, message_id=entry.message_id,
                                                         metadata=metadata), turn):
                return await self.delivered(entry, turn, collector.messages, waiting=True)
        return await self.finish_saved(entry)

    async def finish_saved(self, entry: Entry) -> Outcome:
        """The turn is in the tracker: resume it when an action did not run (once the action server is back), then
        deliver the replies not delivered yet (a replica died between saving the turn and delivering)."""
        pending = await self.intake.marks().resume(entry.message_id)
        if pending is not None:
            if not pending.due() or not await self.intake.action_server_up():
                if self.intake.should_tell_busy(entry.sender):
                    await self.deliver(entry, [await self.busy(entry)])
                return Outcome.LATER
            collector = CollectingOutputChannel()
            turn = await self.intake.resume(entry.sender, entry.message_id, lambda t: TurnOutput(collector, t))
            if turn is not None:
                return await self.delivered(entry, turn, collector.messages, waiting=False)
        replies, sent = await self.intake.unsent(entry.sender, entry.message_id)
        if replies:
            collector = CollectingOutputChannel()
            for reply in replies:
                await collector.send_response(entry.sender, reply)
            await self.deliver(entry, collector.messages, sent + len(replies))
        return Outcome.DONE

    async def delivered(self, entry: Entry, turn: Turn, replies: list[dict[str, Any]], waiting: bool) -> Outcome:
        """The turn's replies to the waiting request or the outbox, with the count delivered; when an action did
        not run, the busy note with them (always to a request that waits; the answer follows in the outbox)."""
        if turn.failed:
            first_time = self.intake.should_tell_busy(entry.sender)  # not again on each try of the resume
            busy = [await self.busy(entry)] if waiting or first_time else []
            await self.deliver(entry, replies + busy, turn.next_index)
            return Outcome.LATER
        if turn.silent_after_a_bug:
            replies = [await self.notice(failed_message, entry.sender, entry.data)]
        await self.deliver(entry, replies, turn.next_index)
        return Outcome.DONE

    async def deliver(self, entry: Entry, replies: list[dict[str, Any]], sent: Optional[int] = None) -> None:
        marks = (self.intake.marks(), sent) if sent is not None else None
        await deliver_replies(self.intake.redis(), entry.message_id, entry.sender, replies, marks)

    async def busy(self, entry: Entry) -> dict[str, Any]:
        return await self.notice(busy_message, entry.sender, entry.data)

    async def notice(self, message: Callable[[str, str], dict[str, Any]], sender: str, data: dict[str, Any]
                     ) -> dict[str, Any]:
        """One of the intake's own notes (busy, sorry), in the language of the customer's message."""
        text, metadata = str(data.get("text") or ""), data.get("metadata")
        language = await self.intake.language(text, metadata if isinstance(metadata, dict) else None)
        return {"recipient_id": sender, **message(language, text)}

    async def dead_letter(self, sender: str, message_id: str, data: dict[str, Any]) -> None:
        """Sorry, and the offer of a person: to the waiting request, or through the outbox the chat page follows."""
        sorry = await self.notice(failed_message, sender, data)
        await deliver_replies(self.intake.redis(), message_id, sender, [sorry])
