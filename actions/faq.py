"""FAQ answers from the business profile: opening hours, shipping, payment methods, return policy."""
from __future__ import annotations

from abc import ABC, abstractmethod
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


class _ProfileAnswer(Action, ABC):
    """Utters `response` filled with values the business profile gives for the customer's language."""

    action_name: str
    response: str

    def name(self) -> str:
        return self.action_name

    @abstractmethod
    def values(self, tracker: Tracker, language: str) -> dict[str, str]:
        """The template values for `response`."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response=self.response, **self.values(tracker, reply_language(tracker)))
        return []


class ActionAnswerShipping(_ProfileAnswer):
    action_name = "action_answer_shipping"
    response = "utter_shipping"

    def values(self, tracker: Tracker, language: str) -> dict[str, str]:
        metadata = tracker.get_slot("session_started_metadata") or {}
        phone_language = language_from_phone(metadata.get("phone"))
        country = faq.country_for(phone_language) if phone_language else None
        return faq.shipping_values(profile(), language, country)


class ActionAnswerPaymentMethods(_ProfileAnswer):
    action_name = "action_answer_payment_methods"
    response = "utter_payment_methods"

    def values(self, tracker: Tracker, language: str) -> dict[str, str]:
        return faq.payment_values(profile(), language)


class ActionAnswerReturnPolicy(_ProfileAnswer):
    action_name = "action_answer_return_policy"
    response = "utter_return_policy"

    def values(self, tracker: Tracker, language: str) -> dict[str, str]:
        return faq.return_values(profile(), language)
