"""Many customers at once: latency and throughput of the stack as `make run` starts it, side by side with bare
`rasa run` on the same model, in the same run.

    make bench-load                          # about 15 minutes
    make bench-load BENCH_ARGS=--quick       # under two minutes: fewer, shorter phases (what `make test` runs)

Starts Redis, the demo order system, the fake Graph API (tests/fakes/graph_api.py), one action server, and two
Rasa servers on free ports: "ours" (endpoints.yml: append-only tracker store, atomic lock store, event stream,
`settings.rasa_workers` processes) and "bare" (one `rasa run` process with Rasa's in-memory tracker and lock stores,
no event broker, the same action server, NLG and channels). Each phase drives simulated customers against one side,
then the same against the other: four turns per conversation (the first message of a conversation included), then a
new conversation; questions from the held-out test sets of every language (Serbian also in Cyrillic, Greek also in
Greeklish); either without pause (saturation) or with ~3 s between a reply and the next message (paced, 2-4 s).
Through the web chat (REST) channel a message's latency is its HTTP round trip; through the WhatsApp webhook it is
from the signed delivery until the fake Graph API received the turn's first reply.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Awaitable, Callable, Optional

import aiohttp
import yaml

from bench import cpu
from bot.services import Stack, free_port
from bot.settings import PROJECT_ROOT, Settings
from bot.transliterate import latin_to_cyrillic
from tests.fakes.graph_api import FakeGraphAPI, Request

INTENTS = ("ask_opening_hours", "ask_shipping", "ask_payment_methods", "ask_return_policy")
LANGUAGES = ("en", "el", "pl", "sr", "sr-Cyrl", "hr", "nb", "da")
COMPARED = ("en", "el", "sr-Cyrl", "nb")  # the paths that must be as fast as English
CALLING_CODES = {"en": "44", "el": "30", "pl": "48", "sr": "381", "sr-Cyrl": "381", "hr": "385", "nb": "47", "da": "45"}
REST_PATH = "/webhooks/rest/webhook"  # the web chat's channel; --webchat-path when it moves
REPLY_TIMEOUT = 30.0
QUIET_SECONDS = 0.3
BARE_ENDPOINTS = "action_endpoint:\n  url: ${ACTION_SERVER_URL}\nnlg:\n  type: bot.nlg.MultilingualNLG\n"


# ---- what customers write ---------------------------------------------------------------------------------------
def _is_greek(text: str) -> bool:
    return any("\u0370" <= char <= "\u03ff" for char in text)


def load_questions() -> dict[str, dict[str, list[str]]]:
    """{language: {intent: [messages]}} from the held-out test sets (never trained on)."""
    found: dict[str, dict[str, list[str]]] = {}
    for language in ("en", "el", "pl", "sr", "hr", "nb", "da"):
        data = yaml.safe_load((PROJECT_ROOT / "tests/data" / f"{language}.yml").read_text(encoding="utf-8"))
        for block in data["nlu"]:
            if block["intent"] in INTENTS:
                examples = [line[2:].strip() for line in block["examples"].splitlines() if line.startswith("- ")]
                found.setdefault(language, {})[block["intent"]] = examples
    found["sr-Cyrl"] = {intent: [latin_to_cyrillic(text) for text in texts] for intent, texts in found["sr"].items()}
    return found


def conversation_script(questions: dict[str, dict[str, list[str]]], language: str, number: int) -> list[str]:
    """Four questions of one conversation: the FAQ intents in a rotating order, a different wording each time."""
    intents = INTENTS[number % 4:] + INTENTS[:number % 4]
    return [questions[language][intent][(number + turn) % len(questions[language][intent])]
            for turn, intent in enumerate(intents)]


# ---- measurements -----------------------------------------------------------------------------------------------
@dataclass
class Sample:
    language: str
    turn: int
    seconds: Optional[float]  # None: not answered within REPLY_TIMEOUT
    conversation: str = ""
    why: str = ""  # for an unanswered one: what came back instead
    with_person: bool = False  # unanswered because the conversation was handed to a person (none in the bench)

    @property
    def first(self) -> bool:
        return self.turn == 0


@dataclass
class Result:
    samples: list[Sample] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per part (bench/cpu.py) while it ran

    def add(self, other: "Result") -> None:
        """Another slice of the same load: its samples and CPU, and its time added to the measured time."""
        self.samples += other.samples
        self.ended = self.started + (self.ended - self.started) + (other.ended - other.started)
        for part, seconds in other.cpu.items():
            self.cpu[part] = self.cpu.get(part, 0.0) + seconds

    @property
    def answered(self) -> list[float]:
        return [s.seconds for s in self.samples if s.seconds is not None]

    @property
    def unanswered(self) -> int:
        """Messages the bot left without an answer although no person had the conversation."""
        return sum(1 for s in self.samples if s.seconds is None and not s.with_person)

    @property
    def with_person(self) -> int:
        return sum(1 for s in self.samples if s.with_person)

    @property
    def throughput(self) -> float:
        return len(self.answered) / max(1e-9, self.ended - self.started)

    def latencies(self, language: Optional[str] = None, first: Optional[bool] = None) -> list[float]:
        return [s.seconds for s in self.samples if s.seconds is not None
                and (language is None or s.language == language) and (first is None or s.first == first)]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# ---- channels ---------------------------------------------------------------------------------------------------
class BenchGraphAPI(FakeGraphAPI):
    """The fake Graph API, also waking the customer a reply is for (instead of polling the request log)."""

    def __init__(self) -> None:
        super().__init__()
        self.loop: Optional[asyncio.AbstractEventLoop] = None
        self.arrived: dict[str, list[float]] = {}
        self.waiters: dict[str, asyncio.Event] = {}

    def _record(self, request: Request) -> Request:
        recorded = super()._record(request)
        if request.kind == "message" and self.loop is not None:
            self.loop.call_soon_threadsafe(self._arrived, request.recipient, request.at)
        return recorded

    def _arrived(self, recipient: str, at: float) -> None:
        self.arrived.setdefault(recipient, []).append(at)
        if recipient in self.waiters:
            self.waiters[recipient].set()

    async def quiet(self, recipient: str, seconds: float) -> None:
        """Return once no message to `recipient` arrived for `seconds`."""
        seen = -1
        while seen != len(self.arrived.get(recipient, [])):
            seen = len(self.arrived.get(recipient, []))
            await asyncio.sleep(seconds)

    async def replies(self, recipient: str, count: int, timeout: float) -> Optional[float]:
        """When the `count`-th message to `recipient` arrived (wall clock), or None after `timeout` seconds."""
        event = self.waiters.setdefault(recipient, asyncio.Event())
        deadline = time.monotonic() + timeout
        while len(self.arrived.get(recipient, [])) < count:
            event.clear()
            try:
                await asyncio.wait_for(event.wait(), max(0.0, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                return None
        return self.arrived[recipient][count - 1]


Send = Callable[[aiohttp.ClientSession, str, str, int, str], Awaitable[float | str]]  # seconds, or why not


def rest_channel(rasa_url: str, path: str) -> Send:
    async def send(http: aiohttp.ClientSession, conversation: str, text: str, turn: int, language: str
                   ) -> float | str:
        started = time.perf_counter()
        try:
            async with http.post(rasa_url + path, json={"sender": conversation, "message": text},
                                 timeout=aiohttp.ClientTimeout(total=REPLY_TIMEOUT)) as response:
                body = await response.text()
                if response.status != 200:
                    return f"{response.status} {body[:200]}"
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            return f"{type(error).__name__} after {time.perf_counter() - started:.1f} s"
        return time.perf_counter() - started if json.loads(body) else "200 []"
    return send


def whatsapp_channel(rasa_url: str, graph: BenchGraphAPI) -> Send:
    """Deliveries signed like Meta's; a turn is answered when its first reply reached the Graph API. Before the next
    turn the customer waits until no more replies came for QUIET_SECONDS (not counted: it keeps turns apart)."""
    async def send(http: aiohttp.ClientSession, conversation: str, text: str, turn: int, language: str
                   ) -> float | str:
        before = len(graph.arrived.get(conversation, []))
        raw, headers = graph.webhooks.signed(graph.webhooks.whatsapp_text(conversation, text, name="Bench"))
        started = time.time()
        try:
            async with http.post(f"{rasa_url}/webhooks/whatsapp/webhook", data=raw, headers=headers) as response:
                if response.status != 200:
                    return f"webhook {response.status}"
        except aiohttp.ClientError as error:
            return f"webhook {type(error).__name__}"
        arrived = await graph.replies(conversation, before + 1, REPLY_TIMEOUT)
        if arrived is None:
            return f"no reply at the Graph API within {REPLY_TIMEOUT:.0f} s"
        await graph.quiet(conversation, QUIET_SECONDS)
        return arrived - started
    return send


# ---- load -------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Phase:
    channel: str  # "rest" or "whatsapp"
    customers: int
    pause: float  # mean seconds between a reply and the next message (0: saturation)
    seconds: float
    languages: tuple[str, ...] = LANGUAGES

    @property
    def title(self) -> str:
        pace = "no pause" if not self.pause else f"~{self.pause:g} s pause"
        langs = "" if self.languages == LANGUAGES else f", {'/'.join(self.languages)}"
        return f"{self.channel}, {self.customers} customer{'s' * (self.customers > 1)}, {pace}{langs}"


_numbers = itertools.count(1)


async def run_phase(phase: Phase, send: Send, questions: dict, label: str) -> Result:
    """Customers start spread over one pause, hold conversations until the phase's time is up, then finish; the
    phase's time runs from its start to its last answer."""
    result = Result(started=time.perf_counter())
    stop_at = result.started + phase.seconds
    last_answer = [result.started]
    rng = random.Random(7)

    async def customer(index: int, http: aiohttp.ClientSession) -> None:
        await asyncio.sleep(rng.uniform(0, phase.pause or 0.05))
        while time.perf_counter() < stop_at:
            number = next(_numbers)
            language = phase.languages[(index + number) % len(phase.languages)]
            conversation = f"{CALLING_CODES[language]}{label}{number:07d}"
            for turn, text in enumerate(conversation_script(questions, language, number)):
                outcome = await send(http, conversation, text, turn, language)
                if isinstance(outcome, float):
                    last_answer[0] = time.perf_counter()
                result.samples.append(Sample(language, turn, outcome, conversation) if isinstance(outcome, float) else
                                      Sample(language, turn, None, conversation, f"turn {turn} {text!r}: {outcome}"))
                if not isinstance(outcome, float):
                    break  # unanswered (or with a person, who answers later): the customer waits, not writes on
                if phase.pause:
                    await asyncio.sleep(rng.uniform(phase.pause * 2 / 3, phase.pause * 4 / 3))

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(customer(index, http) for index in range(phase.customers)))
    # The load ends with its last answer: a WhatsApp customer handed to a person waits REPLY_TIMEOUT for a reply the
    # bot never sends, which must not stretch the time the answered messages are divided by.
    result.ended = last_answer[0]
    return result


