"""Messages the bot did not understand: ask once to rephrase, then hand to a person (an order number on its own
starts the order status form instead).

A message in a language we do not support gets English with the list of languages we do and the offer of a
person; a second one in a row goes to a person directly.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import REASON_SLOT
from actions.order_forms import order_status_for_a_bare_number
from bot import conversation
from bot.handoff import triggers


class ActionHandleFallback(Action):
    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        order_status = order_status_for_a_bare_number(tracker)  # too short for the intent model to be sure
        if order_status:
            return order_status
        if conversation.consecutive_unsupported(tracker.events) >= 2:
            return [SlotSet(REASON_SLOT, triggers.UNSUPPORTED_LANGUAGE), FollowupAction("action_handoff")]
        if conversation.consecutive_unsupported(tracker.events) == 1:
            dispatcher.utter_message(response="utter_unsupported_language")
            return [SlotSet(REASON_SLOT, triggers.UNSUPPORTED_LANGUAGE)]
        if conversation.consecutive_fallbacks(tracker.events) >= 2:
            return [SlotSet(REASON_SLOT, triggers.LOW_CONFIDENCE), FollowupAction("action_handoff")]
        dispatcher.utter_message(response="utter_please_rephrase")
        return []
