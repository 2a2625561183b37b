"""`bot review`: customer messages the bot handled badly, from the event stream and the tracker store, in a
YAML file where the trainer writes the right intent for each (`bot review --apply` then adds them to data/nlu)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import yaml
from redis.asyncio import Redis

from bot import languages
from bot.corrections import Corrections
from bot.events import all_events
from bot.handoff.triggers import customer_name
from bot.trainer.masking import mask

LOW_CONFIDENCE = 0.6
LOW_MARGIN = 0.2  # a win by less than this over the runner-up: a new intent may be absorbing its neighbour's
FALLBACK_INTENT = "nlu_fallback"
HANDOFF_ACTION = "action_handoff"
WHY = {
    "fallback": "the bot did not understand it",
    "low_confidence": "the bot was unsure",
    "handed_off": "written while a person had the chat",
    "agent_took_over": "the bot answered it, then the customer needed a person and an agent replied",
    "corrected": "an agent marked what it meant (filled in below: check it)",
    "silent": "the bot said nothing back",
    "low_margin": "the bot chose it only narrowly over another intent",
}
# What customers say to reach a person, to answer the bot's offer, or to be polite: no question the bot missed.
_NOT_A_QUESTION = {"request_human", "affirm", "deny", "complain", "greet", "thank", "goodbye"}
HEADER = """\
# Customer messages the bot handled badly ({period}), personal data masked.
# Grouped by language, then by the intent the bot guessed. For each message write the intent it really means
# in `intent:` (see docs/intents.md), or `skip`. Leave it empty to decide later.
# Then run:  .venv/bin/bot review --apply {path}
# Conversation ids stay readable for the transcript links; a WhatsApp id is the customer's number, so keep this
# file out of git (reviews/applied.yml, which is meant for git, records them hashed).
"""


@dataclass
class Candidate:
    text: str  # masked
    language: str
    suggested: str
    confidence: float
    why: list[str]
    conversation: str
    time: float
    count: int = 1
    conversations: list[str] = field(default_factory=list)
    corrected: str = ""  # the intent an agent said the message meant
    runner_up: str = ""
    margin: float = 1.0  # confidence of the chosen intent minus the runner-up's


def _ranking(parse: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for i in parse.get("intent_ranking") or [] if i.get("name") != FALLBACK_INTENT]


def _runner_up(parse: dict[str, Any]) -> tuple[str, float]:
    """The second intent and how far behind the first it is."""
    ranked = _ranking(parse)
    if len(ranked) < 2:
        return "", 1.0
    return str(ranked[1].get("name") or ""), float(ranked[0].get("confidence") or 0) - float(
        ranked[1].get("confidence") or 0)


def _silent_turns(events: list[dict[str, Any]]) -> set[int]:
    """Indexes of customer messages the bot answered with nothing before the customer wrote again (or left),
    while it had the chat (not paused for a person)."""
    silent, paused, waiting = set(), False, None
    for index, event in enumerate(events):
        kind = event.get("event")
        paused = True if kind == "pause" else False if kind == "resume" else paused
        if kind == "bot" and not (event.get("metadata") or {}).get("agent"):
            waiting = None
        elif kind == "action" and event.get("name") == HANDOFF_ACTION:
            waiting = None
        elif kind == "user":
            if waiting is not None:
                silent.add(waiting)
            waiting = None if paused else index
    if waiting is not None:
        silent.add(waiting)
    return silent


def _intent(event: dict[str, Any]) -> tuple[str, float]:
    """The bot's best real intent for a user event (looking through a fallback) and its confidence."""
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    if intent.get("name") == FALLBACK_INTENT:
        ranked = [i for i in parse.get("intent_ranking") or [] if i.get("name") != FALLBACK_INTENT]
        intent = ranked[0] if ranked else {"name": "", "confidence": 0.0}
    return str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)


def _agent_replied(events: list[dict[str, Any]]) -> bool:
    return any(e.get("event") == "bot" and (e.get("metadata") or {}).get("agent") for e in events)


