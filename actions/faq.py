"""FAQ answers from the business profile: opening hours, shipping, payment methods, return policy."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import channel_metadata, profile, reply_language
from bot import countries, faq, wording
from bot.hours import BusinessHours

COUNTRY_SLOT = "shipping_country"  # the country the customer last asked about delivery to


class ActionAnswerOpeningHours(Action):
    def name(self) -> str:
        return "action_answer_opening_hours"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        language = reply_language(tracker)
        metadata = channel_metadata(tracker)
        zone = wording.customer_zone(metadata, countries.channel_country(metadata), language)
        replies = BusinessHours(profile()).answer(text, language, datetime.now(timezone.utc), zone)
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


class ActionAnswerShipping(Action):
    """Delivery options and prices for the customer's country, remembered for follow-ups ("and to Finland?")."""

    def name(self) -> str:
        return "action_answer_shipping"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        language = reply_language(tracker)
        metadata = channel_metadata(tracker)
        named = countries.named_country(tracker.latest_message.get("text") or "", language)
        country = faq.shipping_country(language, named, tracker.get_slot(COUNTRY_SLOT),
                                       countries.channel_country(metadata))
        locale = metadata.get("locale") if isinstance(metadata.get("locale"), str) else None
        response, values = faq.shipping_answer(profile(), language, country, faq.price_locale(language, locale))
        dispatcher.utter_message(response=response, **values)
        return [SlotSet(COUNTRY_SLOT, named)] if named else []


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
