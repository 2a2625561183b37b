"""A message that only gives information ("10482", an e-mail) when no question of ours is pending."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.order_forms import order_status_for_a_bare_number


class ActionRouteInform(Action):
    """An order number on its own means "where is this order?"; anything else goes to the offer of a person."""

    def name(self) -> str:
        return "action_route_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return order_status_for_a_bare_number(tracker) or [FollowupAction("utter_needs_person")]
