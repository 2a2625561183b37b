"""FAQ answers from the business profile: opening hours, shipping, payment methods, return policy."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.context import profile, reply_language
from bot import faq
from bot.hours import BusinessHours
from bot.languages import language_from_phone


class ActionAnswerOpeningHours(Action):
    def name(self) -> str:
        return "action_answer_opening_hours"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        replies = BusinessHours(profile()).answer(text, reply_language(tracker), datetime.now(timezone.utc))
        for response, values in replies:
            dispatcher.utter_message(response=response, **values)
        return []


class ActionAnswerShipping(Action):
    def name(self) -> str:
        return "action_answer_shipping"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = reply_language(tracker)
        metadata = tracker.get_slot("session_started_metadata") or {}
        phone_language = language_from_phone(metadata.get("phone"))
        country = faq.country_for(phone_language) if phone_language else None
        dispatcher.utter_message(response="utter_shipping", **faq.shipping_values(profile(), language, country))
        return []


class ActionAnswerPaymentMethods(Action):
    def name(self) -> str:
        return "action_answer_payment_methods"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_payment_methods", **faq.payment_values(profile(), reply_language(tracker)))
        return []


class ActionAnswerReturnPolicy(Action):
    def name(self) -> str:
        return "action_answer_return_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_return_policy", **faq.return_values(profile(), reply_language(tracker)))
        return []
