"""The web chat page: customers (and trainers) try the bot in the browser; messages go to Rasa's REST channel."""
from __future__ import annotations

import re
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.desk import chat_page
from bot.desk.keys import HTTP, SETTINGS
from bot.jsonbody import BadBody, parse_object
from bot.languages import hint_from_metadata
from bot.wording import valid_zone

HERE = Path(__file__).parent
MAX_MESSAGE_LENGTH = 5000
_SENDER = re.compile(r"^web-[A-Za-z0-9-]{8,64}$")


async def send_message(request: web.Request) -> web.Response:
    """Forward one customer message to Rasa and return the bot's replies."""
    try:
        body = parse_object(await request.read())
    except BadBody as error:  # not JSON, not an object, nested too deeply: never a 500
        raise web.HTTPBadRequest(text=str(error))
    sender, text = body.get("sender"), body.get("text")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        raise web.HTTPBadRequest(text="sender must look like web-<id>")
    if not isinstance(text, str):
        raise web.HTTPBadRequest(text="text must be a string")
    locale = body.get("locale") if isinstance(body.get("locale"), str) else None
    metadata = {"channel": "web", "locale": locale, "timezone": valid_zone(body.get("timezone"))}
    payload = {"sender": sender, "message": text[:MAX_MESSAGE_LENGTH], "metadata": metadata}
    settings = request.app[SETTINGS]
    try:
        async with request.app[HTTP].post(f"{settings.rasa_url}/webhooks/rest/webhook", json=payload) as response:
            if response.status not in (200, 202):  # 202: the rest comes through the outbox (busy, with a person)
                raise web.HTTPBadGateway(text="the assistant is not answering, please try again")
            replies = await response.json()
    except aiohttp.ClientError:
        raise web.HTTPBadGateway(text="the assistant is not answering, please try again")
    return web.json_response({"replies": replies, "language_hint": hint_from_metadata(metadata)})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/", lambda request: web.HTTPFound("/chat"))
    chat_page.add_routes(app)
    app.router.add_post("/chat/api/messages", send_message)
    app.router.add_static("/static", HERE / "static")
