"""Session start: keep what we know, and take the language from the channel when we know nothing yet."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.languages import hint_from_metadata

METADATA_SLOT = "session_started_metadata"


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        carried = {key: value for key, value in tracker.slots.items() if value is not None and key != METADATA_SLOT}
        events += [SlotSet(key, value) for key, value in carried.items()]
        hint = hint_from_metadata(tracker.get_slot(METADATA_SLOT))
        if hint and "language" not in carried:
            events.append(SlotSet("language", hint))
        events.append(ActionExecuted("action_listen"))
        return events
