"""Agent sessions (encrypted cookies), login and logout, the login wall and CSRF protection for the console."""
from __future__ import annotations

import base64
import hmac
import logging
import secrets
from pathlib import Path
from typing import Awaitable, Callable

import aiohttp_session
from aiohttp import web
from aiohttp_session.cookie_storage import EncryptedCookieStorage
from cryptography.fernet import Fernet

from bot.desk.keys import AGENT, AGENTS, REDIS

logger = logging.getLogger(__name__)
HERE = Path(__file__).parent
SESSION_HOURS = 12
LOGIN_ATTEMPTS = 5
LOCKOUT_SECONDS = 15 * 60
CSRF_HEADER = "X-CSRF-Token"
PUBLIC_DESK_PATHS = {"/desk/login"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def session_key(configured: str) -> bytes:
    """The configured Fernet key, or a fresh one (sessions then end when the desk restarts)."""
    if configured:
        Fernet(configured)  # raises on a malformed key: better at start-up than at the first login
        return configured.encode()
    logger.warning("DESK_SECRET_KEY is not set: using a temporary key, agents log in again after a restart")
    return Fernet.generate_key()


def setup_sessions(app: web.Application, configured_key: str, secure_cookies: bool) -> None:
    storage = EncryptedCookieStorage(
        base64.urlsafe_b64decode(session_key(configured_key)), cookie_name="desk_session",
        max_age=SESSION_HOURS * 3600, httponly=True, samesite="Strict", secure=secure_cookies,
    )
    aiohttp_session.setup(app, storage)


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
    if request.query.get("locked"):
        error = "Too many failed attempts: try again in 15 minutes."
    return page("login.html", csrf=await csrf_token(request), error=error)


async def login(request: web.Request) -> web.Response:
    form = await request.post()
    name, password = str(form.get("name", "")).strip().lower(), str(form.get("password", ""))
    redis = request.app[REDIS]
    failures_key = f"desk:login_failures:{name[:40]}"
    if int(await redis.get(failures_key) or 0) >= LOGIN_ATTEMPTS:
        raise web.HTTPFound("/desk/login?locked=1")
    agent = await request.app[AGENTS].authenticate(name, password)
    if agent is None:
        await redis.incr(failures_key)
        await redis.expire(failures_key, LOCKOUT_SECONDS)
        logger.info("Failed desk login")
        raise web.HTTPFound("/desk/login?failed=1")
    await redis.delete(failures_key)
    session = await aiohttp_session.new_session(request)  # a new session id on login: no fixation
    session["agent"] = agent.name
    session["csrf"] = secrets.token_urlsafe(32)
    raise web.HTTPFound("/desk")


async def logout(request: web.Request) -> web.Response:
    session = await aiohttp_session.get_session(request)
    session.invalidate()
    raise web.HTTPFound("/desk/login")


def add_routes(app: web.Application) -> None:
    app.router.add_get("/desk/login", login_page)
    app.router.add_post("/desk/login", login)
    app.router.add_post("/desk/logout", logout)
