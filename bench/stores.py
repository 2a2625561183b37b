"""The conversation stores alone, ours beside Rasa's own Redis stores, on one throw-away Redis.

    .venv/bin/python -m bench.stores [--rounds 30]

- tracker store: one message's read + save (what Rasa does per message) on conversations of 1, 10 and 40 turns,
  and how long the event loop is blocked meanwhile (Rasa's store uses a synchronous client);
- lock store: an uncontended lock, and the wait of a message that arrives while another message of the same
  conversation is being handled for 50 ms (Rasa's store looks again every second).
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import tempfile
import time
from typing import Awaitable, Callable

from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from redis.asyncio import Redis

from bot.services import free_port, port_open, redis_server_binary, wait_until
from bot.settings import PROJECT_ROOT
from bot.stores.lock_store import AtomicRedisLockStore
from bot.stores.tracker_store import AppendOnlyRedisTrackerStore


def _turn(number: int) -> list:
    stamp = 1000.0 + number
    return [UserUttered(f"message {number}", {"name": "ask_shipping", "confidence": 0.93},
                        parse_data={"intent": {"name": "ask_shipping", "confidence": 0.93}, "entities": [],
                                    "text": f"message {number}", "metadata": {"language": "en"}}, timestamp=stamp),
            SlotSet("language", "en", timestamp=stamp + .01), ActionExecuted("action_answer_shipping", timestamp=stamp + .1),
            BotUttered("We ship in 2-4 working days.", {"utter_action": "utter_shipping"}, timestamp=stamp + .2),
            ActionExecuted("action_listen", timestamp=stamp + .3)]


async def _message(store, sender: str, number: int) -> None:
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    if number == 0:
        tracker.update(ActionExecuted("action_session_start", timestamp=999.0))
        tracker.update(SessionStarted(timestamp=999.1))
    for event in _turn(number):
        tracker.update(event)
    await store.save(tracker)


async def _timed(action: Callable[[], Awaitable[None]]) -> tuple[float, float]:
    """Wall time of `action` and the longest time the event loop could not run anything else meanwhile."""
    longest, running = 0.0, True

    async def ticker() -> None:
        nonlocal longest
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0)
            now = time.perf_counter()
            longest, last = max(longest, now - last), now

    task = asyncio.ensure_future(ticker())
    await asyncio.sleep(0)
    started = time.perf_counter()
    await action()
    elapsed = time.perf_counter() - started
    running = False
    await task
    return elapsed, longest


async def tracker_figures(port: int, rounds: int) -> list[str]:
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    stores = {"ours": AppendOnlyRedisTrackerStore(domain, redis=Redis(port=port, db=3), key_prefix="ours"),
              "rasa": RedisTrackerStore(domain, host="127.0.0.1", port=port, db=3, key_prefix="rasa")}
    lines = ["| conversation length | store | message (read + save) p50 ms | p95 ms | event loop blocked p95 ms |",
             "|---|---|---|---|---|"]
    for turns in (1, 10, 40):
        for name, store in stores.items():
            times, blocked = [], []
            for round_ in range(rounds):
                sender = f"{name}-{turns}-{round_}"
                for number in range(turns - 1):
                    await _message(store, sender, number)
                elapsed, longest = await _timed(lambda: _message(store, sender, turns - 1))
                times.append(elapsed)
                blocked.append(longest)
            lines.append(f"| {turns} turns | {name} | {statistics.median(times) * 1000:.2f} | "
                         f"{_p95(times) * 1000:.2f} | {_p95(blocked) * 1000:.2f} |")
    return lines


async def lock_figures(port: int, rounds: int) -> list[str]:
    stores = {"ours": AtomicRedisLockStore(redis=Redis(port=port, db=4)),
              "rasa": RedisLockStore(host="127.0.0.1", port=port, db=4)}
    lines = ["| lock | store | p50 ms | p95 ms |", "|---|---|---|---|"]
    for name, store in stores.items():
        alone = []
        for round_ in range(rounds):
            started = time.perf_counter()
            async with store.lock(f"alone-{round_}"):
                alone.append(time.perf_counter() - started)
        lines.append(f"| free lock, taken and released | {name} | {statistics.median(alone) * 1000:.2f} | "
                     f"{_p95(alone) * 1000:.2f} |")
    for name, store in stores.items():
        waits = []
        for round_ in range(max(3, rounds // 5)):
            held = asyncio.Event()

            async def first() -> None:
                async with store.lock(f"busy-{round_}"):
                    held.set()
                    await asyncio.sleep(0.05)

            async def second() -> float:
                await held.wait()
                started = time.perf_counter()
                async with store.lock(f"busy-{round_}"):
                    return time.perf_counter() - started

            waits.append((await asyncio.gather(first(), second()))[1])
        lines.append(f"| second message, first holds it 50 ms | {name} | {statistics.median(waits) * 1000:.0f} | "
                     f"{_p95(waits) * 1000:.0f} |")
    return lines


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args(argv)
    port = free_port()
    redis = subprocess.Popen([redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--dir", tempfile.mkdtemp(prefix="bench-stores-")], stdout=subprocess.DEVNULL)
    try:
        wait_until(lambda: port_open("127.0.0.1", port), 15, "Redis", redis)
        lines = asyncio.run(tracker_figures(port, args.rounds)) + [""] + asyncio.run(lock_figures(port, args.rounds))
        print("\n".join(lines))
    finally:
        redis.terminate()
        redis.wait(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