async def warm_up(rasa_url: str, path: str, questions: dict, languages: tuple[str, ...]) -> None:
    """A web chat conversation per language (the first requests of a process are not what customers see)."""
    async with aiohttp.ClientSession() as http:
        for language in languages:
            conversation = f"warmup{secrets.token_hex(4)}"
            for text in conversation_script(questions, language, 0):
                async with http.post(rasa_url + path, json={"sender": conversation, "message": text}) as response:
                    await response.read()


async def mark_handed_over(settings: Settings, result: Result) -> None:
    """An unanswered message in a conversation the bot had handed to a person (the NLU read a question as a request
    for one) is the agents' to answer, not lost: read it from the tracker."""
    async with aiohttp.ClientSession() as http:
        for sample in result.samples:
            if sample.seconds is not None:
                continue
            url = f"{settings.rasa_url}/conversations/{sample.conversation}/tracker"
            async with http.get(url, params={"token": settings.rasa_token}) as response:
                events = (await response.json()).get("events", []) if response.status == 200 else []
            user_turns = 0
            for event in events:
                if event.get("event") == "user":
                    user_turns += 1
                if user_turns > sample.turn:
                    break
                if event.get("event") == "action" and event.get("name") == "action_handoff":
                    sample.with_person = True


# ---- the stacks -------------------------------------------------------------------------------------------------
@dataclass
class Sides:
    ours: Settings
    bare: Settings
    stack: Stack
    graph: BenchGraphAPI


