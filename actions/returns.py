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
from bot.orders.items import Names, chosen_items, item_buttons
from bot.orders.model import Order, OrderItem, ReturnKind
from bot.orders.eligibility import Eligibility
from bot.orders.system import OrderSystemError, OrderSystemRejected

DAMAGED_FORM = "damaged_item_form"
REASON_ENTITY = "reason"


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


class ValidateReturnForm(_ItemFormValidation):
    def name(self) -> str:
        return "validate_return_form"

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


class ActionCreateReturn(order_forms.FlowEndAction):
    def name(self) -> str:
        return "action_create_return"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        order = await order_forms.verified_order(tracker)
        if order is None:
            return order_forms.flow_reset()
        items = _selected(order, tracker.get_slot("return_items"))
        try:
            case = await order_system().create_return(order, [item.id for item in items],
                                                      str(tracker.get_slot("return_reason") or ""), ReturnKind.REFUND)
        except OrderSystemRejected as refusal:  # the shop's own rules said no (e.g. returned meanwhile)
            blocked = tuple(item.id for item in items)
            await _say_why_not(order, Eligibility(False, refusal.reason or "not_returnable", blocked_items=blocked),
                               dispatcher, tracker)
            return order_forms.offer_person(order_forms.NOT_ELIGIBLE)
        response, values = replies.return_created(case, items, refund_days(), reply_language(tracker),
                                                  await product_names(tracker))
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
