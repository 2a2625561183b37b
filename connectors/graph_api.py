"""The Graph API over aiohttp, shared by the Messenger and WhatsApp connectors and the desk's senders:
one lazily created session, timeouts, and retries with backoff on rate limits and server errors."""
from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Any, Optional

import aiohttp

from bot.channels.config import GraphSettings
from bot.channels.errors import GraphError, Outcome, classify, minimum_wait

logger = logging.getLogger(__name__)

ATTEMPTS = 4
BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0


class GraphRequestFailed(Exception):
    """Meta did not accept the request; `outcome` says whether it was the messaging window or a failure."""

    def __init__(self, what: str, outcome: Outcome, error: Optional[GraphError], attempts: int) -> None:
        self.what, self.outcome, self.error, self.attempts = what, outcome, error, attempts
        detail = str(error) if error else "no answer in time"
        super().__init__(f"{what}: {outcome.value} after {attempts} attempt(s) ({detail})")


def backoff_seconds(attempt: int, error: Optional[GraphError], retry_after: Optional[str]) -> float:
    """Exponential backoff with jitter; Meta's Retry-After and the pair-rate wait are honoured, all capped."""
    ceiling = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
    wait = ceiling / 2 + random.uniform(0, ceiling / 2)
    if retry_after and retry_after.isdigit():
        wait = max(wait, float(retry_after))
    if error is not None:
        wait = max(wait, minimum_wait(error))
    return min(wait, BACKOFF_CAP_SECONDS)


class GraphClient:
    """Calls made with one access token: in the query (`access_token`, Messenger) or as a Bearer header."""

    def __init__(self, settings: GraphSettings, token: str, token_in_query: bool = False,
                 attempts: int = ATTEMPTS) -> None:
        self.settings = settings
        self.token = token
        self.token_in_query = token_in_query
        self.attempts = attempts
        self._session: Optional[aiohttp.ClientSession] = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            total = self.settings.timeout_seconds
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=total, connect=min(3.0, total)),
                headers={} if self.token_in_query else {"Authorization": f"Bearer {self.token}"},
            )
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def post(self, path: str, body: dict[str, Any], what: str, retry: bool = True) -> dict[str, Any]:
        """POST; a timed-out send is not repeated, as Meta may have delivered it (no idempotency keys)."""
        return await self._request("POST", path, what, body=body, retry=retry, retry_timeouts=False,
                                   give_up_level=logging.ERROR)

    async def get(self, path: str, params: dict[str, str], what: str, retry: bool = True) -> dict[str, Any]:
        """GET, for look-ups whose failure the caller handles (and reports) itself."""
        return await self._request("GET", path, what, params=params, retry=retry, retry_timeouts=True,
                                   give_up_level=logging.DEBUG)

    async def _request(self, method: str, path: str, what: str, *, body: Optional[dict] = None,
                       params: Optional[dict[str, str]] = None, retry: bool, retry_timeouts: bool,
                       give_up_level: int) -> dict[str, Any]:
        query = {**(params or {}), **({"access_token": self.token} if self.token_in_query else {})}
        attempt = 0
        while True:
            attempt += 1
            error, retry_after = None, None
            try:
                async with self._http().request(method, self.settings.url(path), json=body, params=query) as response:
                    answer = _json(await response.read())
                    error = GraphError.from_response(response.status, answer)
                    retry_after = response.headers.get("Retry-After")
                outcome = classify(error)
            except aiohttp.ClientConnectorError:
                outcome = Outcome.RETRY  # the request never reached Meta
            except (asyncio.TimeoutError, aiohttp.ClientError):
                outcome = Outcome.RETRY if retry_timeouts else Outcome.FAILED
            if outcome is Outcome.SENT:
                return answer
            if outcome is Outcome.RETRY and retry and attempt < self.attempts:
                delay = backoff_seconds(attempt, error, retry_after)
                logger.info("Graph API %s: will retry in %.1f s (%s)", what, delay, error or "no answer")
                await asyncio.sleep(delay)
                continue
            failure = GraphRequestFailed(what, outcome, error, attempt)
            level = min(give_up_level, logging.WARNING) if outcome is Outcome.WINDOW_CLOSED else give_up_level
            logger.log(level, "Graph API gave up: %s", failure)
            raise failure


def _json(raw: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
