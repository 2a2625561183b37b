"""Shared fixtures: a real Redis server, and the real stack (action server, Rasa, desk) on free ports."""
from __future__ import annotations

import json
import re
import os
import secrets
import subprocess
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Iterator, Optional

import pytest
import pytest_asyncio
from redis.asyncio import Redis

from bot.desk.agents import AgentDirectory
from bot.handoff.queue import TicketQueue
from bot.services import Stack, free_port, port_open, redis_server_binary, wait_until
from bot.settings import PROJECT_ROOT, Settings
from tests.fakes.graph_api import FakeGraphAPI

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A throw-away Redis server for the whole test session."""
    port = free_port()
    data_dir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir), "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(lambda: port_open("127.0.0.1", port), 15, "Redis", process)
    yield port
    process.terminate()
    process.wait(10)


UNIT_DB = 2  # the database unit tests use on the session's Redis server (the stack uses 1)


@pytest_asyncio.fixture
async def redis(redis_port: int):
    """A clean database on the session's Redis server, flushed before and after the test."""
    client = Redis(host="127.0.0.1", port=redis_port, db=UNIT_DB)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.close()


@pytest.fixture(scope="session")
def stack_settings(redis_port: int, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    model = PROJECT_ROOT / "models/current.tar.gz"
    if not model.exists():
        pytest.fail("no trained model: run the tests through `make test`, which trains first")
    return Settings(
        redis_host="127.0.0.1",
        redis_port=redis_port,
        redis_db=1,
        rasa_port=free_port(),
        action_port=free_port(),
        desk_port=free_port(),
        host="127.0.0.1",
        model=model,
        run_dir=tmp_path_factory.mktemp("run"),
        rasa_token=secrets.token_urlsafe(16),
        orders_port=free_port(),
        orders_api_key=secrets.token_urlsafe(16),
    )


@pytest.fixture(scope="session")
def graph_api() -> Iterator[FakeGraphAPI]:
    """Meta's Graph API, faked on 127.0.0.1; its made-up secrets configure the stack's Messenger and WhatsApp."""
    fake = FakeGraphAPI().start()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in fake.environment().items():
            patch.setenv(name, value)
        yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(stack_settings: Settings, graph_api: FakeGraphAPI) -> Iterator[Settings]:
    """The real assistant: demo order system, action server, Rasa (Redis tracker and lock stores) and the desk."""
    running = Stack(stack_settings, stack_settings.run_dir / "logs")
    try:
        running.start_orders()
        running.start_actions()
        running.start_rasa()
        running.start_desk()
        yield stack_settings
    except (RuntimeError, TimeoutError) as error:
        logs = "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in (stack_settings.run_dir / "logs").glob("*.log")
        )
        pytest.fail(f"stack did not start: {error}\n{logs}")
    finally:
        running.stop()


def http_json(url: str, payload: Optional[dict] = None, timeout: float = 30) -> Any:
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


class Customer:
    """One customer talking to the bot through Rasa's REST channel."""

    def __init__(self, settings: Settings, sender: str, metadata: Optional[dict] = None) -> None:
        self.settings = settings
        self.sender = sender
        self.metadata = metadata

    def say(self, text: str) -> list[dict]:
        payload = {"sender": self.sender, "message": text}
        if self.metadata:
            payload["metadata"] = self.metadata
        return http_json(f"{self.settings.rasa_url}/webhooks/rest/webhook", payload)

    def tracker(self) -> dict:
        return http_json(f"{self.settings.rasa_url}/conversations/{self.sender}/tracker?token={self.settings.rasa_token}")


@pytest.fixture
def customer_factory(stack: Settings, request: pytest.FixtureRequest):
    def make(metadata: Optional[dict] = None) -> Customer:
        name = re.sub(r"[^A-Za-z0-9-]", "-", request.node.name)[:40]
        return Customer(stack, f"test-{name}-{uuid.uuid4().hex[:12]}", metadata)

    return make


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT


AGENT_PASSWORD = "test-password-123"


@pytest_asyncio.fixture(scope="session")
async def agents(stack: Settings):
    """Ola speaks Polish and English, Nikos Greek; both exist in the stack's Redis."""
    redis = Redis(host=stack.redis_host, port=stack.redis_port, db=stack.redis_db)
    directory = AgentDirectory(redis)
    for name, spoken, display in (("ola", ["pl", "en"], "Ola K."), ("nikos", ["el"], "Nikos")):
        if await directory.get(name) is None:
            await directory.add(name, AGENT_PASSWORD, spoken, display_name=display)
    yield stack
    await redis.close()


@pytest_asyncio.fixture
async def queue(stack: Settings):
    """The stack's handoff queue."""
    redis = Redis(host=stack.redis_host, port=stack.redis_port, db=stack.redis_db)
    yield TicketQueue(redis)
    await redis.close()
