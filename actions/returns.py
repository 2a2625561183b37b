"""Returns and damaged or wrong items: verify the order, choose the items, check eligibility, open the case."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import form_input, order_forms
from actions.context import order_system, profile, refund_days, reply_language, return_window_days
from actions.handoff import CONTEXT_SLOT, REASON_SLOT
from bot import conversation
from bot.orders import replies
from bot.orders.items import Names, chosen_items, item_buttons, quantity_in
from bot.orders.model import Order, OrderItem, ReturnKind
from bot.orders.eligibility import Eligibility
from bot.orders.system import OrderSystemError, OrderSystemRejected

DAMAGED_FORM = "damaged_item_form"
REASON_ENTITY = "reason"
QUANTITY_SLOT = "return_quantity"
MAX_QUANTITY_BUTTONS = 10


def _selected(order: Order, item_ids: Optional[list[str]]) -> list[OrderItem]:
    wanted = set(item_ids or [])
    return [item for item in order.items if item.id in wanted]


async def product_names(tracker: Tracker) -> Names:
    """Product names in the customer's language and script (the shop's names if the catalogue is unreachable)."""
    language = reply_language(tracker)
    script = conversation.serbian_script(tracker.events) if language == "sr" else "Latn"
    try:
        return Names.of(await order_system().products(), language, script)
    except OrderSystemError:
        return Names(language, script)


async def _say_why_not(order: Order, verdict: Eligibility, dispatcher: CollectingDispatcher,
                       tracker: Tracker) -> None:
    """Tell the customer why the items cannot go back (the caller then offers a person)."""
    language = reply_language(tracker)
    refusals = profile().texts(language)["returns"].get("refusals") or {}
    response, values = replies.ineligible(order, verdict, language, return_window_days(),
                                          await product_names(tracker), refusals)
    dispatcher.utter_message(response=response, **values)


class _ItemFormValidation(order_forms.OrderFormValidation):
    """Adds `return_items`: the items of the verified order the customer means."""

    async def on_verified(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        if len(order.items) == 1:  # nothing to choose
            return await self.validate_return_items([order.items[0].id], dispatcher, tracker, {}, order)
        return {}

    async def extract_return_items(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        if not form_input.is_asked(tracker, "return_items"):
            return {}
        button = form_input.latest_entity(tracker, "item")
        if button is None and not form_input.answers_structured_question(tracker):
            return {}
        answer = button or form_input.latest_text(tracker)
        try:
            order = await order_forms.verified_order(tracker)
        except OrderSystemError as error:
            return order_forms.backend_down(dispatcher, error)
        chosen = chosen_items(answer, list(order.items), await product_names(tracker)) if order else None
        return {"return_items": [item.id for item in chosen] if chosen else []}

    async def validate_return_items(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict, order: Optional[Order] = None) -> dict[str, Any]:
        if not value:
            dispatcher.utter_message(response="utter_invalid_item")
            return {"return_items": None}
        return {"return_items": list(value)}


async def line_to_count(tracker: Tracker) -> Optional[OrderItem]:
    """The one chosen line with more than one unit left, when the shop takes part of a line back; else None."""
    chosen = tracker.get_slot("return_items") or []
    if len(chosen) != 1 or not order_system().partial_returns:
        return None
    try:
        order = await order_forms.verified_order(tracker)
    except OrderSystemError:
        return None
    line = next((item for item in order.items if item.id == chosen[0]), None) if order else None
    return line if line is not None and line.quantity - line.returned_quantity > 1 else None


class ValidateReturnForm(_ItemFormValidation):
    def name(self) -> str:
        return "validate_return_form"

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: DomainDict) -> list[str]:
        """How many units go back is asked only for a single line with more than one unit left."""
        slots = await super().required_slots(domain_slots, dispatcher, tracker, domain)
        if QUANTITY_SLOT in slots and await line_to_count(tracker) is None:
            slots.remove(QUANTITY_SLOT)
        return slots

    async def extract_return_quantity(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                      domain: DomainDict) -> dict[str, Any]:
        if form_input.is_asked(tracker, QUANTITY_SLOT) and form_input.answers_structured_question(tracker):
            return {QUANTITY_SLOT: form_input.latest_text(tracker)}
        return {}

    async def validate_return_quantity(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                       domain: DomainDict) -> dict[str, Any]:
        line = await line_to_count(tracker)
        left = line.quantity - line.returned_quantity if line else 0
        units = quantity_in(str(value or ""), left)
        return {QUANTITY_SLOT: units if units and 1 <= units <= left else None}

    async def on_verified(self, order: Order, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Stop at once when nothing in the order can be returned (not delivered, cancelled, too late...)."""
        open_items = [item.id for item in order.items if item.returnable and not item.fully_returned]
        stop = await self._refusal(order, open_items or [item.id for item in order.items], dispatcher, tracker)
        return stop if stop else await super().on_verified(order, dispatcher, tracker)

    async def validate_return_items(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict, order: Optional[Order] = None) -> dict[str, Any]:
        if not value:
            return await super().validate_return_items(value, dispatcher, tracker, domain)
        try:
            order = order or await order_forms.verified_order(tracker)
        except OrderSystemError as error:
            return order_forms.backend_down(dispatcher, error)
        if order is None:
            return {"return_items": None}
        return await self._refusal(order, list(value), dispatcher, tracker) or {"return_items": list(value)}

    @staticmethod
    async def _refusal(order: Order, item_ids: list[str], dispatcher: CollectingDispatcher,
                       tracker: Tracker) -> Optional[dict[str, Any]]:
        """Say why these items cannot be returned and stop the form; None when they can."""
        verdict = order_system().return_eligibility(order, item_ids, datetime.now(timezone.utc))
        if verdict.eligible:
            return None
        await _say_why_not(order, verdict, dispatcher, tracker)
        return order_forms.stopped(order_forms.NOT_ELIGIBLE)

    async def extract_return_reason(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        if not form_input.is_asked(tracker, "return_reason"):
            return {}
        reason = form_input.latest_entity(tracker, REASON_ENTITY)
        if reason is None and form_input.answers_free_text_question(tracker):
            reason = form_input.latest_text(tracker)[:500]
        return {"return_reason": reason} if reason else {}


class ValidateDamagedItemForm(_ItemFormValidation):
    def name(self) -> str:
        return "validate_damaged_item_form"

    async def extract_damage_description(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                         domain: DomainDict) -> dict[str, Any]:
        if form_input.is_asked(tracker, "damage_description") and form_input.answers_free_text_question(tracker):
            return {"damage_description": form_input.latest_text(tracker)[:1000]}
        return {}


class ActionAskReturnItems(Action):
    """"Which item?" with one button per item of the verified order."""

    def name(self) -> str:
        return "action_ask_return_items"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        try:
            order = await order_forms.verified_order(tracker)
        except OrderSystemError as error:
            values = order_forms.backend_down(dispatcher, error)
            return [SlotSet(key, value) for key, value in values.items()]
        question = "utter_choose_damaged_item" if tracker.active_loop_name == DAMAGED_FORM else "utter_choose_return_item"
        buttons = item_buttons(list(order.items), await product_names(tracker)) if order else []
        dispatcher.utter_message(response=question, buttons=buttons)
        return []


class ActionAskReturnQuantity(Action):
    """"You bought 2 × T-shirt. How many are you sending back?" with a button per number."""

    def name(self) -> str:
        return "action_ask_return_quantity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        line = await line_to_count(tracker)
        if line is None:
            return [SlotSet(QUANTITY_SLOT, None)]
        left = line.quantity - line.returned_quantity
        buttons = [{"title": str(units), "payload": str(units)}
                   for units in range(1, min(left, MAX_QUANTITY_BUTTONS) + 1)]
        dispatcher.utter_message(response="utter_ask_return_quantity", quantity=str(left),
                                 product=(await product_names(tracker))(line), buttons=buttons)
        return []


class ActionCreateReturn(order_forms.FlowEndAction):
    def name(self) -> str:
        return "action_create_return"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        order = await order_forms.verified_order(tracker)
        if order is None:
            return order_forms.flow_reset()
        items = _selected(order, tracker.get_slot("return_items"))
        units = tracker.get_slot(QUANTITY_SLOT)
        quantities = {items[0].id: int(units)} if units and len(items) == 1 and order_system().partial_returns else {}
        try:
            case = await order_system().create_return(order, [item.id for item in items],
                                                      str(tracker.get_slot("return_reason") or ""), ReturnKind.REFUND,
                                                      **({"quantities": quantities} if quantities else {}))
        except OrderSystemRejected as refusal:  # the shop's own rules said no (e.g. returned meanwhile)
            blocked = tuple(item.id for item in items)
            await _say_why_not(order, Eligibility(False, refusal.reason or "not_returnable", blocked_items=blocked),
                               dispatcher, tracker)
            return order_forms.offer_person(order_forms.NOT_ELIGIBLE)
        response, values = replies.return_created(case, items, refund_days(), reply_language(tracker),
                                                  await product_names(tracker), quantities)
        dispatcher.utter_message(response=response, **values)
        return order_forms.flow_reset()


class ActionReportDamage(order_forms.FlowEndAction):
    """Open a replacement case for the damaged or wrong item, then hand over to a person with that context."""

    def name(self) -> str:
        return "action_report_damage"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        description = str(tracker.get_slot("damage_description") or "")
        context = {"order": str(tracker.get_slot("order_number") or ""), "description": description}
        try:
            order = await order_forms.verified_order(tracker)
            items = _selected(order, tracker.get_slot("return_items")) if order else []
            if order is not None:
                context["items"] = replies.item_names(items, "en")  # for the agent: the shop's own names
                case = await order_system().create_return(order, [item.id for item in items],
                                                          f"damaged: {description}", ReturnKind.REPLACEMENT)
                context["case"] = case.id
                dispatcher.utter_message(response="utter_damage_case_created", case_id=case.id,
                                         items=replies.item_names(items, reply_language(tracker),
                                                                  await product_names(tracker)))
        except OrderSystemRejected:
            pass  # the shop takes no case for these items: the person decides, with everything we collected
        except OrderSystemError as error:
            order_forms.backend_down(dispatcher, error)  # still handed over: a person can open the case
        return order_forms.flow_reset() + [SlotSet(REASON_SLOT, "report_damaged_item"), SlotSet(CONTEXT_SLOT, context),
                                           FollowupAction("action_handoff")]