def start(run_dir: Path, workers: int) -> Sides:
    graph = BenchGraphAPI().start()
    os.environ.update(graph.environment())
    settings = Settings(redis_port=free_port(), redis_db=0, rasa_port=free_port(), action_port=free_port(),
                        desk_port=free_port(), orders_port=free_port(), run_dir=run_dir,
                        model=PROJECT_ROOT / "models/current.tar.gz", rasa_token=secrets.token_urlsafe(16),
                        orders_api_key=secrets.token_urlsafe(16), rasa_workers=workers)
    # Its own Redis database: the channels keep state there (intake streams, de-duplication), which must not mix
    bare = replace(settings, rasa_port=free_port(), redis_db=1)
    bare_endpoints = run_dir / "bare-endpoints.yml"
    bare_endpoints.write_text(BARE_ENDPOINTS)
    stack = Stack(settings, run_dir / "logs")
    bare_stack = Stack(bare, run_dir / "logs")
    stack.start_redis(run_dir / "redis", persist=False)
    stack.start_orders()
    stack.start_actions()
    errors: list[BaseException] = []

    def start_bare() -> None:
        try:
            bare_stack.start_rasa(endpoints=str(bare_endpoints), workers=1, name="rasa-bare")
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    thread = threading.Thread(target=start_bare)
    thread.start()  # both Rasa servers load the model at the same time
    try:
        stack.start_rasa()
    finally:
        thread.join()
        stack.services += bare_stack.services
    if errors:
        raise errors[0]
    return Sides(settings, bare, stack, graph)


