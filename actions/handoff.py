"""Handing the conversation to a person, and the customer's rating after a person closed it."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, ConversationPaused, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from redis.exceptions import RedisError

from actions.context import channel_metadata, channel_name, profile, redis, reply_language
from bot import countries, wording
from bot.handoff import triggers
from bot.handoff.queue import Ticket, TicketQueue
from bot.handoff.rating import rating_from
from bot.handoff.service import hand_off

logger = logging.getLogger(__name__)
REASON_SLOT = "handoff_reason"
CONTEXT_SLOT = "handoff_context"  # what a flow collected for the agent (order, case, item, description)


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        metadata = channel_metadata(tracker)
        reason = triggers.handoff_reason(tracker.events, tracker.get_slot(REASON_SLOT))
        ticket = Ticket(
            conversation_id=tracker.sender_id,
            channel=channel_name(tracker),
            language=reply_language(tracker),
            reason=reason,
            customer_name=triggers.customer_name(metadata),
            priority=triggers.handoff_priority(reason, metadata),
            summary=triggers.conversation_summary(tracker.events),
            context=_context(tracker.get_slot(CONTEXT_SLOT), metadata.get("handoff_context")),
        )
        try:
            zone = wording.customer_zone(metadata, countries.channel_country(metadata), ticket.language)
            handoff = await hand_off(redis(), profile(), ticket, datetime.now(timezone.utc), zone)
        except (RedisError, OSError) as error:
            logger.error("Handoff queue unavailable (%s)", type(error).__name__)
            dispatcher.utter_message(response="utter_handoff_failed")
            return [SlotSet(REASON_SLOT, None), SlotSet(CONTEXT_SLOT, None)]
        logger.info("Conversation handed off: ticket %s, reason %s, language %s",
                    handoff.ticket.id, reason, ticket.language)
        for response, values in handoff.replies:
            dispatcher.utter_message(response=response, **values)
        # A person takes over whatever the bot was asking: no form stays active behind them.
        return [SlotSet(REASON_SLOT, None), SlotSet(CONTEXT_SLOT, None), ActiveLoop(None), SlotSet("requested_slot", None),
                ConversationPaused()]


def _context(collected: Any, from_channel: Any) -> dict[str, str]:
    """What a flow collected, and what the channel handed over (a catalogue order, a WhatsApp Flow's answers)."""
    merged = {**(from_channel if isinstance(from_channel, dict) else {}),
              **(collected if isinstance(collected, dict) else {})}
    return {str(key): str(value) for key, value in merged.items()}


class ActionStoreRating(Action):
    def name(self) -> str:
        return "action_store_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        rating = rating_from(tracker.latest_message)
        if rating is None:
            # "super!" after the rating question is feedback too; anywhere else we did not understand it.
            asked = tracker.get_last_event_for("action", exclude=["action_listen"]) or {}
            response = "utter_thanks_rating" if asked.get("name") == "utter_ask_rating" else "utter_please_rephrase"
            dispatcher.utter_message(response=response)
            return []
        try:
            queue = TicketQueue(redis())
            ticket = await queue.latest_ticket(tracker.sender_id)
            if ticket is not None:
                await queue.rate(ticket.id, rating)
        except (RedisError, OSError) as error:
            logger.error("Could not store a rating (%s)", type(error).__name__)
        dispatcher.utter_message(response="utter_thanks_rating")
        return []
