"""Ticket status: the numbers customers quote (handoff tickets `T-1042`, returns `R-10482-1`) and what they are told.

A ticket's state says nothing personal, so no verification is needed; a return answers only with its state.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from bot.handoff.queue import Ticket, TicketQueue
from bot.hours import Reply
from bot.orders import replies
from bot.orders.system import OrderSystem

_RETURN = re.compile(r"\b[Rr]\s?-\s?([A-Za-z]{0,3}-?\d{4,7})\s?-\s?(\d{1,3})\b")
_TICKET = re.compile(r"(?:\b[TtТт]\s?-\s?|#)(\d{1,7})\b")
_BARE = re.compile(r"\b(\d{1,7})\b")
_BARE_IN_PASSING = 3  # digits a bare number needs to count when we did not ask for one ("since 3 days" is no ticket)


@dataclass(frozen=True)
class Reference:
    kind: str  # "ticket" or "return"
    value: str  # the ticket id ("1042") or the return id ("R-10482-1")

    @property
    def shown(self) -> str:
        """The number as the customer quoted it, in our spelling."""
        return f"T-{self.value}" if self.kind == "ticket" else self.value


def reference_in(text: str, asked: bool = False) -> Optional[Reference]:
    """The ticket or return number in a customer's message, if any; `asked`: it answers "what's the number?"."""
    found = _RETURN.search(text)
    if found:
        return Reference("return", f"R-{found.group(1).upper()}-{found.group(2)}")
    found = _TICKET.search(text) or _BARE.search(text)
    if found is None or (not asked and found.re is _BARE and len(found.group(1)) < _BARE_IN_PASSING):
        return None
    return Reference("ticket", str(int(found.group(1))))


async def status_replies(reference: Reference, queue: TicketQueue, orders: OrderSystem, language: str,
                         refund_days: int) -> Optional[list[Reply]]:
    """What to tell the customer about the ticket or return, or None when there is no such number.

    May raise `OrderSystemError` (for returns) or a Redis error (for tickets).
    """
    if reference.kind == "return":
        case = await orders.find_return(reference.value)
        return [replies.return_state(case, language, refund_days)] if case else None
    ticket = await queue.get(reference.value)
    return [ticket_state(ticket, language)] if ticket else None


def ticket_state(ticket: Ticket, language: str) -> Reply:
    shown = {"ticket": ticket.reference}
    if ticket.state == "closed":
        closed = datetime.fromtimestamp(ticket.closed_at or ticket.created_at, tz=timezone.utc)
        return "utter_ticket_closed", {**shown, "date": replies.written_date(closed, language)}
    if ticket.state == "claimed":
        return "utter_ticket_in_progress", shown
    return "utter_ticket_waiting", shown
