"""Greeting: by first name when the channel told us the customer's name."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.context import channel_metadata, reply_language
from bot.handoff.triggers import first_name
from bot.names import addressed


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        name = first_name(channel_metadata(tracker))
        if name:
            dispatcher.utter_message(response="utter_greet_named", first_name=addressed(name, reply_language(tracker)))
        else:
            dispatcher.utter_message(response="utter_greet")
        return []
