"""Handing a conversation to a person: open the ticket and work out what the customer is told."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from redis.asyncio import Redis

from bot.handoff.presence import agents_online_for
from bot.handoff.queue import Ticket, TicketQueue
from bot.handoff.wait import expected_wait_minutes
from bot.hours import BusinessHours, Reply
from bot.profile import BusinessProfile
from bot.wording import duration


@dataclass
class Handoff:
    ticket: Ticket
    created: bool
    replies: list[Reply]


async def hand_off(redis: Redis, profile: BusinessProfile, ticket: Ticket, now: datetime,
                   customer_zone: Optional[str] = None) -> Handoff:
    """Queue `ticket` (or find the conversation's open one) and say, in the ticket's language, what happens next:
    the expected wait while the team is working, or when it is back and that the message is kept (in the
    customer's time too when `customer_zone`, an IANA id, is in another offset than the shop)."""
    queue = TicketQueue(redis)
    stored, created = await queue.enqueue(ticket)
    language = stored.language
    number: Reply = ("utter_handoff_ticket", {"ticket": stored.reference})
    if not created:
        return Handoff(stored, False, [("utter_handoff_already", {}), number])
    hours = BusinessHours(profile)
    if not hours.is_open(now):
        return Handoff(stored, True, [("utter_handoff_offline", {"next_open": hours.back_phrase(language, now, now, customer_zone)}),
                                      number])
    waiting_ids = [waiting.id for waiting in await queue.waiting([language])]
    position = waiting_ids.index(stored.id) + 1 if stored.id in waiting_ids else 1
    handling = await queue.median_handling_seconds()
    minutes = expected_wait_minutes(
        position,
        await agents_online_for(redis, language),
        handling / 60 if handling else None,
        profile.first_response_minutes(stored.channel),
    )
    wait = {"minutes": str(minutes), "wait": duration(minutes, "minute", language)}
    return Handoff(stored, True, [("utter_handoff_queued", {}), ("utter_handoff_wait", wait), number])
