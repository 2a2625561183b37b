"""The console is closed to strangers, to forged requests and to agents outside their languages."""
from __future__ import annotations

import json

import aiohttp
import pytest_asyncio
from redis.asyncio import Redis

from bot.desk.agents import AgentDirectory
from bot.desk.app import init_app
from bot.settings import Settings
from tests.integration.desk_client import DeskAgent, WebChatCustomer
from tests.conftest import AGENT_PASSWORD as PASSWORD


def console_routes() -> list[tuple[str, str]]:
    """Every route of the desk under /desk except the login page, read from the app itself."""
    app = init_app(Settings())
    routes = []
    for route in app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if (path == "/desk" or path.startswith("/desk/")) and path != "/desk/login" and route.method != "HEAD":
            routes.append((route.method, path.replace("{conversation_id}", "web-12345678").replace("{ticket_id}", "1")))
    return routes


@pytest_asyncio.fixture
async def polish_ticket(agents, queue):
    async with WebChatCustomer(agents, locale="pl-PL") as customer:
        await customer.say("chcę porozmawiać z konsultantem")
    return await queue.open_ticket(customer.sender)


async def test_no_console_route_answers_without_a_session(agents):
    routes = console_routes()
    assert len(routes) >= 15
    base = f"http://{agents.host}:{agents.desk_port}"
    async with aiohttp.ClientSession() as http:
        for method, path in routes:
            async with http.request(method, base + path, allow_redirects=False, json={}) as response:
                if path.startswith("/desk/api/") or path == "/desk/ws":
                    assert response.status == 401, (method, path, response.status)
                else:
                    assert response.status == 302 and response.headers["Location"] == "/desk/login", (method, path)
        async with http.get(base + "/desk/login") as response:
            assert response.status == 200 and 'name="password"' in await response.text()


async def test_the_session_cookie_is_a_random_id_and_http_only(agents):
    async with DeskAgent(agents) as ola:
        response = await ola.login("ola", PASSWORD)
        cookie = response.cookies["desk_session"]
        assert "ola" not in cookie.value and "csrf" not in cookie.value and len(cookie.value) >= 40
        assert cookie["httponly"] and cookie["samesite"] == "Strict"


async def test_changes_need_the_csrf_token(agents, polish_ticket, queue):
    async with DeskAgent(agents) as ola:
        await ola.login("ola", PASSWORD)
        posts = [path for method, path in console_routes() if method == "POST"]
        for path in posts:
            path = path.replace("/tickets/1/", f"/tickets/{polish_ticket.id}/")
            for token in ("", "forged-token"):
                status, _ = await ola.post(path, {"text": "hi", "resolution": "resolved", "to": "nikos"}, csrf=token)
                assert status == 403, (path, token)
        assert (await queue.get(polish_ticket.id)).state == "waiting"
        assert (await ola.get("/desk/api/me"))[0] == 200  # the forged logout did not log out either
        status, _ = await ola.post(f"/desk/api/tickets/{polish_ticket.id}/claim")
        assert status == 200


async def test_login_itself_needs_the_csrf_token(agents):
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        base = f"http://{agents.host}:{agents.desk_port}"
        async with http.post(base + "/desk/login", data={"name": "ola", "password": PASSWORD},
                             allow_redirects=False) as response:
            assert response.status == 403


async def test_agents_cannot_open_conversations_in_languages_they_do_not_serve(agents, polish_ticket):
    async with DeskAgent(agents) as nikos:
        await nikos.login("nikos", PASSWORD)
        conversation = polish_ticket.conversation_id
        assert (await nikos.get(f"/desk/conversations/{conversation}"))[0] == 403
        assert (await nikos.get(f"/desk/api/conversations/{conversation}"))[0] == 403
        for action in ("claim", "reply", "release", "hand-back", "close", "transfer"):
            status, _ = await nikos.post(f"/desk/api/tickets/{polish_ticket.id}/{action}", {"text": "hi"})
            assert status == 403, action
        _, snapshot = await nikos.get("/desk/api/queue")
        assert all(ticket["language"] == "el" for ticket in snapshot["waiting"])
        ws = await nikos.socket()
        await ws.send_str(json.dumps({"watch": conversation}))
        while (message := await ws.receive_json(timeout=10))["type"] != "error":
            pass
        assert message["error"] == "you cannot follow this conversation"
        await ws.close()


async def test_only_the_agent_holding_a_ticket_can_reply_or_close_it(agents, polish_ticket):
    async with DeskAgent(agents) as ola:
        await ola.login("ola", PASSWORD)
        status, _ = await ola.post(f"/desk/api/tickets/{polish_ticket.id}/reply", {"text": "hello"})
        assert status == 409  # not claimed yet
        await ola.post(f"/desk/api/tickets/{polish_ticket.id}/claim")
        assert (await ola.post(f"/desk/api/tickets/{polish_ticket.id}/claim"))[0] == 409
        assert (await ola.post(f"/desk/api/tickets/{polish_ticket.id}/close", {"resolution": "nonsense"}))[0] == 400
        assert (await ola.post(f"/desk/api/tickets/{polish_ticket.id}/reply", {"text": "  "}))[0] == 400


async def test_websockets_from_other_origins_are_refused(agents):
    async with DeskAgent(agents) as ola:
        await ola.login("ola", PASSWORD)
        try:
            await ola.http.ws_connect(f"{ola.base}/desk/ws", origin="http://evil.example")
            raise AssertionError("connected from another origin")
        except aiohttp.WSServerHandshakeError as error:
            assert error.status == 403


async def test_only_supervisors_read_conversations_that_were_never_handed_over(agents, customer_factory):
    redis = Redis(host=agents.redis_host, port=agents.redis_port, db=agents.redis_db)
    try:
        if await AgentDirectory(redis).get("sam") is None:
            await AgentDirectory(redis).add("sam", PASSWORD, ["en"], role="supervisor", display_name="Sam")
    finally:
        await redis.close()
    customer = customer_factory()
    customer.say("how much is delivery to Norway?")
    async with DeskAgent(agents) as sam, DeskAgent(agents) as ola:
        await sam.login("sam", PASSWORD)
        status, view = await sam.get(f"/desk/api/conversations/{customer.sender}")
        assert status == 200 and view["ticket"] is None and view["canned"] == []
        assert [t["text"] for t in view["transcript"] if t["who"] == "customer"] == ["how much is delivery to Norway?"]
        await ola.login("ola", PASSWORD)
        assert (await ola.get(f"/desk/api/conversations/{customer.sender}"))[0] == 404
