"""Service figures per language and channel, from the event stream and the handoff tickets:
conversations, handoff rate and reasons, median first-response time, resolution rate, CSAT."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from bot import conversation
from bot.handoff.queue import Ticket

RESOLVED = ("resolved", "handed_back")


@dataclass
class Row:
    language: str
    channel: str
    conversations: int = 0
    handoffs: int = 0
    handed_off: set = field(default_factory=set)
    reasons: Counter = field(default_factory=Counter)
    first_responses: list[float] = field(default_factory=list)
    closed: int = 0
    resolved: int = 0
    ratings: list[int] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "channel": self.channel,
            "conversations": self.conversations,
            "handoffs": self.handoffs,
            # Share of conversations that reached a person at least once (a conversation can have several tickets).
            "handoff_rate": round(min(1.0, len(self.handed_off) / self.conversations), 3)
            if self.conversations else None,
            "reasons": dict(self.reasons.most_common()),
            "median_first_response_seconds": round(statistics.median(self.first_responses))
            if self.first_responses else None,
            "resolution_rate": round(self.resolved / self.closed, 3) if self.closed else None,
            "csat_average": round(statistics.mean(self.ratings), 2) if self.ratings else None,
            "ratings": len(self.ratings),
        }


def _conversation_keys(events: Iterable[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Conversation id -> (language, channel): the conversation's language as the bot answered it
    (`bot.conversation.conversation_language`, the same the replies and tickets use), the channel named in message
    metadata (web, messenger, whatsapp) or Rasa's input channel."""
    by_sender: dict[str, list[dict[str, Any]]] = {}
    channels: dict[str, str] = {}
    for event in events:
        sender = event.get("sender_id", "")
        by_sender.setdefault(sender, []).append(event)
        if event.get("event") == "user":
            channel = (event.get("metadata") or {}).get("channel") or event.get("input_channel")
            channels[sender] = str(channel or channels.get(sender, "rest"))
    return {sender: (conversation.reply_language(stream), channels[sender])
            for sender, stream in by_sender.items() if sender in channels}


def service_figures(events: Iterable[dict[str, Any]], tickets: Iterable[Ticket]) -> list[dict[str, Any]]:
    """One row per (language, channel), plus a row `all`/`all` for the totals."""
    rows: dict[tuple[str, str], Row] = {}

    def rows_for(language: str, channel: str) -> list[Row]:
        keys = [(language, channel), ("all", "all")]
        return [rows.setdefault(key, Row(*key)) for key in keys]

    for language, channel in _conversation_keys(events).values():
        for row in rows_for(language, channel):
            row.conversations += 1
    for ticket in tickets:
        for row in rows_for(ticket.language, ticket.channel):
            row.handoffs += 1
            row.handed_off.add(ticket.conversation_id)
            row.reasons[ticket.reason] += 1
            if ticket.first_response_at:
                row.first_responses.append(ticket.first_response_at - ticket.created_at)
            if ticket.state == "closed":
                row.closed += 1
                row.resolved += ticket.resolution in RESOLVED
            if ticket.rating:
                row.ratings.append(ticket.rating)
    ordered = sorted(rows.values(), key=lambda row: (row.language == "all", row.language, row.channel))
    return [row.figures() for row in ordered]


def format_table(figures: list[dict[str, Any]]) -> str:
    def show(value: Optional[float], percent: bool = False) -> str:
        if value is None:
            return "–"
        return f"{value * 100:.0f}%" if percent else f"{value}"

    header = f"{'language':8} {'channel':10} {'convs':>6} {'handoffs':>8} {'rate':>5} {'1st resp':>8} " \
             f"{'resolved':>8} {'CSAT':>5}  reasons"
    lines = [header, "-" * len(header)]
    for row in figures:
        first = row["median_first_response_seconds"]
        lines.append(
            f"{row['language']:8} {row['channel']:10} {row['conversations']:>6} {row['handoffs']:>8} "
            f"{show(row['handoff_rate'], True):>5} {(f'{first / 60:.1f}m' if first is not None else '–'):>8} "
            f"{show(row['resolution_rate'], True):>8} {show(row['csat_average']):>5}  "
            + ", ".join(f"{reason} {count}" for reason, count in row["reasons"].items())
        )
    return "\n".join(lines)
