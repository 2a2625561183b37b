"""Where is my order: the order status form and its answer."""
from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import order_forms
from actions.context import refund_days, reply_language
from bot.orders import replies


class ValidateOrderStatusForm(order_forms.OrderFormValidation):
    def name(self) -> str:
        return "validate_order_status_form"


class ActionOrderStatus(order_forms.FlowEndAction):
    """Status, carrier, tracking link and expected delivery of the order the customer was verified for."""

    def name(self) -> str:
        return "action_order_status"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        order = await order_forms.verified_order(tracker)
        for response, values in replies.order_status(order, reply_language(tracker), refund_days()) if order else []:
            dispatcher.utter_message(response=response, **values)
        return order_forms.flow_reset()
