"""Rasa NLG (endpoints.yml `nlg: type: bot.nlg.MultilingualNLG`): the domain's responses in the customer's language.

Chooses the language variation, fills business-profile values ({company}), and writes Serbian in Cyrillic
for customers who write Cyrillic.
"""
from __future__ import annotations

import copy
from typing import Any, Optional

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import conversation, languages
from bot.profile import BusinessProfile, load_profile
from bot.transliterate import latin_to_cyrillic


# Template values that are names (of products, couriers, people, the shop) or links: never transliterated.
LANGUAGE_SWITCHED = "utter_language_switched"  # "Sure, let's continue in English.": alone, or before an answer
NAMES_KEPT = frozenset({"carrier", "product", "items", "first_name", "name", "company", "tracking_url", "label_url"})


class MultilingualNLG(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, domain: Optional[Domain] = None) -> None:
        super().__init__((domain or Domain.empty()).responses)
        profile_path = (endpoint_config.kwargs.get("profile") if endpoint_config else None) or None
        self.profile: BusinessProfile = load_profile(profile_path)
        self._confirmed: dict[str, float] = {}  # sender -> the language request already confirmed (its timestamp)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> Optional[dict[str, Any]]:
        events = [event.as_dict() for event in tracker.events]
        language = conversation.reply_language(events)
        slots = {**tracker.current_slot_values(), "language": language}
        values = {
            "company": self.profile.company,
            "supported_languages": languages.supported_language_names(),
            **kwargs,
        }
        if language == "sr" and conversation.serbian_script(events) == "Cyrl":
            response = self._generate_cyrillic(utter_action, slots, output_channel, values)
        else:
            response = self.generate_from_slots(utter_action, slots, output_channel, **values)
        return await self._confirm_language_switch(utter_action, tracker, output_channel, events, response)

    async def _confirm_language_switch(self, utter_action: str, tracker: DialogueStateTracker, output_channel: str,
                                       events: list[dict[str, Any]], response: Optional[dict[str, Any]]
                                       ) -> Optional[dict[str, Any]]:
        """The first answer after "could you write in English? …" opens with "Sure, let's continue in English."."""
        turn = conversation.language_request_turn(events)
        if (turn is None or response is None or not response.get("text")
                or utter_action == LANGUAGE_SWITCHED or self._confirmed.get(tracker.sender_id) == turn):
            return response
        self._confirmed[tracker.sender_id] = turn
        while len(self._confirmed) > 10_000:
            self._confirmed.pop(next(iter(self._confirmed)))
        confirmation = await self.generate(LANGUAGE_SWITCHED, tracker, output_channel)
        if confirmation and confirmation.get("text"):
            response = {**response, "text": f"{confirmation['text']} {response['text']}"}
        return response

    def _generate_cyrillic(self, utter_action: str, slots: dict[str, Any], output_channel: str,
                           values: dict[str, Any]) -> Optional[dict[str, Any]]:
        """The Latin template and texts like dates in Cyrillic; names of products, couriers and people as they are."""
        response = copy.deepcopy(self._random_response_for(utter_action, output_channel, slots))
        if response is None:
            return None
        keep = self.profile.latin_names
        values = {key: latin_to_cyrillic(value, keep) if isinstance(value, str) and key not in NAMES_KEPT else value
                  for key, value in values.items()}
        return self._fill_response(self._to_cyrillic(response), slots, **values)

    def _to_cyrillic(self, response: dict[str, Any]) -> dict[str, Any]:
        keep = self.profile.latin_names
        if response.get("text"):
            response["text"] = latin_to_cyrillic(response["text"], keep)
        for button in response.get("buttons") or []:
            button["title"] = latin_to_cyrillic(button["title"], keep)
        return response
