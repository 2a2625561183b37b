"""Test clients that use the desk the way people do: a customer on the web chat page, an agent in the console."""
from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any, Optional

import aiohttp

from bot.settings import Settings

_CSRF = re.compile(r'name="csrf(?:-token|_token)"\s+(?:content|value)="([^"]+)"')


class WebChatCustomer:
    """Sends through POST /chat/api/messages and listens on the /chat/api/live websocket, like chat.js."""

    def __init__(self, settings: Settings, locale: str = "pl-PL") -> None:
        self.base = f"http://{settings.host}:{settings.desk_port}"
        self.sender = f"web-{uuid.uuid4()}"
        self.locale = locale
        self.http = aiohttp.ClientSession()
        self.pushed: asyncio.Queue = asyncio.Queue()
        self._listener: Optional[asyncio.Task] = None

    async def __aenter__(self) -> "WebChatCustomer":
        ws = await self.http.ws_connect(f"{self.base}/chat/api/live?sender={self.sender}")

        async def listen() -> None:
            async for message in ws:
                if message.type == aiohttp.WSMsgType.TEXT:
                    await self.pushed.put(message.json())

        self._listener = asyncio.create_task(listen())
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self._listener.cancel()
        await self.http.close()

    async def say(self, text: str) -> list[dict]:
        body = {"sender": self.sender, "text": text, "locale": self.locale}
        async with self.http.post(f"{self.base}/chat/api/messages", json=body) as response:
            assert response.status == 200, await response.text()
            return (await response.json())["replies"]

    async def next_pushed(self, timeout: float = 15) -> dict:
        return await asyncio.wait_for(self.pushed.get(), timeout)


class DeskAgent:
    """An agent's browser session: cookie jar, login form, CSRF token from the page; `address` is the loopback
    address it connects from (127.0.0.2, ...: another computer, as the desk sees it)."""

    def __init__(self, settings: Settings, address: Optional[str] = None) -> None:
        self.base = f"http://{settings.host}:{settings.desk_port}"
        connector = aiohttp.TCPConnector(local_addr=(address, 0)) if address else None
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), connector=connector)
        self.csrf = ""
        self.login_token = ""  # the login page's CSRF token

    async def __aenter__(self) -> "DeskAgent":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.http.close()

    async def login(self, name: str, password: str) -> aiohttp.ClientResponse:
        async with self.http.get(f"{self.base}/desk/login") as page:
            token = self.login_token = _CSRF.search(await page.text()).group(1)
        form = {"name": name, "password": password, "csrf_token": token}
        async with self.http.post(f"{self.base}/desk/login", data=form, allow_redirects=False) as response:
            if response.headers.get("Location") == "/desk":
                async with self.http.get(f"{self.base}/desk") as desk:
                    self.csrf = _CSRF.search(await desk.text()).group(1)
            return response

    async def get(self, path: str) -> tuple[int, Any]:
        async with self.http.get(f"{self.base}{path}", allow_redirects=False) as response:
            is_json = response.content_type == "application/json"
            return response.status, await (response.json() if is_json else response.text())

    async def post(self, path: str, body: Optional[dict] = None, csrf: Optional[str] = None) -> tuple[int, Any]:
        headers = {"X-CSRF-Token": self.csrf if csrf is None else csrf}
        async with self.http.post(f"{self.base}{path}", json=body or {}, headers=headers,
                                  allow_redirects=False) as response:
            is_json = response.content_type == "application/json"
            return response.status, await (response.json() if is_json else response.text())

    async def waiting_ticket(self, conversation_id: str) -> Optional[dict]:
        status, queue = await self.get("/desk/api/queue")
        assert status == 200, queue
        return next((t for t in queue["waiting"] if t["conversation_id"] == conversation_id), None)

    async def socket(self) -> aiohttp.ClientWebSocketResponse:
        return await self.http.ws_connect(f"{self.base}/desk/ws", origin=self.base)
