"""Agent sessions (server-side, in Redis), login with a throttle, logout, the login wall and CSRF protection for the
console."""
from __future__ import annotations

import hmac
import logging
import math
import secrets
from pathlib import Path
from typing import Awaitable, Callable

import aiohttp_session
from aiohttp import web
from redis.asyncio import Redis

from bot.desk.keys import AGENT, AGENTS, SETTINGS
from bot.desk.login_throttle import Limits, LoginThrottle, client_address
from bot.desk.sessions import RedisSessionStorage

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
SESSION_HOURS = 12
THROTTLE = web.AppKey("login_throttle", LoginThrottle)
CSRF_HEADER = "X-CSRF-Token"
PUBLIC_DESK_PATHS = {"/desk/login"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def setup_sessions(app: web.Application, redis: Redis, secure_always: bool, backoff_seconds: float) -> None:
    """Server-side sessions and the login throttle, both in the desk's Redis."""
    aiohttp_session.setup(app, RedisSessionStorage(redis, SESSION_HOURS * 3600, secure_always))
    app[THROTTLE] = LoginThrottle(redis, Limits(base_seconds=backoff_seconds))


async def csrf_token(request: web.Request) -> str:
    session = await aiohttp_session.get_session(request)
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _is_desk(request: web.Request) -> bool:
    return request.path == "/desk" or request.path.startswith("/desk/")


def _wants_json(request: web.Request) -> bool:
    return request.path.startswith("/desk/api/") or request.path == "/desk/ws"


@web.middleware
async def login_wall(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Everything under /desk but the login page needs a logged-in agent who still exists."""
    if not _is_desk(request) or request.path in PUBLIC_DESK_PATHS:
        return await handler(request)
    session = await aiohttp_session.get_session(request)
    agent = await request.app[AGENTS].get(session["agent"]) if session.get("agent") else None
    if agent is None:
        if _wants_json(request):
            raise web.HTTPUnauthorized(text="log in first")
        raise web.HTTPFound("/desk/login")
    request[AGENT] = agent
    return await handler(request)


@web.middleware
async def csrf_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Console requests that change something must carry the session's CSRF token (header or form field);
    websockets must come from our own origin."""
    if not _is_desk(request):
        return await handler(request)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        session = await aiohttp_session.get_session(request)
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent and request.content_type == "application/x-www-form-urlencoded":
            sent = str((await request.post()).get("csrf_token", ""))
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            raise web.HTTPForbidden(text="missing or wrong CSRF token: reload the page")
    elif request.headers.get("Upgrade", "").lower() == "websocket":
        origin = request.headers.get("Origin", "")
        if origin.split("://", 1)[-1] != request.host:
            raise web.HTTPForbidden(text="websocket from another origin")
    return await handler(request)


def page(name: str, **values: str) -> web.Response:
    """A console page: its static template with a few values (all HTML-escaped) filled in."""
    import html

    text = (HERE / "templates" / name).read_text()
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", html.escape(value, quote=True))
    return web.Response(text=text, content_type="text/html", headers={
        "Content-Security-Policy": "default-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
    })


async def login_page(request: web.Request) -> web.Response:
    error = "Wrong name or password." if request.query.get("failed") else ""
    wait = request.query.get("wait", "")
    if request.query.get("locked"):
        error = f"Too many failed attempts: try again in {wait} seconds." if wait.isdigit() else \
            "Too many failed attempts: try again later."
    return page("login.html", csrf=await csrf_token(request), error=error)


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    name, password = str(form.get("name", "")).strip().lower()[:64], str(form.get("password", ""))
    settings = request.app[SETTINGS]
    address = client_address(request.remote or "", request.headers.get("X-Forwarded-For", ""),
                             settings.desk_trusted_proxies.split(","))
    throttle = request.app[THROTTLE]
    wait = await throttle.acquire(name, address)  # counted before the password is checked: no race
    if wait:
        raise web.HTTPFound(f"/desk/login?locked=1&wait={math.ceil(wait)}")
    agent = await request.app[AGENTS].authenticate(name, password)
    if agent is None:
        await throttle.failed(name)
        logger.info("Failed desk login")
        raise web.HTTPFound("/desk/login?failed=1")
    await throttle.succeeded(name, address)
    session = await aiohttp_session.new_session(request)  # a new session id on login: no fixation
    session["agent"] = agent.name
    session["csrf"] = secrets.token_urlsafe(32)
    raise web.HTTPFound("/desk")


async def logout(request: web.Request) -> web.Response:
    session = await aiohttp_session.get_session(request)
    session.invalidate()  # deleted from Redis: a copy of the cookie is worth nothing now
    raise web.HTTPFound("/desk/login")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/desk/login", login_page)
    app.router.add_post("/desk/login", login)
    app.router.add_post("/desk/logout", logout)
