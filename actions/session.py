"""Session start: keep the language and the channel's metadata (locale, phone country: the market for prices),
take the language from the channel when we know nothing yet, and stay silent when a person still has the
conversation (a new session would otherwise un-pause it).

Rasa sets `session_started_metadata` just before running this action; `SessionStarted` resets every slot, so the
metadata is set again after it."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from redis.exceptions import RedisError

from actions.context import redis
from bot.handoff.queue import TicketQueue
from bot.languages import hint_from_metadata

logger = logging.getLogger(__name__)

METADATA_SLOT = "session_started_metadata"
CARRIED_SLOTS = ("language",)


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        # Only the language carries over: a verified order, a half-filled form or an offer do not outlive the session.
        carried = {key: value for key, value in tracker.slots.items() if value is not None and key in CARRIED_SLOTS}
        events += [SlotSet(key, value) for key, value in carried.items()]
        metadata = tracker.get_slot(METADATA_SLOT)
        if metadata:
            events.append(SlotSet(METADATA_SLOT, metadata))
        hint = hint_from_metadata(metadata)
        if hint and "language" not in carried:
            events.append(SlotSet("language", hint))
        if await self._with_a_person(tracker.sender_id):
            events.append(ConversationPaused())
        events.append(ActionExecuted("action_listen"))
        return events

    @staticmethod
    async def _with_a_person(conversation_id: str) -> bool:
        try:
            return await TicketQueue(redis()).open_ticket(conversation_id) is not None
        except (RedisError, OSError) as error:
            logger.error("Handoff queue unavailable at session start (%s)", type(error).__name__)
            return False
