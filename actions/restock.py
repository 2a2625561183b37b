"""When is a product back: find it in any language, give the restock date, and offer a notification, storing the
customer's contact only after they said yes (with that consent recorded)."""
from __future__ import annotations

from typing import Any, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from redis.exceptions import RedisError

from actions import form_input, order_forms
from actions.context import channel_name, order_system, redis, reply_language
from actions.returns import product_names
from bot.orders import replies, verification
from bot.orders.model import Product
from bot.orders.system import OrderSystemError
from bot.restock import RestockSubscriptions, Subscription, consent_evidence

OFFER_SLOT = "restock_offer"  # the sku a notification was offered for
CHANNELS_THAT_CAN_WRITE_FIRST = ("messenger", "whatsapp")


async def _product(sku: Optional[str]) -> Optional[Product]:
    return next((product for product in await order_system().products() if product.sku == sku), None) if sku else None


class ValidateRestockForm(FormValidationAction):
    def name(self) -> str:
        return "validate_restock_form"

    async def extract_product(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> dict[str, Any]:
        named = form_input.latest_entity(tracker, "product")
        if form_input.is_asked(tracker, "product"):
            if form_input.answers_free_text_question(tracker):
                return {"product": named or form_input.latest_text(tracker)}
            return {}
        # The question that started the form may already name the product ("when is the rain jacket back?").
        return {"product": named or form_input.latest_text(tracker)} if tracker.get_slot("requested_slot") is None else {}

    async def validate_product(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        asked = form_input.is_asked(tracker, "product")
        try:
            product = await order_system().find_product(str(value or ""), reply_language(tracker))
        except OrderSystemError as error:
            return order_forms.backend_down(dispatcher, error)
        if product is not None:
            return {"product": product.sku}
        if not asked:
            return {"product": None}  # the first question did not name one we know: just ask
        dispatcher.utter_message(response="utter_product_not_found")
        return order_forms.missed(tracker, order_forms.NOT_FOUND, product=None)


class ActionRestockAnswer(order_forms.FlowEndAction):
    def name(self) -> str:
        return "action_restock_answer"

    async def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        product = await _product(tracker.get_slot("product"))
        if product is None:
            return order_forms.flow_reset()
        reply = replies.product_availability(product, reply_language(tracker), await product_names(tracker))
        dispatcher.utter_message(response=reply[0], **reply[1])
        offered = product.sku if replies.offers_notification(reply) else None
        return order_forms.flow_reset() + [SlotSet(OFFER_SLOT, offered)]


class ValidateNotifyEmailForm(FormValidationAction):
    """On the web chat we cannot write first: ask where to send the notification."""

    def name(self) -> str:
        return "validate_notify_email_form"

    async def extract_notify_email(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> dict[str, Any]:
        if form_input.is_asked(tracker, "notify_email") and form_input.answers_structured_question(tracker):
            return {"notify_email": form_input.latest_text(tracker)}
        return {}

    async def validate_notify_email(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> dict[str, Any]:
        email, _ = verification.contact_in(str(value or ""))
        if email is None:
            dispatcher.utter_message(response="utter_invalid_contact")
        return {"notify_email": email}


class ActionRestockSubscribe(Action):
    """The customer said yes to the notification offer: store the contact with the consent."""

    def name(self) -> str:
        return "action_restock_subscribe"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        sku = tracker.get_slot(OFFER_SLOT)
        if not sku:
            dispatcher.utter_message(response="utter_affirm_ack")
            return []
        channel = channel_name(tracker)
        email = tracker.get_slot("notify_email")
        if channel not in CHANNELS_THAT_CAN_WRITE_FIRST and not email:
            return [FollowupAction("notify_email_form")]
        try:
            product = await _product(sku)
        except OrderSystemError as error:
            return order_forms.outage(dispatcher, error) + [SlotSet(OFFER_SLOT, None)]
        question, answer = consent_evidence(tracker.events)
        subscription = Subscription(
            sku=sku, product=product.name if product else sku, conversation_id=tracker.sender_id, channel=channel,
            contact=email or tracker.sender_id, language=reply_language(tracker),
            consent_question=question, consent_answer=answer,
        )
        try:
            await RestockSubscriptions(redis()).subscribe(subscription)
        except (RedisError, OSError):
            dispatcher.utter_message(response="utter_handoff_failed")
            return [SlotSet(OFFER_SLOT, None), SlotSet("notify_email", None)]
        dispatcher.utter_message(response="utter_restock_subscribed",
                                 product=(await product_names(tracker))(product) if product else sku)
        return [SlotSet(OFFER_SLOT, None), SlotSet("notify_email", None)]
