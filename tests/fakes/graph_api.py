"""A local stand-in for Meta: the Graph API endpoints the connectors call (Messenger Send and User Profile APIs,
WhatsApp Cloud API messages) and signed webhook deliveries as Meta sends them.

The server runs on 127.0.0.1 in its own thread, checks tokens and Meta's size limits like the real API, records
every request, and answers from a script per recipient when a test wants 429, 500 or a timeout.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import aiohttp
from aiohttp import web
from hypothesis import strategies as st

from bot.channels.signature import sign
from bot.services import free_port

VERSION = "v21.0"
TIMEOUT = "timeout"


@dataclass(frozen=True)
class Failure:
    """A scripted error answer: HTTP status and Graph error code (or TIMEOUT: no answer for `delay` seconds)."""

    status: int
    code: int = 0
    subcode: Optional[int] = None
    delay: float = 0.0


def timeout(seconds: float = 6.0) -> Failure:
    return Failure(0, delay=seconds)


@dataclass
class Request:
    kind: str  # "message", "action" (Messenger sender action), "read" (WhatsApp read marker), "profile"
    channel: str
    recipient: str
    body: Any
    query: dict[str, str]
    status: int = 200
    at: float = field(default_factory=time.time)

    @property
    def text(self) -> str:
        """The text a customer reads: Messenger `message.text`, WhatsApp text body, interactive body or template."""
        if self.channel == "messenger":
            return (self.body.get("message") or {}).get("text") or ""
        kind = self.body.get("type")
        if kind == "text":
            return self.body["text"]["body"]
        if kind == "interactive":
            return self.body["interactive"]["body"]["text"]
        if kind == "template":
            return self.body["template"]["components"][0]["parameters"][0]["text"]
        return ""


def _graph_error(status: int, code: int, message: str, subcode: Optional[int] = None) -> web.Response:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": uuid.uuid4().hex[:11]}
    if subcode is not None:
        error["error_subcode"] = subcode
    return web.json_response({"error": error}, status=status)


def _whatsapp_problem(body: dict[str, Any]) -> Optional[str]:
    """What the real Cloud API would reject in a message body (the limits the connector must respect)."""
    if body.get("messaging_product") != "whatsapp" or not (body.get("to") or body.get("recipient")):
        return "messaging_product and to (a phone number) or recipient (a business-scoped user id) are required"
    if body.get("to") and not str(body["to"]).lstrip("+").isdigit():
        return "to must be a phone number; write to a business-scoped user id with recipient"
    kind = body.get("type")
    if kind == "text" and not 0 < len(body["text"]["body"]) <= 4096:
        return "text.body must be 1-4096 characters"
    if kind == "interactive":
        interactive = body["interactive"]
        if not 0 < len(interactive["body"]["text"]) <= 1024:
            return "interactive body must be 1-1024 characters"
        if interactive["type"] == "button":
            buttons = interactive["action"]["buttons"]
            titles = [b["reply"]["title"] for b in buttons]
            if not 1 <= len(buttons) <= 3 or any(len(t) > 20 for t in titles) or len(set(titles)) != len(titles):
                return "1-3 reply buttons with unique titles of at most 20 characters"
        if interactive["type"] == "list":
            rows = [row for section in interactive["action"]["sections"] for row in section["rows"]]
            if not 1 <= len(rows) <= 10 or any(len(r["title"]) > 24 for r in rows):
                return "1-10 list rows with titles of at most 24 characters"
            if not 0 < len(interactive["action"]["button"]) <= 20:
                return "list button label must be 1-20 characters"
    return None


class FakeGraphAPI:
    """Meta for one test session, with made-up secrets; `environment()` configures the stack's channels."""

    def __init__(self) -> None:
        self.app_secret = secrets.token_hex(16)
        self.page_token = secrets.token_urlsafe(24)
        self.whatsapp_token = secrets.token_urlsafe(24)
        self.messenger_verify_token = secrets.token_urlsafe(12)
        self.whatsapp_verify_token = secrets.token_urlsafe(12)
        self.phone_number_id = "106540352242922"
        self.agent_template = "agent_reply"
        self.webhooks = MetaWebhooks(self.app_secret, self.phone_number_id)
        self.port = free_port()
        self.profiles: dict[str, dict[str, Any]] = {}
        self.locale_restricted: set[str] = set()
        self._requests: list[Request] = []
        self._script: dict[str, list[Failure]] = {}
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="fake-graph-api", daemon=True)
        self._ready = threading.Event()
        self._runner: Optional[web.AppRunner] = None
        self._ids = itertools.count(1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- the test's side -------------------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        """The variables credentials.yml names, and where the Graph API is (a short timeout keeps tests quick)."""
        return {
            "META_APP_SECRET": self.app_secret,
            "MESSENGER_PAGE_TOKEN": self.page_token,
            "MESSENGER_VERIFY_TOKEN": self.messenger_verify_token,
            "WHATSAPP_ACCESS_TOKEN": self.whatsapp_token,
            "WHATSAPP_VERIFY_TOKEN": self.whatsapp_verify_token,
            "WHATSAPP_PHONE_NUMBER_ID": self.phone_number_id,
            "WHATSAPP_AGENT_TEMPLATE": self.agent_template,
            "GRAPH_API_URL": self.url,
            "GRAPH_API_VERSION": VERSION,
            "GRAPH_API_TIMEOUT": "2",
        }

    def start(self) -> "FakeGraphAPI":
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake Graph API did not start")
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            await self._runner.cleanup()
            pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in pending:  # e.g. a scripted timeout still sleeping
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def fail_next(self, recipient: str, *failures: Failure) -> None:
        """The next message sends to `recipient` get these answers, in order; later ones succeed."""
        with self._lock:
            self._script.setdefault(recipient, []).extend(failures)

    def requests(self, recipient: Optional[str] = None, kind: Optional[str] = None) -> list[Request]:
        with self._lock:
            return [r for r in self._requests
                    if (recipient is None or r.recipient == recipient) and (kind is None or r.kind == kind)]

    def delivered(self, recipient: str) -> list[Request]:
        """Messages the customer received (accepted sends)."""
        return [r for r in self.requests(recipient, "message") if r.status == 200]

    async def wait_for(self, check: Callable[[], Any], timeout: float = 30) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            await asyncio.sleep(0.1)
        raise AssertionError(f"the fake Graph API did not see what was expected within {timeout:.0f} s")

    async def delivered_count(self, recipient: str, count: int, timeout: float = 30) -> list[Request]:
        return await self.wait_for(lambda: self.delivered(recipient) if len(self.delivered(recipient)) >= count
                                   else None, timeout)

    # ---- the server's side -----------------------------------------------------------------------------------
    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post(f"/{VERSION}/me/messages", self._messenger_send)
        app.router.add_post(f"/{VERSION}/{{number}}/messages", self._whatsapp_send)
        app.router.add_get(f"/{VERSION}/{{psid}}", self._messenger_profile)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()

    def _record(self, request: Request) -> Request:
        with self._lock:
            self._requests.append(request)
        return request

    def _scripted(self, recipient: str) -> Optional[Failure]:
        with self._lock:
            script = self._script.get(recipient)
            return script.pop(0) if script else None

    async def _answer_failure(self, failure: Failure, recorded: Request) -> web.Response:
        if failure.status == 0:
            recorded.status = 0
            await asyncio.sleep(failure.delay)
            return web.json_response({"error": {"message": "too late", "code": 2}}, status=504)
        recorded.status = failure.status
        return _graph_error(failure.status, failure.code, "scripted failure", failure.subcode)

    async def _messenger_send(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") != self.page_token:
            return _graph_error(400, 190, "Invalid OAuth access token.")
        body = await request.json()
        recipient = str((body.get("recipient") or {}).get("id", ""))
        if "sender_action" in body:
            self._record(Request("action", "messenger", recipient, body, dict(request.query)))
            return web.json_response({"recipient_id": recipient})
        recorded = self._record(Request("message", "messenger", recipient, body, dict(request.query)))
        failure = self._scripted(recipient)
        if failure:
            return await self._answer_failure(failure, recorded)
        message = body.get("message") or {}
        bad_type = body.get("messaging_type") not in ("RESPONSE", "UPDATE", "MESSAGE_TAG")
        bad_tag = body.get("messaging_type") == "MESSAGE_TAG" and not body.get("tag")
        too_long = len(message.get("text") or "") > 2000 or len(message.get("quick_replies") or []) > 13
        if bad_type or bad_tag or too_long:
            recorded.status = 400
            return _graph_error(400, 100, "Invalid parameter")
        return web.json_response({"recipient_id": recipient, "message_id": f"m_{next(self._ids)}"})

    async def _whatsapp_send(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.whatsapp_token}":
            return _graph_error(401, 190, "Invalid OAuth access token.")
        if request.match_info["number"] != self.phone_number_id:
            return _graph_error(400, 100, "Unknown phone number id")
        body = await request.json()
        if body.get("status") == "read":
            self._record(Request("read", "whatsapp", str(body.get("message_id")), body, {}))
            return web.json_response({"success": True})
        recipient = str(body.get("to") or body.get("recipient") or "")
        recorded = self._record(Request("message", "whatsapp", recipient, body, {}))
        failure = self._scripted(recipient)
        if failure:
            return await self._answer_failure(failure, recorded)
        problem = _whatsapp_problem(body)
        if problem:
            recorded.status = 400
            return _graph_error(400, 131009, problem)
        contact = {"input": recipient, "wa_id": recipient} if recipient.isdigit() else {"input": recipient,
                                                                                         "user_id": recipient}
        return web.json_response({"messaging_product": "whatsapp", "contacts": [contact],
                                  "messages": [{"id": f"wamid.fake{next(self._ids)}"}]})

    async def _messenger_profile(self, request: web.Request) -> web.Response:
        if request.query.get("access_token") != self.page_token:
            return _graph_error(400, 190, "Invalid OAuth access token.")
        psid = request.match_info["psid"]
        fields = request.query.get("fields", "").split(",")
        self._record(Request("profile", "messenger", psid, None, dict(request.query)))
        if psid not in self.profiles:
            return _graph_error(400, 100, "No profile available for that user.", 2018218)
        if "locale" in fields and psid in self.locale_restricted:
            return _graph_error(400, 100, "(#100) Tried accessing nonexisting field (locale)")
        profile = {key: value for key, value in self.profiles[psid].items() if key in fields}
        return web.json_response({**profile, "id": psid})


class MetaWebhooks:
    """Webhook deliveries as Meta makes them: JSON bytes signed with the app secret."""

    def __init__(self, app_secret: str, phone_number_id: str) -> None:
        self.app_secret = app_secret
        self.phone_number_id = phone_number_id

    def signed(self, payload: Any) -> tuple[bytes, dict[str, str]]:
        raw = json.dumps(payload).encode()  # ensure_ascii, like Meta: "ä" travels as \u00e4
        return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, self.app_secret)}

    async def post(self, http: aiohttp.ClientSession, rasa_url: str, channel: str, payload: Any,
                   signature: Optional[str] = None) -> tuple[int, str]:
        """Deliver `payload` to Rasa's webhook for `channel`; `signature` replaces the correct one ("" = none)."""
        raw, headers = self.signed(payload)
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
            if not signature:
                del headers["X-Hub-Signature-256"]
        async with http.post(f"{rasa_url}/webhooks/{channel}/webhook", data=raw, headers=headers) as response:
            return response.status, await response.text()

    @staticmethod
    def messenger(psid: str, event: dict[str, Any]) -> dict[str, Any]:
        event = {"sender": {"id": psid}, "recipient": {"id": "PAGE_ID"}, "timestamp": int(time.time() * 1000), **event}
        return {"object": "page", "entry": [{"id": "PAGE_ID", "time": event["timestamp"], "messaging": [event]}]}

    @staticmethod
    def messenger_text(psid: str, text: str, mid: Optional[str] = None) -> dict[str, Any]:
        return MetaWebhooks.messenger(psid, {"message": {"mid": mid or f"m_{uuid.uuid4().hex}", "text": text}})

    @staticmethod
    def messenger_quick_reply(psid: str, title: str, payload: str) -> dict[str, Any]:
        message = {"mid": f"m_{uuid.uuid4().hex}", "text": title, "quick_reply": {"payload": payload}}
        return MetaWebhooks.messenger(psid, {"message": message})

    def whatsapp(self, wa_id: str, message: dict[str, Any], name: str = "") -> dict[str, Any]:
        message = {"from": wa_id, "id": f"wamid.{uuid.uuid4().hex}", "timestamp": str(int(time.time())), **message}
        value = {"messaging_product": "whatsapp",
                 "metadata": {"display_phone_number": "15550783881", "phone_number_id": self.phone_number_id},
                 "contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [message]}
        return {"object": "whatsapp_business_account",
                "entry": [{"id": "WABA_ID", "changes": [{"field": "messages", "value": value}]}]}

    def whatsapp_text(self, wa_id: str, text: str, name: str = "", message_id: Optional[str] = None) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "text", "text": {"body": text}}
        if message_id:
            message["id"] = message_id
        return self.whatsapp(wa_id, message, name)


# ---- what a webhook may carry, for fuzzing: any JSON, and JSON shaped like Meta's payloads with odd values ----
_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
_FIELDS = st.sampled_from([
    "object", "entry", "messaging", "changes", "value", "messages", "message", "sender", "id", "text", "body", "type",
    "from", "mid", "timestamp", "quick_reply", "payload", "postback", "attachments", "interactive", "button_reply",
    "list_reply", "button", "statuses", "contacts", "profile", "name", "wa_id", "is_echo", "field", "metadata",
])
_WORDS = st.sampled_from(["page", "whatsapp_business_account", "messages", "text", "interactive", "image"])
ANY_JSON = st.recursive(
    _LEAVES, lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children,
                                                                                max_size=4), max_leaves=30)
META_SHAPED_JSON = st.recursive(
    st.none() | st.integers() | st.text(max_size=10) | _WORDS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_FIELDS, children, max_size=5), max_leaves=40)