def _last_question_before_handoffs(events: list[dict[str, Any]]) -> set[int]:
    """Indexes of the last real question (not "a person please", "yes", ...) before each handoff."""
    found, last_question = set(), None
    for index, event in enumerate(events):
        if event.get("event") == "user" and _intent(event)[0] not in _NOT_A_QUESTION:
            last_question = index
        if event.get("event") == "action" and event.get("name") == HANDOFF_ACTION and last_question is not None:
            found.add(last_question)
            last_question = None
    return found


def conversation_candidates(conversation: str, events: list[dict[str, Any]], below: float = LOW_CONFIDENCE,
                            corrected: Optional[dict[float, str]] = None) -> list[Candidate]:
    """The messages of one conversation that a trainer should look at, masked, each with why; `corrected` maps
    a message's time to the intent an agent said it meant."""
    corrected = corrected or {}
    taken_over = _last_question_before_handoffs(events) if _agent_replied(events) else set()
    silent = _silent_turns(events)
    names = {customer_name(e.get("metadata")) for e in events if e.get("event") == "user"}
    language, paused, found = languages.DEFAULT_LANGUAGE, False, []
    for index, event in enumerate(events):
        kind = event.get("event")
        paused = True if kind == "pause" else False if kind == "resume" else paused
        text = str(event.get("text") or "").strip()
        if kind != "user" or not text or text.startswith("/"):  # a button's payload is no customer wording
            continue
        detected = ((event.get("parse_data") or {}).get("language") or {}).get("code")
        language = detected if languages.is_supported(detected) else language
        parsed = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        suggested, confidence = _intent(event)
        runner_up, margin = _runner_up(event.get("parse_data") or {})
        agent_says = corrected.get(float(event.get("timestamp") or 0.0), "")
        why = [reason for reason, applies in (
            ("fallback", parsed == FALLBACK_INTENT),
            ("low_confidence", parsed != FALLBACK_INTENT and confidence < below),
            ("handed_off", paused),
            ("agent_took_over", index in taken_over),
            ("corrected", bool(agent_says)),
            ("silent", index in silent and suggested not in _NOT_A_QUESTION),
            ("low_margin", parsed != FALLBACK_INTENT and confidence >= below and margin < LOW_MARGIN))
            if applies]
        if why:
            found.append(Candidate(mask(text, names), language, suggested, round(confidence, 3), why, conversation,
                                   float(event.get("timestamp") or 0.0), corrected=agent_says, runner_up=runner_up,
                                   margin=round(margin, 3)))
    return found


