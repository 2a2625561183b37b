"""Agents' accounts: server-side sessions that logout and an administrator end everywhere, a login throttle that slows
a guesser without locking the owner out, Secure cookies off localhost. Only Redis and the desk run here."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from typing import Iterator

import aiohttp
import pytest
import pytest_asyncio
from redis.asyncio import Redis

from bot.desk.agents import AgentDirectory
from bot.services import Stack, free_port
from bot.settings import Settings
from tests.conftest import AGENT_PASSWORD as PASSWORD
from tests.integration.desk_client import DeskAgent

DESK_DB = 4  # this module's database on the session's Redis server


@pytest.fixture(scope="module")
def desk_settings(redis_port: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    settings = Settings(redis_host="127.0.0.1", redis_port=redis_port, redis_db=DESK_DB, redis_url="",
                        redis_sentinels="", host="127.0.0.1", desk_port=free_port(), rasa_port=free_port(),
                        run_dir=tmp_path_factory.mktemp("desk"))
    running = Stack(settings, settings.run_dir / "logs")
    try:
        running.start_desk()
        yield settings
    finally:
        running.stop()


@pytest_asyncio.fixture(scope="module")
async def desk(desk_settings: Settings):
    """The desk with Ola (Polish, English) and Nikos (Greek)."""
    redis = Redis(host="127.0.0.1", port=desk_settings.redis_port, db=DESK_DB)
    await redis.flushdb()
    directory = AgentDirectory(redis)
    await directory.add("ola", PASSWORD, ["pl", "en"], display_name="Ola K.")
    await directory.add("nikos", PASSWORD, ["el"], display_name="Nikos")
    yield desk_settings
    await redis.flushdb()
    await redis.close()


async def _forget_failed_logins(settings) -> None:
    redis = Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db)
    try:
        for pattern in ("desk:login:pair:*", "desk:login:address:*"):
            keys = await redis.keys(pattern)
            if keys:
                await redis.delete(*keys)
    finally:
        await redis.close()


async def test_a_wrong_password_does_not_log_in_and_repeated_failures_slow_that_address_down(desk):
    await _forget_failed_logins(desk)
    try:
        async with DeskAgent(desk, address="127.0.0.2") as attacker:
            response = await attacker.login("nikos", "not-the-password")
            assert response.headers["Location"] == "/desk/login?failed=1"
            assert (await attacker.get("/desk/api/me"))[0] == 401
            for _ in range(4):
                await attacker.login("nikos", "guess-guess-guess")
            response = await attacker.login("nikos", PASSWORD)  # even the right password must wait now
            assert response.headers["Location"].startswith("/desk/login?locked=1&wait=")
            assert (await attacker.get("/desk/api/me"))[0] == 401
            status, page = await attacker.get(response.headers["Location"])
            assert "try again in" in page
    finally:
        await _forget_failed_logins(desk)


async def test_guessing_does_not_lock_the_owner_out_from_another_address_nor_after_the_wait(desk):
    await _forget_failed_logins(desk)
    try:
        async with DeskAgent(desk, address="127.0.0.2") as attacker:
            for _ in range(6):
                await attacker.login("ola", "guess-guess-guess")
            assert "locked=1" in (await attacker.login("ola", PASSWORD)).headers["Location"]
        async with DeskAgent(desk, address="127.0.0.3") as owner:
            assert (await owner.login("ola", PASSWORD)).headers["Location"] == "/desk"
            assert (await owner.get("/desk/api/me"))[0] == 200
        async with DeskAgent(desk, address="127.0.0.2") as owner_at_the_cafe:
            location = "locked=1"
            for _ in range(40):  # the wait doubles from one second: it is over within a few seconds here
                await asyncio.sleep(0.5)
                location = (await owner_at_the_cafe.login("ola", PASSWORD)).headers["Location"]
                if "locked=1" not in location:
                    break
            assert location == "/desk"
    finally:
        await _forget_failed_logins(desk)


async def test_parallel_guesses_are_all_counted(desk):
    """The count and the check are one Redis operation: 30 guesses at once do not all get through."""
    await _forget_failed_logins(desk)
    try:
        async with DeskAgent(desk, address="127.0.0.4") as attacker:
            await attacker.login("nikos", "warm-up-guess")  # fetches the CSRF token
            token = attacker.login_token
            form = {"name": "nikos", "password": "parallel-guess", "csrf_token": token}

            async def guess() -> str:
                async with attacker.http.post(f"{attacker.base}/desk/login", data=form,
                                              allow_redirects=False) as response:
                    return response.headers["Location"]

            locations = await asyncio.gather(*(guess() for _ in range(30)))
            checked = [location for location in locations if location.endswith("failed=1")]
            assert len(checked) <= 4, locations  # 5 free attempts, one used by the warm-up
    finally:
        await _forget_failed_logins(desk)


async def test_the_session_cookie_is_a_random_id_and_http_only(desk):
    async with DeskAgent(desk) as ola:
        response = await ola.login("ola", PASSWORD)
        cookie = response.cookies["desk_session"]
        assert "ola" not in cookie.value and "csrf" not in cookie.value and len(cookie.value) >= 40
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        assert not cookie["secure"]  # opened on localhost (http://127.0.0.1): browsers need it without TLS


async def test_the_cookie_is_secure_when_the_desk_is_not_on_localhost(desk):
    base = f"http://{desk.host}:{desk.desk_port}"
    async with aiohttp.ClientSession() as http:
        for host in ("desk.example-shop.com", "10.1.2.3:8080"):
            async with http.get(base + "/desk/login", headers={"Host": host}) as response:
                assert response.cookies["desk_session"]["secure"], host
        async with http.get(base + "/desk/login", headers={"Host": "localhost:8080"}) as response:
            assert not response.cookies["desk_session"]["secure"]


async def test_logout_ends_the_session_for_every_copy_of_the_cookie(desk):
    async with DeskAgent(desk) as ola, DeskAgent(desk, address="127.0.0.5") as thief:
        await ola.login("ola", PASSWORD)
        copied = ola.http.cookie_jar.filter_cookies(ola.base)["desk_session"].value
        thief.http.cookie_jar.update_cookies({"desk_session": copied})
        assert (await thief.get("/desk/api/me"))[0] == 200  # a copied cookie works while the session lives
        assert (await ola.post("/desk/logout"))[0] in (200, 302)
        assert (await thief.get("/desk/api/me"))[0] == 401
        assert (await ola.get("/desk/api/me"))[0] == 401


async def test_an_administrator_ends_every_session_of_an_agent(desk):
    async with DeskAgent(desk) as laptop, DeskAgent(desk) as phone:
        await laptop.login("nikos", PASSWORD)
        await phone.login("nikos", PASSWORD)
        assert (await phone.get("/desk/api/me"))[0] == 200
        environment = {**os.environ, **desk.environment()}
        result = subprocess.run([sys.executable, "-m", "bot.cli", "agents", "logout", "nikos"], env=environment,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0 and "Ended 2 session(s) of nikos" in result.stdout, result.stderr
        assert (await laptop.get("/desk/api/me"))[0] == 401
        assert (await phone.get("/desk/api/me"))[0] == 401
