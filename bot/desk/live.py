"""Live updates over websockets: the agents' queue and open transcripts, and agent replies on the web chat."""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from typing import Awaitable, Callable

from aiohttp import WSMsgType, web

from bot import events as event_stream
from bot.desk import transcript
from bot.desk.agents import SUPERVISOR
from bot.desk.console import queue_snapshot
from bot.desk.keys import AGENT, QUEUE, REDIS
from bot.handoff import keys as handoff_keys
from bot.handoff.delivery import Outbox
from bot.handoff.presence import TTL_SECONDS, mark_offline, mark_online

logger = logging.getLogger(__name__)
QUEUE_REFRESH_SECONDS = 15
_SENDER = re.compile(r"^web-[A-Za-z0-9-]{8,64}$")
_STREAM_ID = re.compile(r"^\d+-\d+$")


async def _forever(every: float, step: Callable[[], Awaitable[None]]) -> None:
    while True:
        await step()
        await asyncio.sleep(every)


async def _queue_updates(request: web.Request, ws: web.WebSocketResponse) -> None:
    """A fresh queue on every ticket change, and every few seconds for the waiting times."""
    pubsub = request.app[REDIS].pubsub()
    await pubsub.subscribe(handoff_keys.changes())
    try:
        while True:
            await ws.send_json({"type": "queue", **await queue_snapshot(request)})
            await pubsub.get_message(ignore_subscribe_messages=True, timeout=QUEUE_REFRESH_SECONDS)
            while await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.05):
                pass  # several changes at once: one snapshot is enough
    finally:
        await pubsub.close()


async def _follow_conversation(request: web.Request, ws: web.WebSocketResponse, conversation_id: str) -> None:
    async for _, event in event_stream.follow(request.app[REDIS]):
        if event.get("sender_id") == conversation_id:
            item = transcript.turn(event)
            if item is not None:
                await ws.send_json({"type": "turn", "conversation": conversation_id, "turn": item})


async def desk_socket(request: web.Request) -> web.WebSocketResponse:
    """One socket per console tab: the queue always; a transcript after `{"watch": conversation_id}`."""
    agent = request[AGENT]
    ws = web.WebSocketResponse(heartbeat=25)
    await ws.prepare(request)
    redis = request.app[REDIS]
    tasks = [
        asyncio.create_task(_forever(TTL_SECONDS / 3, lambda: mark_online(redis, agent.name, agent.languages))),
        asyncio.create_task(_queue_updates(request, ws)),
    ]
    try:
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                wanted = json.loads(message.data).get("watch")
            except (ValueError, AttributeError):
                continue
            ticket = await request.app[QUEUE].latest_ticket(str(wanted)) if wanted else None
            allowed = agent.serves(ticket.language) if ticket else bool(wanted) and agent.role == SUPERVISOR
            if not allowed:
                await ws.send_json({"type": "error", "error": "you cannot follow this conversation"})
                continue
            tasks.append(asyncio.create_task(_follow_conversation(request, ws, str(wanted))))
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await mark_offline(redis, agent.name)
    return ws


async def chat_socket(request: web.Request) -> web.WebSocketResponse:
    """The web chat's live line: messages that do not answer a request (agent replies, hand-back, rating)."""
    sender = request.query.get("sender", "")
    after = request.query.get("after", "$")
    if not _SENDER.match(sender):
        raise web.HTTPBadRequest(text="sender must look like web-<id>")
    if after != "$" and not _STREAM_ID.match(after):
        raise web.HTTPBadRequest(text="after must be a message id")
    ws = web.WebSocketResponse(heartbeat=25)
    await ws.prepare(request)

    async def push() -> None:
        async for message_id, message in Outbox(request.app[REDIS]).follow(sender, after):
            await ws.send_json({"id": message_id, **message})

    pusher = asyncio.create_task(push())
    try:
        async for _ in ws:
            pass  # the customer writes through POST /chat/api/messages; this socket only listens
    finally:
        pusher.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await pusher
    return ws


def add_routes(app: web.Application) -> None:
    app.router.add_get("/desk/ws", desk_socket)
    app.router.add_get("/chat/api/live", chat_socket)


