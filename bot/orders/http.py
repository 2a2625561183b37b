"""A small JSON-over-HTTP client for order systems: one session, retries with backoff, one deadline per call.

The whole call, retries included, ends within `RetryPolicy.deadline` (4 s by default) so that the bot can
still answer within five seconds. A request that changes something (POST unless marked idempotent) is retried
only when it surely was not processed: a 429 or a failed connection, never after a timeout or a 5xx, so that a
return is not registered twice. Failures become the errors of `bot.orders.system`; a 404 is "not found"
(None). Log lines carry the method, host, status and a redacted path — never query strings, order numbers,
e-mails or phone numbers.
"""
from __future__ import annotations

import asyncio
import json
import logging
import random
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import Any, Mapping, Optional
from urllib.parse import urlsplit

import aiohttp

from bot import metrics
from bot.orders.system import (
    OrderSystemAuthError,
    OrderSystemBadResponse,
    OrderSystemRejected,
    OrderSystemUnavailable,
)

log = logging.getLogger(__name__)

_PERSONAL_SEGMENT = re.compile(r"\d|@|%")
_LINK_NEXT = re.compile(r'<([^>]+)>\s*;[^,]*\brel="?next"?', re.IGNORECASE)


@dataclass(frozen=True)
class RetryPolicy:
    deadline: float = 4.0  # seconds for the whole call, retries included (Rasa and the action need the rest of 5 s)
    attempt_timeout: float = 2.5  # seconds for one attempt (connect, send, read)
    attempts: int = 4
    backoff: float = 0.2  # the first pause; it doubles with each retry, with random jitter
    max_backoff: float = 1.5


@dataclass(frozen=True)
class JsonResponse:
    status: int
    data: Any
    headers: Mapping[str, str]  # case-insensitive (pagination: Link, X-WP-TotalPages...)


def safe_url(url: str) -> str:
    """The URL as it may be logged: no credentials, query or fragment; path parts with digits or '@' hidden."""
    parts = urlsplit(url)
    path = "/".join("*" if _PERSONAL_SEGMENT.search(segment) else segment for segment in parts.path.split("/"))
    return f"{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{path}"


def next_link(headers: Mapping[str, str]) -> Optional[str]:
    """The `rel="next"` URL of an RFC 8288 `Link` header (Shopify's cursor pagination), if any."""
    match = _LINK_NEXT.search(headers.get("Link", ""))
    return match.group(1) if match else None


def retry_after(headers: Mapping[str, str]) -> Optional[float]:
    """Seconds to wait from a `Retry-After` header (seconds, possibly fractional, or an HTTP date)."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class JsonClient:
    """JSON requests over one `aiohttp.ClientSession`, created lazily inside the running loop."""

    def __init__(self, name: str, headers: Optional[Mapping[str, str]] = None,
                 auth: Optional[aiohttp.BasicAuth] = None, policy: RetryPolicy = RetryPolicy()) -> None:
        self.name = name  # for errors and logs: "shopify", "demo order system"...
        self.policy = policy
        self._headers = {"Accept": "application/json", **(headers or {})}
        self._auth = auth
        self._session: Optional[aiohttp.ClientSession] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def _client(self) -> aiohttp.ClientSession:
        """The session, made in the running loop (again when a long-lived client meets a new loop)."""
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(headers=self._headers, auth=self._auth)
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = None

    async def get(self, url: str, params: Optional[Mapping[str, str]] = None) -> Optional[JsonResponse]:
        return await self.request("GET", url, params=params)

    async def post(self, url: str, body: Any, idempotent: bool = False) -> Optional[JsonResponse]:
        """POST `body`; `idempotent=True` for requests that change nothing (GraphQL queries) to retry them freely."""
        return await self.request("POST", url, body=body, idempotent=idempotent)

    async def put(self, url: str, body: Any) -> Optional[JsonResponse]:
        return await self.request("PUT", url, body=body)

    async def request(self, method: str, url: str, *, params: Optional[Mapping[str, str]] = None,
                      body: Any = None, idempotent: Optional[bool] = None) -> Optional[JsonResponse]:
        """The decoded JSON answer, or None for 404; raises an `OrderSystemError` for everything else."""
        if idempotent is None:
            idempotent = method in ("GET", "HEAD", "PUT", "DELETE")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.policy.deadline
        where = f"{method} {safe_url(url)}"
        failure = "no time left"
        for attempt in range(self.policy.attempts):
            remaining = deadline - loop.time()
            if remaining <= 0.05:
                break
            pause: Optional[float] = None
            unprocessed = False  # surely not acted upon: safe to send again even if it changes something
            try:
                timeout = aiohttp.ClientTimeout(total=min(self.policy.attempt_timeout, remaining))
                async with self._client().request(method, url, params=params, json=body, timeout=timeout) as response:
                    if response.status != 429 and response.status < 500:
                        return await self._answer(where, response)
                    failure = f"HTTP {response.status}"
                    if response.status == 429:
                        pause, unprocessed = retry_after(response.headers), True
            except asyncio.TimeoutError:
                failure = "timed out"
            except aiohttp.ClientConnectorError as error:
                failure, unprocessed = type(error).__name__, True
            except aiohttp.ClientError as error:
                failure = type(error).__name__
            wait = self._backoff(attempt) if pause is None else pause
            last = attempt + 1 == self.policy.attempts or not (idempotent or unprocessed)
            if last or loop.time() + wait >= deadline:
                break
            log.warning("%s: %s from %s; retrying in %.2f s", where, failure, self.name, wait)
            await asyncio.sleep(wait)
        log.error("%s: %s from %s; giving up", where, failure, self.name)
        metrics.ORDER_SYSTEM_ERRORS.labels(self.name).inc()
        raise OrderSystemUnavailable(f"{self.name}: {failure}")

    async def _answer(self, where: str, response: aiohttp.ClientResponse) -> Optional[JsonResponse]:
        status = response.status
        if status in (401, 403):
            log.error("%s: HTTP %s from %s: credentials refused", where, status, self.name)
            raise OrderSystemAuthError(f"{self.name}: HTTP {status}")
        if status == 404:
            return None
        if status in (409, 422):
            log.warning("%s: HTTP %s from %s: request refused", where, status, self.name)
            raise OrderSystemRejected(f"{self.name}: HTTP {status}", await _error_code(response))
        if not 200 <= status < 300:
            log.error("%s: unexpected HTTP %s from %s", where, status, self.name)
            raise OrderSystemBadResponse(f"{self.name}: HTTP {status}")
        raw = await response.read()
        try:
            data = json.loads(raw) if raw.strip() else None
        except (UnicodeDecodeError, ValueError) as error:
            log.error("%s: unreadable JSON from %s", where, self.name)
            raise OrderSystemBadResponse(f"{self.name}: unreadable JSON") from error
        return JsonResponse(status, data, response.headers)

    def _backoff(self, attempt: int) -> float:
        base = min(self.policy.max_backoff, self.policy.backoff * 2**attempt)
        return base / 2 + random.uniform(0, base / 2)


async def _error_code(response: aiohttp.ClientResponse) -> str:
    """A short machine-readable reason from a refusal (`{"error": "window_expired"}`), or ""."""
    try:
        data = json.loads(await response.read())
    except (UnicodeDecodeError, ValueError, aiohttp.ClientError):
        return ""
    code = data.get("error") or data.get("code") if isinstance(data, dict) else ""
    return code if isinstance(code, str) and len(code) <= 40 else ""
