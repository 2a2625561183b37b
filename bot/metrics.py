"""Prometheus metrics of every process (names all start with `shop_`), and the one exposition they share.

Counted where it happens: messages in and out, reply time and fallbacks from the tracker events Rasa publishes
(`observe_event`, called by the event broker), handoffs and first responses by the ticket queue, order-system and
Redis errors where they are caught. Figures that live in Redis (tickets waiting per language, the intake streams)
are read when Prometheus scrapes the desk. A process with several workers (Rasa, the action server) sets
PROMETHEUS_MULTIPROC_DIR, and each worker's counters are added up at scrape time.
"""
from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any, Iterable, Optional

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from bot import languages

CONTENT_TYPE = CONTENT_TYPE_LATEST
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # e.g. /tmp/metrics on a fresh emptyDir or tmpfs
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
_SECONDS = (0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 60)
_MINUTES = (30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400)

MESSAGES_IN = Counter("shop_messages_in", "Customer messages received", ["channel", "language"])
MESSAGES_OUT = Counter("shop_messages_out", "Bot and agent messages sent", ["channel", "language"])
REPLY_SECONDS = Histogram("shop_reply_seconds", "From a customer message to the bot's first reply", ["channel"],
                          buckets=_SECONDS)
FALLBACKS = Counter("shop_fallbacks", "Messages the bot did not understand", ["language"])
HANDOFFS = Counter("shop_handoffs", "Conversations handed to a person", ["language", "reason"])
FIRST_RESPONSE_SECONDS = Histogram("shop_first_response_seconds", "From a handoff to the agent's first reply",
                                   ["language"], buckets=_MINUTES)
REDIS_ERRORS = Counter("shop_redis_errors", "Redis commands that failed", ["component"])
ORDER_SYSTEM_ERRORS = Counter("shop_order_system_errors", "Order-system calls that failed after their retries",
                              ["provider"])

_FALLBACK_INTENTS = {"nlu_fallback", "out_of_scope"}
_FALLBACK_ACTIONS = {"action_default_fallback"}
_MEMORY = 10_000  # conversations remembered for their channel, language and pending message


class _Conversations:
    """What observe_event needs to remember per conversation, bounded (least recently seen forgotten)."""

    def __init__(self) -> None:
        self.seen: OrderedDict[str, dict[str, Any]] = OrderedDict()

    def get(self, sender: str) -> dict[str, Any]:
        state = self.seen.pop(sender, None) or {"channel": "unknown", "language": "unknown", "asked_at": None}
        self.seen[sender] = state
        while len(self.seen) > _MEMORY:
            self.seen.popitem(last=False)
        return state


_conversations = _Conversations()


def _language_of(event: dict[str, Any]) -> Optional[str]:
    parse = event.get("parse_data") or {}
    for entity in parse.get("entities") or []:
        if entity.get("entity") == "language" and languages.is_supported(str(entity.get("value"))):
            return str(entity["value"])
    hint = (event.get("metadata") or {}).get("language")
    return hint if isinstance(hint, str) and languages.is_supported(hint) else None


def observe_event(event: dict[str, Any]) -> None:
    """Count one tracker event (as Rasa's event broker gets it). Never raises."""
    try:
        _observe(event)
    except Exception:  # noqa: BLE001 - metrics must never break a conversation
        pass


def _observe(event: dict[str, Any]) -> None:
    sender = str(event.get("sender_id") or "")
    state = _conversations.get(sender)
    kind = event.get("event")
    if kind == "slot" and event.get("name") == "language" and languages.is_supported(str(event.get("value"))):
        state["language"] = str(event["value"])
    elif kind == "user":
        state["channel"] = str(event.get("input_channel") or state["channel"])
        state["language"] = _language_of(event) or state["language"]
        MESSAGES_IN.labels(state["channel"], state["language"]).inc()
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent in _FALLBACK_INTENTS:
            FALLBACKS.labels(state["language"]).inc()
        state["asked_at"] = event.get("timestamp")
    elif kind == "bot":
        MESSAGES_OUT.labels(state["channel"], state["language"]).inc()
        asked_at, answered_at = state["asked_at"], event.get("timestamp")
        if asked_at and answered_at and answered_at >= asked_at:
            REPLY_SECONDS.labels(state["channel"]).observe(answered_at - asked_at)
            state["asked_at"] = None
    elif kind == "action" and event.get("name") in _FALLBACK_ACTIONS:
        FALLBACKS.labels(state["language"]).inc()


async def redis_figures(redis: Any) -> list[GaugeMetricFamily]:
    """Tickets waiting per language and the intake streams, read from Redis now."""
    from bot.handoff import keys

    waiting = GaugeMetricFamily("shop_queue_waiting", "Handoff tickets waiting for an agent", labels=["language"])
    for code in languages.SUPPORTED:
        waiting.add_metric([code], int(await redis.zcard(keys.waiting(code))))
    families = [waiting]
    try:
        from bot.intake.stream import intake_figures
    except ImportError:
        return families
    figures = await intake_figures(redis)
    lag = GaugeMetricFamily("shop_intake_lag", "Messages accepted and not processed yet", labels=["channel"])
    pending = GaugeMetricFamily("shop_intake_pending", "Messages read by a replica and not finished",
                                labels=["channel"])
    for name, value in figures.items():
        if name.startswith("intake_waiting_"):
            lag.add_metric([name.removeprefix("intake_waiting_")], value)
        elif name.startswith("intake_pending_"):
            pending.add_metric([name.removeprefix("intake_pending_")], value)
    dead = GaugeMetricFamily("shop_intake_dead_letters", "Messages set aside after repeated failures",
                             value=figures.get("intake_dead_letters", 0))
    return families + [lag, pending, dead]


class _Fixed:
    """A collector of figures read beforehand (Prometheus collectors are synchronous, Redis here is not)."""

    def __init__(self, families: Iterable[GaugeMetricFamily]) -> None:
        self.families = list(families)

    def collect(self) -> Iterable[GaugeMetricFamily]:
        return self.families


def exposition(extra: Iterable[GaugeMetricFamily] = ()) -> bytes:
    """This process's metrics (all workers' when PROMETHEUS_MULTIPROC_DIR is set) in Prometheus' text format."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        text = generate_latest(registry)
    else:
        text = generate_latest(REGISTRY)
    extra = list(extra)
    if extra:
        fixed = CollectorRegistry()
        fixed.register(_Fixed(extra))
        text += generate_latest(fixed)
    return text


def prepare_multiprocess_dir(path: str) -> None:
    """An empty directory for a multi-worker process's metric files (stale files would add old counts)."""
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):
        if name.endswith(".db"):
            os.remove(os.path.join(path, name))
