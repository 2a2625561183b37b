"""Ticket status: the customer quotes a ticket or return number and hears where it stands."""
from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from redis.exceptions import RedisError

from actions import form_input, order_forms
from actions.context import order_system, redis, refund_days, reply_language
from bot.handoff.queue import TicketQueue
from bot.ticket_status import Reference, reference_in, status_replies

logger = logging.getLogger(__name__)


class ValidateTicketStatusForm(FormValidationAction):
    def name(self) -> str:
        return "validate_ticket_status_form"

    async def extract_ticket_number(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        text = form_input.latest_text(tracker)
        if reference_in(text) or (form_input.is_asked(tracker, "ticket_number")
                                  and form_input.answers_structured_question(tracker)):
            return {"ticket_number": text}
        return {}

    async def validate_ticket_number(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        found = reference_in(str(value or ""), asked=True)
        if found:
            return {"ticket_number": f"{found.kind}:{found.value}"}
        return order_forms.missed(tracker, order_forms.NOT_FOUND, ticket_number=None)


class ActionTicketStatus(order_forms.FlowEndAction):
    def name(self) -> str:
        return "action_ticket_status"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        kind, _, value = str(tracker.get_slot("ticket_number") or "").partition(":")
        if not value:
            return order_forms.flow_reset()
        reference = Reference(kind, value)
        try:
            found = await status_replies(reference, TicketQueue(redis()), order_system(), reply_language(tracker),
                                         refund_days())
        except (RedisError, OSError) as error:
            logger.error("Handoff queue unavailable for a ticket lookup (%s)", type(error).__name__)
            dispatcher.utter_message(response="utter_handoff_failed")
            return order_forms.flow_reset()
        if found is None:
            dispatcher.utter_message(response="utter_ticket_not_found", ticket=reference.shown)
            return order_forms.flow_reset() + [FollowupAction("utter_offer_person")]
        for response, values in found:
            dispatcher.utter_message(response=response, **values)
        return order_forms.flow_reset()