def phases(quick: bool, scale: float = 1.0) -> list[Phase]:
    """The loads measured; `scale` shortens (or lengthens) every full-run phase."""
    if quick:
        return [Phase("rest", 1, 0, 3), Phase("rest", 20, 1.0, 5), Phase("rest", 20, 0, 4),
                Phase("whatsapp", 10, 1.0, 5)]
    full = [Phase("rest", 1, 0, 30), Phase("rest", 20, 3, 45), Phase("rest", 50, 3, 60), Phase("rest", 20, 0, 40),
            Phase("rest", 50, 0, 40), Phase("whatsapp", 20, 3, 45), Phase("whatsapp", 50, 3, 60),
            Phase("whatsapp", 20, 0, 40)] + [Phase("rest", 1, 0, 20, (language,)) for language in COMPARED]
    return [replace(phase, seconds=phase.seconds * scale) for phase in full]


# ---- report -----------------------------------------------------------------------------------------------------
def _ms(value: float) -> str:
    return "-" if value != value else f"{value * 1000:,.0f}"


def row(result: Result) -> list[str]:
    answered, first = result.answered, result.latencies(first=True)
    return [f"{result.throughput:.1f}", _ms(percentile(answered, .5)), _ms(percentile(answered, .95)),
            _ms(percentile(answered, .99)), _ms(percentile(first, .5)), _ms(percentile(first, .95)),
            f"{len(result.samples)}/{result.with_person}/{result.unanswered}"]


