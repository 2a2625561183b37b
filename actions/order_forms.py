"""The part every order form shares: take the order number, verify the customer, and stop politely when that fails.

Nothing about an order is said before the customer is verified: the e-mail or phone number they give (or, on
WhatsApp, the number they write from) must match the order. After two failed attempts a person is offered.
"""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import form_input
from actions.context import channel_metadata, channel_name, order_system
from actions.handoff import REASON_SLOT
from bot.orders import verification
from bot.orders.model import Order
from bot.orders.numbers import order_number_in
from bot.orders.system import OrderSystemError

logger = logging.getLogger(__name__)

VERIFIED = "verified"  # what order_contact holds once the customer is verified (never the contact itself)
MAX_MISSES = 2
# Why a flow stopped before its end; the submit action then offers a person.
BACKEND_DOWN, NOT_VERIFIED, NOT_ELIGIBLE, NOT_FOUND = "backend_down", "not_verified", "not_eligible", "not_found"
_HANDOFF_REASONS = {BACKEND_DOWN: "backend_down", NOT_VERIFIED: "verification_failed",
                    NOT_ELIGIBLE: "return_not_eligible", NOT_FOUND: "not_found"}
FLOW_SLOTS = ("order_number", "order_contact", "order_problem", "form_misses", "return_items", "return_quantity",
              "return_reason", "damage_description", "product", "ticket_number", "notify_email")


def flow_reset() -> list[EventType]:
    """Forget what one flow collected (the verified order stays, so the customer is not asked twice)."""
    return [SlotSet(slot, 0 if slot == "form_misses" else None) for slot in FLOW_SLOTS]


def stopped(problem: str) -> dict[str, Any]:
    """Slot values that end a form early; the submit action sees `order_problem` and offers a person."""
    return {"order_problem": problem, "requested_slot": None, REASON_SLOT: _HANDOFF_REASONS[problem]}


def backend_down(dispatcher: CollectingDispatcher, error: OrderSystemError) -> dict[str, Any]:
    logger.warning("Order system unavailable during a conversation (%s)", type(error).__name__)
    dispatcher.utter_message(response="utter_backend_down")
    return stopped(BACKEND_DOWN)


def missed(tracker: Tracker, problem: str, **cleared: Any) -> dict[str, Any]:
    """One more answer that did not do: ask again (the `cleared` slots emptied), or stop with `problem` at the
    second miss (then `order_problem` is among the values)."""
    misses = int(tracker.get_slot("form_misses") or 0) + 1
    if misses >= MAX_MISSES:
        return {**stopped(problem), "form_misses": misses}
    return {**cleared, "form_misses": misses}


def offer_person(problem: str) -> list[EventType]:
    """For a flow's last step that could not finish: reset the flow and offer a person, noting why."""
    return flow_reset() + [SlotSet(REASON_SLOT, _HANDOFF_REASONS[problem]), FollowupAction("utter_offer_person")]


def outage(dispatcher: CollectingDispatcher, error: OrderSystemError) -> list[EventType]:
    """For a flow's last step: the order system failed, so apologise, reset the flow and offer a person."""
    backend_down(dispatcher, error)
    return offer_person(BACKEND_DOWN)


def order_status_for_a_bare_number(tracker: Tracker) -> Optional[list[EventType]]:
    """A message that is (or holds) an order number and nothing we understood: it can only mean "where is this
    order?", so start the order status form (the events to return); None for any other message."""
    if order_number_in(tracker.latest_message.get("text") or ""):
        return [FollowupAction("order_status_form")]
    return None


def finish(tracker: Tracker) -> Optional[list[EventType]]:
    """When the form stopped early: reset it and offer a person (the events to return); otherwise None."""
    if not tracker.get_slot("order_problem"):
        return None
    return flow_reset() + [FollowupAction("utter_offer_person")]


class FlowEndAction(Action, ABC):
    """The last step of a flow: a person is offered when the form stopped early or the order system fails."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        stopped = finish(tracker)
        if stopped is not None:
            return stopped
        try:
            return await self.answer(dispatcher, tracker)
        except OrderSystemError as error:
            return outage(dispatcher, error)

    @abstractmethod
    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Tell the customer the outcome of the flow; the events to return."""


