"""A message that only gives information ("10482", an e-mail) when no question of ours is pending."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from bot.orders.numbers import order_number_in


class ActionRouteInform(Action):
    """An order number on its own means "where is this order?"; anything else goes to the offer of a person."""

    def name(self) -> str:
        return "action_route_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if order_number_in(tracker.latest_message.get("text") or ""):
            return [FollowupAction("order_status_form")]
        return [FollowupAction("utter_needs_person")]
