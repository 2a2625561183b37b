"""What a Graph API answer means for the sender: done, try again later, the window is closed, or give up.

Decided by Meta's `error.code` first (throttling often comes back as HTTP 400), then by the HTTP status.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Optional

# Temporary failures and rate limits, on Messenger (1, 2, 4, 17, 32, 613, 1200) and WhatsApp (131000, 130429,
# 131056 pair rate, 80007).
RETRYABLE_CODES = frozenset({1, 2, 4, 17, 32, 613, 1200, 80007, 130429, 131000, 131056})
# Outside the messaging window: WhatsApp 131047; Messenger 10 with subcode 2018278.
WINDOW_CODES = frozenset({131047})
MESSENGER_WINDOW_SUBCODE = 2018278
PAIR_RATE_CODE = 131056
PAIR_RATE_WAIT_SECONDS = 6.0


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"
    WINDOW_CLOSED = "window_closed"
    FAILED = "failed"


@dataclass(frozen=True)
class GraphError:
    """The parts of Meta's error envelope worth logging (no message text: it can quote the request)."""

    status: int
    code: Optional[int] = None
    subcode: Optional[int] = None
    trace_id: str = ""

    @classmethod
    def from_response(cls, status: int, body: Any) -> "GraphError":
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        code, subcode = error.get("code"), error.get("error_subcode")
        return cls(
            status=status,
            code=code if isinstance(code, int) else None,
            subcode=subcode if isinstance(subcode, int) else None,
            trace_id=str(error.get("fbtrace_id") or "")[:40],
        )

    def __str__(self) -> str:
        return f"HTTP {self.status}, code {self.code}, subcode {self.subcode}, fbtrace_id {self.trace_id or '-'}"


def classify(error: GraphError) -> Outcome:
    if error.status < 300 and error.code is None:
        return Outcome.SENT
    if error.code in WINDOW_CODES or (error.code == 10 and error.subcode == MESSENGER_WINDOW_SUBCODE):
        return Outcome.WINDOW_CLOSED
    if error.code in RETRYABLE_CODES or error.status == 429 or error.status >= 500:
        return Outcome.RETRY
    return Outcome.FAILED


def minimum_wait(error: GraphError) -> float:
    """Seconds to wait at least before the next try (WhatsApp's per-customer pair rate asks for 6 s)."""
    return PAIR_RATE_WAIT_SECONDS if error.code == PAIR_RATE_CODE else 0.0
