"""The parts of Rasa's HTTP API the desk uses: read a tracker, append events, run an action."""
from __future__ import annotations

from typing import Any, Optional
from urllib.parse import quote

import aiohttp


class RasaUnavailable(Exception):
    """Rasa did not answer or refused the request."""


class RasaClient:
    def __init__(self, http: aiohttp.ClientSession, base_url: str, token: str = "") -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.token = token

    def _url(self, conversation_id: str, path: str) -> str:
        return f"{self.base_url}/conversations/{quote(conversation_id, safe='')}/{path}"

    async def _call(self, method: str, url: str, body: Optional[Any] = None,
                    params: Optional[dict[str, str]] = None) -> Any:
        query = {**(params or {}), **({"token": self.token} if self.token else {})}
        try:
            async with self.http.request(method, url, json=body, params=query) as response:
                if response.status != 200:
                    raise RasaUnavailable(f"Rasa answered {response.status} to {method} {url.split('?')[0]}")
                return await response.json()
        except aiohttp.ClientError as error:
            raise RasaUnavailable(f"Rasa is not reachable ({type(error).__name__})") from error

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        return await self._call("GET", self._url(conversation_id, "tracker"), params={"include_events": "ALL"})

    async def append_events(self, conversation_id: str, events: list[dict[str, Any]]) -> None:
        await self._call("POST", self._url(conversation_id, "tracker/events"), events,
                         params={"include_events": "NONE"})

    async def run_action(self, conversation_id: str, action: str) -> list[dict[str, Any]]:
        """Run `action` now (e.g. a response) and return the messages it produced, then wait for the customer."""
        result = await self._call("POST", self._url(conversation_id, "execute"), {"name": action},
                                  params={"include_events": "NONE"})
        await self.append_events(conversation_id, [{"event": "action", "name": "action_listen"}])
        return result.get("messages", [])
