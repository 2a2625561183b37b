"""The statistics page of the console (the same figures as `bot stats`)."""
from __future__ import annotations

import time

from aiohttp import web

from bot import events as event_stream
from bot.analytics import service_figures
from bot.desk.keys import AGENT, QUEUE, REDIS
from bot.desk.security import csrf_token, page
from bot.intake.stream import DEAD_LETTERS


async def figures(redis, queue, days: float) -> list[dict]:
    since = time.time() - days * 86400
    events = [event async for event in event_stream.all_events(redis, since)]
    return service_figures(events, await queue.all_tickets(since))


async def stats_page(request: web.Request) -> web.Response:
    return page("stats.html", csrf=await csrf_token(request), agent=request[AGENT].signature)


async def api_stats(request: web.Request) -> web.Response:
    try:
        days = min(365.0, max(0.01, float(request.query.get("days", "30"))))
    except ValueError:
        raise web.HTTPBadRequest(text="days must be a number")
    return web.json_response({"days": days, "rows": await figures(request.app[REDIS], request.app[QUEUE], days),
                              "dead_letters": await dead_letters(request.app[REDIS])})


async def dead_letters(redis, latest: int = 5) -> dict:
    """Customer messages that failed every processing attempt (the intake's dead-letter stream), for operators:
    how many, and the channel, time and error of the latest (no sender, no text)."""
    entries = await redis.xrevrange(DEAD_LETTERS, count=latest)
    return {"count": await redis.xlen(DEAD_LETTERS),
            "latest": [{"channel": fields.get(b"channel", b"").decode(), "at": int(fields.get(b"at", b"0") or 0),
                        "error": fields.get(b"error", b"").decode()} for _, fields in entries]}


def add_routes(app: web.Application) -> None:
    app.router.add_get("/desk/stats", stats_page)
    app.router.add_get("/desk/api/stats", api_stats)
