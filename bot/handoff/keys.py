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


def latest_ticket_of(conversation_id: str) -> str:
    """The conversation's most recent ticket, kept after closing (for the satisfaction rating)."""
    return f"{PREFIX}:latest:{conversation_id}"


def open_tickets() -> str:
    """Set of ticket ids not closed yet."""
    return f"{PREFIX}:open"


def changes() -> str:
    """Pub/sub channel announcing ticket changes to live views."""
    return f"{PREFIX}:changes"


def online(agent: str) -> str:
    """Present while the agent's console is open (expires unless refreshed)."""
    return f"{PREFIX}:online:{agent}"
