"""`make bench-faults`: a local multi-process deployment with faults injected, and what customers noticed.

Everything on 127.0.0.1: Redis master + replica (append-only file) with three Sentinels, two action servers and two
Rasa replicas, each pair behind a small TCP load balancer (`bench/relay.py`), the fake Graph API for Messenger and
WhatsApp. Customers in all seven languages write paced messages through the Messenger and WhatsApp webhooks (like
Meta, a delivery not answered 200 is delivered again with backoff) and the web chat (a message that was not
accepted is sent again, as a customer would). Each phase sends the same conversations; the faults:

- baseline: nothing happens;
- rasa replica killed: `kill -9` of one Rasa replica mid-run, restarted at once;
- action servers killed: `kill -9` of both action servers, restarted 10 s later;
- Redis failover: `kill -9` of the Redis master; the Sentinels promote the replica; the old master comes back as a
  replica;
- everything restarted: `kill -9` of both Rasa replicas and both action servers, all started again.

Per phase: messages sent, answered, answered twice, lost (accepted, never answered), the worst time from sending to
the answer, and the worst time from the part coming back to the answer (target: 0 lost, 0 twice, within 10 s).
A message counts as answered when the customer got a real answer (the "busy" notice does not count); twice when
the conversation holds it twice or the customer got more replies than the bot produced. `told busy`: customers who
got the "busy, we will answer shortly" notice in their language (Messenger, WhatsApp, web chat).
"""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Optional

import aiohttp
import redis.asyncio as aioredis

from bench.relay import Relay
from bench.sentinels import MASTER_NAME, SentinelRedis
from bot.intake.texts import BUSY
from bot.services import free_port, http_ok, wait_until
from bot.settings import PROJECT_ROOT, Settings
from tests.fakes.graph_api import FakeGraphAPI

# Two questions per language, written the way customers write them.
QUESTIONS = {
    "en": ["hi, what payment methods do you take?", "and when are you open?"],
    "el": ["γεια σας, πώς μπορώ να πληρώσω;", "τι ώρες είστε ανοιχτά;"],
    "pl": ["dzień dobry, jakie są formy płatności?", "a w jakich godzinach jesteście otwarci?"],
    "sr": ["zdravo, kako mogu da platim?", "koje je vaše radno vreme?"],
    "hr": ["bok, kako mogu platiti?", "koje je vaše radno vrijeme?"],
    "nb": ["hei, hvilke betalingsmåter har dere?", "når har dere åpent?"],
    "da": ["hej, hvordan kan jeg betale?", "hvornår har I åbent?"],
}
CHANNELS = ("whatsapp", "messenger", "rest")
CALLING_CODES = {"en": "44", "el": "30", "pl": "48", "sr": "381", "hr": "385", "nb": "47", "da": "45"}
BUSY_TEXTS = set(BUSY.values())
SEND_GAP_SECONDS = 0.4
FAULT_AFTER_SECONDS = 4.0
SETTLE_SECONDS = 90.0


@dataclasses.dataclass
class Sent:
    channel: str
    customer: str
    language: str
    text: str
    message_id: str
    sent_at: float
    accepted_at: Optional[float] = None
    told_busy: bool = False
    answered_at: Optional[float] = None


@dataclasses.dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    health: str
    popen: Optional[subprocess.Popen] = None


