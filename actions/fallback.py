"""Messages the bot did not understand: ask once to rephrase, then offer a person; other languages get English."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot import conversation


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if conversation.latest_language_unsupported(tracker.events):
            dispatcher.utter_message(response="utter_unsupported_language")
        elif conversation.consecutive_fallbacks(tracker.events) >= 2:
            dispatcher.utter_message(response="utter_offer_human")
        else:
            dispatcher.utter_message(response="utter_please_rephrase")
        return []