def table(results: list[tuple[Phase, Result, Result]]) -> str:
    head = ["load", "side", "msg/s", "p50 ms", "p95 ms", "p99 ms", "first p50", "first p95",
            "sent/with a person/unanswered"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for phase, ours, bare in results:
        lines.append(f"| {phase.title} | ours | " + " | ".join(row(ours)) + " |")
        lines.append("| | bare rasa | " + " | ".join(row(bare)) + " |")
        ratio_p95 = percentile(ours.answered, .95) / percentile(bare.answered, .95) if bare.answered else float("nan")
        lines.append(f"| | ours/bare | {ours.throughput / max(1e-9, bare.throughput):.2f}x | | "
                     f"{ratio_p95:.2f}x | | | | |")
    return "\n".join(lines)


def language_table(results: list[tuple[Phase, Result, Result]]) -> str:
    """p50/p95 per language under the mixed paced loads and alone (service time)."""
    lines = ["| load | side | " + " | ".join(f"{code} p50/p95 ms" for code in COMPARED) + " |",
             "|---|---|" + "---|" * len(COMPARED)]
    for phase, ours, bare in results:
        if phase.pause == 0 and phase.customers > 1:
            continue
        for side, result in (("ours", ours), ("bare rasa", bare)):
            cells = []
            for code in COMPARED:
                values = result.latencies(language=code)
                cells.append(f"{_ms(percentile(values, .5))}/{_ms(percentile(values, .95))}" if values else "")
            if any(cells):
                lines.append(f"| {phase.title} | {side} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cpu_table(results: list[tuple[Phase, Result, Result]]) -> str:
    """CPU per answered message of each part under saturation, and the throughput the machine's cores allow ours."""
    parts = ["Rasa", "action server", "Redis", cpu.BENCH, cpu.MACHINE]
    lines = ["| load | side | msg/s | " + " | ".join(f"{part} ms/msg" for part in parts) + " | cores busy |",
             "|---|---|---|" + "---|" * len(parts) + "---|"]
    ceilings = []
    for phase, ours, bare in results:
        if phase.pause or phase.customers == 1 or not ours.cpu or not bare.cpu:
            continue
        for side, result in (("ours", ours), ("bare rasa", bare)):
            answered = max(1, len(result.answered))
            cells = [f"{1000 * result.cpu.get(part, 0.0) / answered:.1f}" for part in parts]
            busy = result.cpu.get(cpu.MACHINE, 0.0) / max(1e-9, result.ended - result.started)
            lines.append(f"| {phase.title} | {side} | {result.throughput:.1f} | " + " | ".join(cells)
                         + f" | {busy:.2f} |")
        per_message = ours.cpu.get(cpu.MACHINE, 0.0) / max(1, len(ours.answered))
        if per_message > 0 and bare.throughput > 0:
            most = cores() / per_message
            ceilings.append(f"{phase.title}: at {1000 * per_message:.1f} ms of machine CPU per message, {cores()} "
                            f"cores allow ours at most {most:.1f} msg/s, {most / bare.throughput:.2f}x bare's "
                            f"{bare.throughput:.1f}")
    return "\n".join(lines + [""] + ceilings)


def cores() -> int:
    return len(os.sched_getaffinity(0))


def machine() -> str:
    load = os.getloadavg()
    return f"{cores()} cores, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"


async def measure(sides: Sides, quick: bool, path: str, scale: float, slices: int
                  ) -> list[tuple[Phase, Result, Result]]:
    """Each phase alternates between the two sides in slices, so that the machine's other load hits both alike."""
    questions = load_questions()
    sides.graph.loop = asyncio.get_running_loop()
    for settings in (sides.ours, sides.bare):
        await warm_up(settings.rasa_url, path, questions, COMPARED[:2] if quick else LANGUAGES)
    pids = {service.name: service.process.pid for service in sides.stack.services}
    shared = {"action server": pids["actions"], "Redis": pids["redis"]}
    groups = ({**shared, "Rasa": pids["rasa"]}, {**shared, "Rasa": pids["rasa-bare"]})
    results = []
    for number, phase in enumerate(phases(quick, scale)):
        measured = [Result(), Result()]
        part = replace(phase, seconds=phase.seconds / slices)
        for slice_ in range(slices):
            for index, settings in enumerate((sides.ours, sides.bare)):
                send = (rest_channel(settings.rasa_url, path) if phase.channel == "rest"
                        else whatsapp_channel(settings.rasa_url, sides.graph))
                before = cpu.snapshot(groups[index])
                done = await run_phase(part, send, questions, f"{number}{slice_}{index + 1}")
                done.cpu = cpu.spent(before, cpu.snapshot(groups[index]))
                await mark_handed_over(settings, done)
                measured[index].add(done)
        results.append((phase, *measured))
        print("\n".join(table(results[-1:]).splitlines()[2:]) + f"  ({machine()})", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short phases (under two minutes in all)")
    parser.add_argument("--workers", type=int, default=Settings().rasa_workers, help="our Rasa worker processes")
    parser.add_argument("--webchat-path", default=REST_PATH, help="the web chat channel's path on Rasa")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the full run's phase lengths")
    parser.add_argument("--slices", type=int, default=3, help="alternations between the sides per phase")
    args = parser.parse_args(argv)
    run_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    began = time.monotonic()
    print(f"Starting Redis, the order system, the fake Graph API, the action server, our Rasa ({args.workers} "
          f"workers) and bare Rasa (1 process) ... ({machine()})", flush=True)
    sides = start(run_dir, args.workers)
    try:
        results = asyncio.run(measure(sides, args.quick, args.webchat_path, args.scale,
                                      1 if args.quick else args.slices))
    finally:
        sides.stack.stop()
        sides.graph.stop()
    print(f"\n{table(results)}\n\nPer language (the paced and single-customer loads):\n\n{language_table(results)}\n")
    print(f"Where the CPU goes under saturation (per answered message; {cpu.MACHINE}: every process on it):\n\n"
          f"{cpu_table(results)}\n")
    print(f"Machine: {machine()}; {time.monotonic() - began:.0f} s in all; logs in {run_dir / 'logs'}")
    missing = sum(ours.unanswered + bare.unanswered for _, ours, bare in results)
    if args.json:
        args.json.write_text(json.dumps([{
            "load": phase.title, **{side: {"sent": len(r.samples), "unanswered": r.unanswered,
                                          "throughput": r.throughput, "latencies": r.answered,
                                          "first": r.latencies(first=True),
                                          "with_person": r.with_person, "cpu_seconds": r.cpu,
                                          "unanswered_turns": [[x.language, x.turn, x.conversation, x.why]
                                                               for x in r.samples
                                                               if x.seconds is None and not x.with_person]}
                                   for side, r in (("ours", ours), ("bare", bare))}}
            for phase, ours, bare in results]))
    if missing:
        print(f"{missing} message(s) were not answered within {REPLY_TIMEOUT:.0f} s:", file=sys.stderr)
        for _, ours, bare in results:
            for side, result in (("ours", ours), ("bare", bare)):
                for sample in result.samples:
                    if sample.seconds is None and not sample.with_person:
                        print(f"  {side}: {sample.conversation} {sample.why}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