async def verified_order(tracker: Tracker) -> Optional[Order]:
    """The order the customer was verified for in this flow (raises OrderSystemError when it cannot be read)."""
    number = tracker.get_slot("order_number")
    if not number or tracker.get_slot("order_contact") != VERIFIED or tracker.get_slot("verified_order") != number:
        return None
    return await order_system().find_order(number)


class OrderFormValidation(FormValidationAction, ABC):
    """Slots `order_number` and `order_contact`, then whatever the form needs about the verified order."""

    @abstractmethod
    def name(self) -> str:
        """`validate_<form name>`."""

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        if tracker.get_slot("order_problem"):
            return []
        return list(domain_slots)

    # ---- order number -----------------------------------------------------------------------------------------
    async def extract_order_number(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        # Only the message that started the form or answers our question: a phone number given later must not
        # become the order number.
        starting, asked = tracker.get_slot("requested_slot") is None, form_input.is_asked(tracker, "order_number")
        if not (starting or asked):
            return {}
        text = form_input.latest_text(tracker)
        found = order_number_in(text)
        if found:
            return {"order_number": found}
        if asked and form_input.answers_structured_question(tracker):
            return {"order_number": text}  # validate_order_number says why this is not an order number
        return {}

    async def validate_order_number(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        number = order_number_in(str(value or ""))
        if not number:
            dispatcher.utter_message(response="utter_invalid_order_number")
            return {"order_number": None}
        if tracker.get_slot("verified_order") == number:
            return await self._verified(number, dispatcher, tracker)
        metadata = channel_metadata(tracker)
        if channel_name(tracker) == "whatsapp" and metadata.get("phone"):
            # On WhatsApp the customer writes from a phone number: when it is the order's, that is the proof.
            try:
                order = await order_system().find_order(number)
            except OrderSystemError as error:
                return backend_down(dispatcher, error)
            if order is not None and verification.matches(order, phone=str(metadata["phone"])):
                return await self._verified(number, dispatcher, tracker, order)
        return {"order_number": number}

    # ---- contact ------------------------------------------------------------------------------------------------
    async def extract_order_contact(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        if not form_input.is_asked(tracker, "order_contact"):
            return {}
        email, phone = verification.contact_in(form_input.latest_text(tracker))
        if email or phone or form_input.answers_structured_question(tracker):
            return {"order_contact": form_input.latest_text(tracker)}
        return {}

    async def validate_order_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> dict[str, Any]:
        if value == VERIFIED:
            return {}
        email, phone = verification.contact_in(str(value or ""))
        if not (email or phone):
            dispatcher.utter_message(response="utter_invalid_contact")
            return {"order_contact": None}
        number = tracker.get_slot("order_number")
        try:
            order = await order_system().find_order(number) if number else None
        except OrderSystemError as error:
            return backend_down(dispatcher, error)
        if order is not None and verification.matches(order, email=email, phone=phone):
            return await self._verified(order.number, dispatcher, tracker, order)
        # The same answer whether the order does not exist or the contact is wrong: nothing leaks.
        values = missed(tracker, NOT_VERIFIED, order_number=None, order_contact=None)
        final = "order_problem" in values
        dispatcher.utter_message(response="utter_verification_failed" if final else "utter_verification_failed_retry")
        return values

    # ---- after verification -------------------------------------------------------------------------------------
    async def _verified(self, number: str, dispatcher: CollectingDispatcher, tracker: Tracker,
                        order: Optional[Order] = None) -> dict[str, Any]:
        values: dict[str, Any] = {"order_number": number, "order_contact": VERIFIED, "verified_order": number}
        try:
            order = order or await order_system().find_order(number)
        except OrderSystemError as error:
            return backend_down(dispatcher, error)
        if order is None:  # verified earlier, gone now
            return {**stopped(NOT_VERIFIED), "verified_order": None}
        return {**values, **await self.on_verified(order, dispatcher, tracker)}

    async def on_verified(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Slot values the form sets once the customer is verified for `order` (e.g. a single item, or a stop)."""
        return {}
