"""The `language` slot follows the conversation's language after every customer message (a custom slot mapping
that Rasa's `action_extract_slots` runs), so the slot, the replies, the tickets and the statistics agree."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import reply_language


class ActionConversationLanguage(Action):
    def name(self) -> str:
        return "action_conversation_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = reply_language(tracker)
        return [] if tracker.get_slot("language") == language else [SlotSet("language", language)]