class Deployment:
    def __init__(self, root: Path, graph: FakeGraphAPI) -> None:
        self.root = root
        self.graph = graph
        self.redis = SentinelRedis(root / "redis")
        self.token = secrets.token_urlsafe(16)
        self.action_ports = [free_port(), free_port()]
        self.rasa_ports = [free_port(), free_port()]
        self.actions_lb = Relay([("127.0.0.1", p) for p in self.action_ports])
        self.rasa_lb = Relay([("127.0.0.1", p) for p in self.rasa_ports])
        self.processes: dict[str, Process] = {}
        (root / "logs").mkdir(parents=True, exist_ok=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_lb.port}"

    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.graph.environment(),
                "REDIS_SENTINELS": self.redis.sentinels, "REDIS_SENTINEL_MASTER": MASTER_NAME,
                "REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(self.redis.ports[0]), "REDIS_DB": "0",
                "ACTION_SERVER_URL": f"http://127.0.0.1:{self.actions_lb.port}/webhook",
                "RASA_AUTH_TOKEN": self.token, "SANIC_WORKERS": "1", "RASA_TELEMETRY_ENABLED": "false",
                "TICKET_LOCK_LIFETIME": str(Settings().ticket_lock_lifetime),
                "ORDERS_URL": "http://127.0.0.1:9", "RUN_DIR": str(self.root)}

    def start(self) -> None:
        self.redis.start()
        self.actions_lb.start()
        self.rasa_lb.start()
        rasa = str(Path(sys.executable).parent / "rasa")
        for n, port in enumerate(self.action_ports):
            self.processes[f"actions-{n}"] = Process(
                f"actions-{n}", [rasa, "run", "actions", "--actions", "actions", "--port", str(port)],
                self.environment(), port, f"http://127.0.0.1:{port}/health")
        for n, port in enumerate(self.rasa_ports):
            self.processes[f"rasa-{n}"] = Process(
                f"rasa-{n}", [rasa, "run", "--model", str(PROJECT_ROOT / "models/current.tar.gz"), "--endpoints",
                              "endpoints.yml", "--credentials", "credentials.yml", "--port", str(port),
                              "--interface", "127.0.0.1", "--enable-api", "--auth-token", self.token],
                self.environment(), port, f"http://127.0.0.1:{port}/status?token={self.token}")
        self.launch(list(self.processes))

    def launch(self, names: list[str]) -> None:
        for name in names:
            process = self.processes[name]
            log = open(self.root / "logs" / f"{name}.log", "ab")
            process.popen = subprocess.Popen(process.command, cwd=PROJECT_ROOT, env=process.env, stdout=log,
                                             stderr=subprocess.STDOUT, start_new_session=True)
        for name in names:
            process = self.processes[name]
            wait_until(lambda: http_ok(process.health), 600, name, process.popen)

    def kill(self, names: list[str]) -> None:
        for name in names:
            popen = self.processes[name].popen
            if popen is not None and popen.poll() is None:
                os.killpg(popen.pid, signal.SIGKILL)
                popen.wait(10)

    def stop(self) -> None:
        for process in self.processes.values():
            if process.popen is not None and process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in self.processes.values():
            if process.popen is not None:
                try:
                    process.popen.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.popen.pid, signal.SIGKILL)
        self.rasa_lb.close()
        self.actions_lb.close()
        self.redis.stop()


