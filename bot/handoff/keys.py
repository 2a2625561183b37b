"""Every Redis key the handoff queue uses, in one place."""
from __future__ import annotations

PREFIX = "handoff"


def ticket(ticket_id: str) -> str:
    return f"{PREFIX}:ticket:{ticket_id}"


def open_ticket_of(conversation_id: str) -> str:
    """Which ticket is open for a conversation (one at a time)."""
    return f"{PREFIX}:conversation:{conversation_id}"


def waiting(language: str) -> str:
    """Sorted set of waiting tickets in a language; score = priority band, then creation time."""
    return f"{PREFIX}:waiting:{language}"


def counter() -> str:
    return f"{PREFIX}:next_id"


def first_responses() -> str:
    """Sorted set of first-response times in seconds, scored by when they happened."""
    return f"{PREFIX}:first_response_seconds"