def merge(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One entry per masked text and language, counting how often customers wrote it."""
    merged: dict[tuple[str, str], Candidate] = {}
    for candidate in candidates:
        key = (candidate.text.casefold(), candidate.language)
        if key in merged:
            kept = merged[key]
            kept.count += 1
            kept.why = sorted(set(kept.why) | set(candidate.why))
            kept.conversations.append(candidate.conversation)
            kept.corrected = kept.corrected or candidate.corrected
        else:
            candidate.conversations = [candidate.conversation]
            merged[key] = candidate
    return list(merged.values())


async def collect(redis: Redis, since: float, below: float = LOW_CONFIDENCE) -> list[Candidate]:
    """Conversations with customer messages in the stream since `since`; each read whole from the tracker store
    (the stream's copy when the tracker has expired)."""
    streamed: dict[str, list[dict[str, Any]]] = {}
    corrected: dict[str, dict[float, str]] = {}
    for correction in (await Corrections(redis).all()).values():
        corrected.setdefault(correction.conversation_id, {})[correction.message_time] = correction.intent
    async for event in all_events(redis, since):
        streamed.setdefault(str(event.get("sender_id", "")), []).append(event)
    from bot.stores.tracker_store import AppendOnlyRedisTrackerStore  # imports Rasa: only when reviewing

    store = AppendOnlyRedisTrackerStore(redis=redis)
    found = []
    for conversation, events in streamed.items():
        if not any(e.get("event") == "user" for e in events):
            continue
        tracked = await store.stored_events(conversation) or events
        found += conversation_candidates(conversation, tracked, below, corrected.get(conversation))
    return merge(found)


def not_yet_in_the_data(candidates: list[Candidate], root: Path) -> list[Candidate]:
    """Leave out what a trainer already added (by `bot review --apply` or by hand): the same text, as it would be
    added, in that language's training file."""
    from bot.trainer.nlu_data import read_examples, same_text_key
    from bot.trainer.review_apply import training_text

    known: dict[str, set[str]] = {}
    kept = []
    for candidate in candidates:
        path = root / "data/nlu" / f"{candidate.language}.yml"
        if candidate.language not in known:
            known[candidate.language] = {same_text_key(e.text, candidate.language)
                                         for e in (read_examples(path, candidate.language) if path.exists() else [])}
        if same_text_key(training_text(candidate.text, candidate.language), candidate.language) not in \
                known[candidate.language]:
            kept.append(candidate)
    return kept


def rescore(candidates: list[Candidate], parse: Callable[[list[str]], list[dict[str, Any]]],
            below: float = LOW_CONFIDENCE) -> list[Candidate]:
    """What the current model makes of each message (not the model that was running then)."""
    for candidate, parsed in zip(candidates, parse([c.text for c in candidates])):
        suggested, confidence = _intent({"parse_data": parsed})
        candidate.runner_up, margin = _runner_up(parsed)
        candidate.suggested, candidate.confidence, candidate.margin = suggested, round(confidence, 3), round(margin, 3)
        if confidence >= below and margin < LOW_MARGIN and "low_margin" not in candidate.why:
            candidate.why.append("low_margin")
    return candidates


def review_document(candidates: list[Candidate], desk_url: str) -> dict[str, Any]:
    """{language: {suggested intent: [messages]}}, most frequent first, languages in the supported order."""
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    order = {code: i for i, code in enumerate(languages.SUPPORTED)}
    for c in sorted(candidates, key=lambda c: (order.get(c.language, 99), c.suggested, -c.count, c.time)):
        grouped.setdefault(c.language, {}).setdefault(c.suggested or "unknown", []).append({
            "text": c.text, "intent": c.corrected, "why": "; ".join(WHY[w] for w in c.why),
            "confidence": c.confidence, **({"runner_up": c.runner_up, "margin": c.margin} if c.runner_up else {}),
            "times": c.count, "conversation": c.conversation,
            "transcript": f"{desk_url.rstrip('/')}/desk/conversations/{c.conversation}",
        })
    return grouped


def write_review(path: Path, candidates: list[Candidate], desk_url: str, period: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump({"messages": review_document(candidates, desk_url)}, allow_unicode=True,
                          sort_keys=False, width=200)
    path.write_text(HEADER.format(period=period, path=path) + body, encoding="utf-8")
    return path


def default_review_path(root: Path) -> Path:
    return root / "reviews" / f"review-{time.strftime('%Y%m%d-%H%M')}.yml"


def read_review(path: Path) -> dict[str, dict[str, list[dict[str, Any]]]]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("messages") or {}


def review_period(days: float, now: Optional[float] = None) -> tuple[float, str]:
    now = now or time.time()
    since = now - days * 86400
    return since, f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(since))} to " \
                  f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(now))}"


def model_parser(model: Path) -> Callable[[list[str]], list[dict[str, Any]]]:
    """Parse texts with a trained model's NLU (for `rescore`), quietly."""
    import warnings

    from bot.evaluation.report import quiet_rasa
    from bot.evaluation.scoring import NluParser

    def parse(texts: list[str]) -> list[dict[str, Any]]:
        from rasa.core.channels.channel import UserMessage

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quiet_rasa()
            warnings.simplefilter("ignore")
            parser = NluParser(model)
            try:
                return parser.parse([UserMessage(text) for text in texts]) if texts else []
            finally:
                parser.close()

    return parse