class Customers:
    """Sends the paced conversations of one phase and works out what each customer noticed."""

    def __init__(self, deployment: Deployment, phase: str) -> None:
        self.deployment = deployment
        self.graph = deployment.graph
        self.phase = phase
        self.sent: list[Sent] = []

    def customer(self, channel: str, language: str) -> str:
        tag = uuid.uuid4().hex[:10]
        if channel == "whatsapp":
            return CALLING_CODES[language] + str(int(tag, 16))[:9]
        if channel == "messenger":
            return str(10**15 + int(tag, 16) % 10**15)
        return f"web-bench-{tag}"

    async def run(self, fault, back_at: list[float]) -> dict:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=40)) as http:
            plan = [(channel, language, self.customer(channel, language))
                    for language in QUESTIONS for channel in CHANNELS]
            tasks = []
            fault_task = asyncio.get_running_loop().create_task(self._fault_later(fault, back_at))
            for turn in range(2):
                for channel, language, customer in plan:
                    item = Sent(channel, customer, language, QUESTIONS[language][turn], f"bench.{uuid.uuid4().hex}",
                                time.time())
                    self.sent.append(item)
                    tasks.append(asyncio.create_task(self.deliver(http, item)))
                    await asyncio.sleep(SEND_GAP_SECONDS)
            await fault_task
            await asyncio.gather(*tasks)
            deadline = max(back_at[0] if back_at else 0, time.time()) + SETTLE_SECONDS
            while time.time() < deadline and not await self.all_answered(http):
                await asyncio.sleep(1)
            return await self.figures(http, back_at[0] if back_at else 0.0)

    async def _fault_later(self, fault, back_at: list[float]) -> None:
        await asyncio.sleep(FAULT_AFTER_SECONDS)
        back = await asyncio.get_running_loop().run_in_executor(None, fault)
        back_at.append(back or time.time())

    async def deliver(self, http: aiohttp.ClientSession, item: Sent) -> None:
        """Like Meta (and a customer on the web chat): again, with backoff, until it is accepted."""
        wait = 1.0
        while time.time() - item.sent_at < 600:
            try:
                if item.channel == "rest":
                    async with http.post(f"{self.deployment.url}/webhooks/rest/webhook", json={
                            "sender": item.customer, "message": item.text, "message_id": item.message_id}) as r:
                        if r.status in (200, 202):
                            item.accepted_at = item.accepted_at or time.time()
                            replies = await r.json()
                            if r.status == 200 and replies:
                                item.answered_at = time.time()
                            item.told_busy = any(reply.get("busy") for reply in replies)
                            return
                else:
                    payload = (self.graph.webhooks.whatsapp_text(item.customer, item.text,
                                                                 message_id=item.message_id)
                               if item.channel == "whatsapp"
                               else self.graph.webhooks.messenger_text(item.customer, item.text, mid=item.message_id))
                    status, _ = await self.graph.webhooks.post(http, self.deployment.url, item.channel, payload)
                    if status == 200:
                        item.accepted_at = time.time()
                        return
            except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                pass
            await asyncio.sleep(wait)
            wait = min(wait * 2, 5.0)

    async def tracker_events(self, http: aiohttp.ClientSession, customer: str) -> list[dict]:
        try:
            async with http.get(f"{self.deployment.url}/conversations/{customer}/tracker",
                                params={"token": self.deployment.token}) as response:
                return (await response.json()).get("events", []) if response.status == 200 else []
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError):
            return []

    def replies_received(self, customer: str) -> list:
        return [r for r in self.graph.delivered(customer) if r.text not in BUSY_TEXTS]

    async def outbox(self, customer: str) -> list[tuple[float, dict]]:
        client = aioredis.Redis(host="127.0.0.1", port=self.deployment.redis.master_port())
        try:
            import json

            entries = await client.xrange(f"outbox:{customer}")
            return [(int(entry_id.decode().split("-")[0]) / 1000, json.loads(fields[b"message"]))
                    for entry_id, fields in entries]
        except Exception:  # noqa: BLE001 - Redis failing over: ask again next round
            return []
        finally:
            await client.close()

    async def all_answered(self, http: aiohttp.ClientSession) -> bool:
        await self.mark_answers(http)
        return all(item.answered_at for item in self.sent if item.accepted_at)

    async def mark_answers(self, http: aiohttp.ClientSession) -> None:
        """Answer times: the first reply the customer got after each of their messages."""
        by_customer: dict[str, list[Sent]] = {}
        for item in self.sent:
            by_customer.setdefault(item.customer, []).append(item)
        for customer, items in by_customer.items():
            if all(item.answered_at for item in items if item.accepted_at):
                continue
            if items[0].channel == "rest":
                arrivals = [at for at, message in await self.outbox(customer) if not message.get("busy")]
            else:
                arrivals = [r.at for r in self.replies_received(customer)]
            events = await self.tracker_events(http, customer)
            for item in items:
                if item.answered_at or not item.accepted_at:
                    continue
                handled = [i for i, e in enumerate(events) if e.get("event") == "user"
                           and e.get("message_id") == item.message_id]
                if not handled or not any(e.get("event") == "bot" for e in events[handled[0]:]):
                    continue
                later = [at for at in arrivals if at >= item.sent_at]
                if later:
                    item.answered_at = min(later)

    async def figures(self, http: aiohttp.ClientSession, back_at: float) -> dict:
        await self.mark_answers(http)
        twice = 0
        for customer in {item.customer for item in self.sent}:
            events = await self.tracker_events(http, customer)
            ids = [e.get("message_id") for e in events if e.get("event") == "user"]
            twice += sum(ids.count(i) - 1 for i in set(ids) if ids.count(i) > 1)
            channel = next(item.channel for item in self.sent if item.customer == customer)
            if channel != "rest":
                bot_events = len([e for e in events if e.get("event") == "bot"])
                twice += len(self.replies_received(customer)) > bot_events
        answered = [item for item in self.sent if item.answered_at]
        customers = {item.customer: item.channel for item in self.sent}
        busy = sum(1 for customer, channel in customers.items() if channel != "rest"
                   and any(r.text in BUSY_TEXTS for r in self.graph.delivered(customer)))
        busy += len({item.customer for item in self.sent if item.told_busy})
        return {
            "busy": busy,
            "sent": len(self.sent),
            "answered": len(answered),
            "twice": twice,
            "lost": len([item for item in self.sent if item.accepted_at and not item.answered_at]),
            "not accepted": len([item for item in self.sent if not item.accepted_at]),
            "worst": max((item.answered_at - item.sent_at for item in answered), default=0.0),
            "after back": max((item.answered_at - max(item.sent_at, back_at) for item in answered), default=0.0),
        }


