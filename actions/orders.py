"""Where is my order: the order status form and its answer."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import order_forms
from actions.context import refund_days, reply_language
from bot.orders import replies
from bot.orders.system import OrderSystemError


class ValidateOrderStatusForm(order_forms.OrderFormValidation):
    def name(self) -> str:
        return "validate_order_status_form"


class ActionOrderStatus(Action):
    """Status, carrier, tracking link and expected delivery of the order the customer was verified for."""

    def name(self) -> str:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        stopped = order_forms.finish(tracker)
        if stopped is not None:
            return stopped
        try:
            order = await order_forms.verified_order(tracker)
        except OrderSystemError as error:
            return order_forms.outage(dispatcher, error)
        if order is None:
            return order_forms.flow_reset()
        for response, values in replies.order_status(order, reply_language(tracker), refund_days()):
            dispatcher.utter_message(response=response, **values)
        return order_forms.flow_reset()
