"""Operations on the real processes: every process is alive, ready and counts what happens (Prometheus); readiness
follows Redis; and with LOG_MODE=production no customer text reaches a log, even while Redis is down."""
from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from typing import Iterator

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.services import Stack, free_port, port_open, redis_server_binary, wait_until
from bot.settings import Settings


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def post(url: str, body: dict, timeout: float = 40) -> int:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def samples(url: str) -> dict[tuple[str, tuple], float]:
    status, text = get(url)
    assert status == 200, text[:500]
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(figures: dict, name: str, **labels: str) -> float:
    """The sum of a series over the labels not given."""
    return sum(v for (n, series), v in figures.items() if n == name and labels.items() <= dict(series).items())


def endpoints(settings: Settings) -> dict[str, str]:
    """Where each process answers its operations endpoints."""
    return {"rasa": f"{settings.rasa_url}/webhooks/ops", "actions": f"http://{settings.host}:{settings.action_port}",
            "desk": f"http://{settings.host}:{settings.desk_port}"}


def test_every_process_is_ready_and_counts_a_real_conversation(stack, customer_factory):
    for name, base in endpoints(stack).items():
        assert get(f"{base}/healthz")[0] == 200, name
        assert get(f"{base}/readyz")[0] == 200, name
    customer = customer_factory(metadata={"locale": "pl_PL"})
    assert customer.say("dzień dobry, jak mogę zapłacić za zamówienie?")
    customer.say("chcę porozmawiać z konsultantem")

    rasa = samples(f"{endpoints(stack)['rasa']}/metrics")
    assert value(rasa, "shop_messages_in_total", channel="rest", language="pl") >= 2
    assert value(rasa, "shop_messages_out_total", channel="rest", language="pl") >= 2
    assert value(rasa, "shop_reply_seconds_count", channel="rest") >= 2
    actions = samples(f"{endpoints(stack)['actions']}/metrics")
    assert value(actions, "shop_handoffs_total", language="pl") >= 1
    desk = samples(f"{endpoints(stack)['desk']}/metrics")
    assert value(desk, "shop_queue_waiting", language="pl") >= 1
    assert ("shop_queue_waiting", (("language", "da"),)) in desk  # every language, also when 0
    assert any(name == "shop_intake_pending" for name, _ in desk)


@pytest.fixture(scope="module")
def redis_down_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, subprocess.Popen]]:
    """Its own Redis (so it can be stopped), action server, Rasa and desk, logging in production mode."""
    run_dir = tmp_path_factory.mktemp("fragile")
    patch = pytest.MonkeyPatch()
    patch.setenv("LOG_MODE", "production")
    patch.setenv("ORDER_SYSTEM", "demo")
    for workers in ("RASA_WORKERS", "ACTION_WORKERS"):  # one process each: one model load, a quick start
        patch.setenv(workers, "1")
    settings = Settings(redis_host="127.0.0.1", redis_port=free_port(), redis_db=0, redis_url="", redis_sentinels="",
                        rasa_port=free_port(), action_port=free_port(), desk_port=free_port(), host="127.0.0.1",
                        run_dir=run_dir, rasa_token="ops-test-token", orders_port=free_port())
    redis = subprocess.Popen([redis_server_binary(), "--port", str(settings.redis_port), "--bind", "127.0.0.1",
                              "--save", "", "--dir", str(run_dir)], stdout=subprocess.DEVNULL)
    wait_until(lambda: port_open("127.0.0.1", settings.redis_port), 15, "Redis", redis)
    running = Stack(settings, run_dir / "logs")
    try:
        running.start_actions()
        running.start_rasa()
        running.start_desk()
        yield settings, redis
    finally:
        running.stop()
        patch.undo()
        if redis.poll() is None:
            redis.terminate()
            redis.wait(10)


SECRETS = ("anna.kowalska@example.com", "+48 601 234 567", "gdzie jest moja paczka")


def test_readiness_fails_while_redis_is_down_and_no_customer_text_is_logged(redis_down_stack):
    settings, redis = redis_down_stack
    for name, base in endpoints(settings).items():
        assert get(f"{base}/readyz")[0] == 200, name
    text = f"{SECRETS[2]}? mój mail to {SECRETS[0]}, telefon {SECRETS[1]}"
    desk = endpoints(settings)["desk"]
    assert post(f"{desk}/chat/api/messages", {"sender": "web-0123456789ab", "text": text, "locale": "pl-PL"}) < 500
    redis.terminate()
    redis.wait(10)

    for name, base in endpoints(settings).items():
        status, body = get(f"{base}/readyz")
        assert status == 503 and "redis" in body, (name, status, body)
        assert get(f"{base}/healthz")[0] == 200, name  # alive: no restart for a Redis outage
    post(f"{desk}/chat/api/messages", {"sender": "web-0123456789ab", "text": text, "locale": "pl-PL"})
    post(f"{settings.rasa_url}/webhooks/rest/webhook", {"sender": "web-0123456789cd", "message": text})
    time.sleep(2)  # let the retries and the failure logs happen

    logs = {path.name: path.read_text(errors="replace") for path in (settings.run_dir / "logs").glob("*.log")}
    assert {"rasa.log", "actions.log", "desk.log"} <= set(logs)
    for name, content in logs.items():
        for secret in SECRETS + ("601 234 567", "kowalska"):
            assert secret not in content, f"{secret!r} in {name}"
    rasa_lines = [json.loads(line) for line in logs["rasa.log"].splitlines() if line.startswith("{")]
    assert rasa_lines and all("level" in line for line in rasa_lines)  # JSON lines