def faults(deployment: Deployment) -> list[tuple[str, object]]:
    def nothing() -> float:
        return time.time()

    def kill_rasa_replica() -> float:
        deployment.kill(["rasa-0"])
        back = time.time()  # the other replica serves on; the killed one restarts
        deployment.launch(["rasa-0"])
        return back

    def kill_action_servers() -> float:
        deployment.kill(["actions-0", "actions-1"])
        time.sleep(10)
        deployment.launch(["actions-0", "actions-1"])
        return time.time()

    def fail_redis_over() -> float:
        old = deployment.redis.kill_master()
        deployment.redis.wait_for_failover(old)
        back = time.time()
        deployment.redis.restart_as_replica(old)
        return back

    def restart_everything() -> float:
        names = ["rasa-0", "rasa-1", "actions-0", "actions-1"]
        deployment.kill(names)
        deployment.launch(names)
        return time.time()

    return [("baseline (no fault)", nothing), ("Rasa replica killed", kill_rasa_replica),
            ("action servers killed", kill_action_servers), ("Redis master killed, failover", fail_redis_over),
            ("everything killed, restarted", restart_everything)]


def table(rows: list[tuple[str, dict]]) -> str:
    head = f"{'phase':32} {'sent':>5} {'answered':>9} {'twice':>6} {'lost':>5} {'not acc.':>9} " \
           f"{'worst s':>8} {'after back s':>13} {'told busy':>10}"
    lines = [head, "-" * len(head)]
    for name, f in rows:
        lines.append(f"{name:32} {f['sent']:>5} {f['answered']:>9} {f['twice']:>6} {f['lost']:>5} "
                     f"{f['not accepted']:>9} {f['worst']:>8.1f} {f['after back']:>13.1f} {f['busy']:>10}")
    return "\n".join(lines)


async def main(only: Optional[list[str]], max_minutes: float) -> int:
    started = time.time()
    graph = FakeGraphAPI().start()
    root = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    deployment = Deployment(root, graph)
    print(f"Starting Redis + replica + 3 Sentinels, 2 action servers, 2 Rasa replicas (logs in {root}/logs) ...",
          flush=True)
    rows: list[tuple[str, dict]] = []
    try:
        await asyncio.get_running_loop().run_in_executor(None, deployment.start)
        print(f"  up after {time.time() - started:.0f} s", flush=True)
        for name, fault in faults(deployment):
            if only and not any(word.lower() in name.lower() for word in only):
                continue
            if time.time() - started > max_minutes * 60:
                print(f"Stopping: the bench's {max_minutes:.0f} minutes are up", flush=True)
                break
            print(f"Phase: {name} ...", flush=True)
            figures = await Customers(deployment, name).run(fault, [])
            rows.append((name, figures))
            print(table([rows[-1]]).splitlines()[-1], flush=True)
    finally:
        deployment.stop()
        graph.stop()
    print("\n" + table(rows))
    print("Target: 0 lost, 0 twice, every answer within 10 s of the part coming back (`after back`).")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="run only the phases whose name contains one of these words")
    parser.add_argument("--max-minutes", type=float, default=45)
    arguments = parser.parse_args()
    sys.exit(asyncio.run(main(arguments.only, arguments.max_minutes)))
