"""Agents' sessions kept in Redis: the cookie is only a random id, so logging out, removing an agent or an
administrator's `bot agents logout NAME` ends the session everywhere, and a copied cookie stops working."""
from __future__ import annotations

import hashlib
import ipaddress
import json
import secrets
import time
from aiohttp import web
from aiohttp_session import AbstractStorage, Session
from redis.asyncio import Redis

COOKIE = "desk_session"
SESSION_KEY = "desk:session:{}"  # + sha256 of the cookie: a copy of Redis holds no usable cookie
AGENT_SESSIONS = "desk:agent_sessions:{}"  # set of an agent's session keys, to end them all
ANONYMOUS_SECONDS = 3600  # a login page visited but no login: its CSRF token lives an hour


def _key(cookie: str) -> str:
    return SESSION_KEY.format(hashlib.sha256(cookie.encode()).hexdigest())


def is_local(host: str) -> bool:
    """The desk is opened on this machine (http://localhost:8080), where browsers allow no TLS."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def cookie_is_secure(request: web.Request, always: bool) -> bool:
    """Secure (sent over HTTPS only) unless the desk is opened on localhost; `always` forces it."""
    if always or request.headers.get("X-Forwarded-Proto", "").lower() == "https":
        return True
    return not is_local(request.host or "")


class RedisSessionStorage(AbstractStorage):
    """aiohttp_session storage: session data in Redis under the hashed cookie, expiring with the session."""

    def __init__(self, redis: Redis, max_age: int, secure_always: bool) -> None:
        super().__init__(cookie_name=COOKIE, max_age=max_age, httponly=True, samesite="Strict", path="/")
        self.redis = redis
        self.secure_always = secure_always

    async def load_session(self, request: web.Request) -> Session:
        cookie = self.load_cookie(request)
        raw = await self.redis.get(_key(cookie)) if cookie else None
        if raw is None:
            return Session(None, data=None, new=True, max_age=self.max_age)
        return Session(cookie, data={"created": int(time.time()), "session": json.loads(raw)}, new=False,
                       max_age=self.max_age)

    async def save_session(self, request: web.Request, response: web.StreamResponse, session: Session) -> None:
        old = session.identity or self.load_cookie(request)
        if session.empty:  # invalidated (logout)
            if old:
                await end_session(self.redis, str(old))
            self._set_cookie(request, response, "", 0)
            return
        data = dict(session)
        cookie = str(session.identity) if session.identity else secrets.token_urlsafe(32)
        if old and cookie != old:  # a new session replaces the old one (login): the old id is dead, no fixation
            await end_session(self.redis, str(old))
        seconds = self.max_age if data.get("agent") else ANONYMOUS_SECONDS
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.set(_key(cookie), json.dumps(data), ex=seconds)
            if data.get("agent"):
                index = AGENT_SESSIONS.format(data["agent"])
                pipe.sadd(index, _key(cookie))
                pipe.expire(index, self.max_age)
            await pipe.execute()
        self._set_cookie(request, response, cookie, seconds)

    def _set_cookie(self, request: web.Request, response: web.StreamResponse, value: str, seconds: int) -> None:
        secure = cookie_is_secure(request, self.secure_always)
        if value:
            response.set_cookie(COOKIE, value, max_age=seconds, path="/", httponly=True, samesite="Strict",
                                secure=secure)
        else:
            response.del_cookie(COOKIE, path="/")


async def end_session(redis: Redis, cookie: str) -> None:
    """End one session (logout)."""
    key = _key(cookie)
    raw = await redis.get(key)
    await redis.delete(key)
    if raw:
        agent = json.loads(raw).get("agent")
        if agent:
            await redis.srem(AGENT_SESSIONS.format(agent), key)


async def end_agent_sessions(redis: Redis, agent: str) -> int:
    """End every session of an agent (removed, password changed, or logged out by an administrator)."""
    index = AGENT_SESSIONS.format(agent)
    keys = await redis.smembers(index)
    ended = await redis.delete(*keys) if keys else 0
    await redis.delete(index)
    return int(ended)


async def session_count(redis: Redis, agent: str) -> int:
    """How many sessions of this agent are still alive."""
    keys = await redis.smembers(AGENT_SESSIONS.format(agent))
    return int(await redis.exists(*keys)) if keys else 0
