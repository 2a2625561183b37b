"""When the team is offline, the handoff says when it is back, in the customer's time too when theirs differs."""
from __future__ import annotations

from datetime import datetime, timezone

from bot import countries, wording
from bot.handoff.queue import Ticket
from bot.handoff.service import hand_off
from bot.profile import load_profile

# Saturday 5 December 2026, 16:00 UTC: 17:00 in Warsaw, after Saturday's 15:00 closing; back Monday at 08:00.
SATURDAY_EVENING = datetime(2026, 12, 5, 16, 0, tzinfo=timezone.utc)


def _ticket(conversation: str, language: str) -> Ticket:
    return Ticket(conversation_id=conversation, channel="web", language=language, reason="customer_request")


def _zone(phone: str, language: str) -> str | None:
    metadata = {"phone": phone}
    return wording.customer_zone(metadata, countries.channel_country(metadata), language)


async def test_a_greek_customer_is_told_when_we_are_back_in_greek_time_too(redis):
    handoff = await hand_off(redis, load_profile(), _ticket("gr-1", "el"), SATURDAY_EVENING,
                             _zone("+306912345678", "el"))
    (response, values), _ = handoff.replies
    assert response == "utter_handoff_offline"
    assert values["next_open"].endswith("08:00 (09:00 Ώρα Ανατολικής Ευρώπης)")


async def test_a_cypriot_customer_writing_english_gets_the_cyprus_time(redis):
    handoff = await hand_off(redis, load_profile(), _ticket("cy-1", "en"), SATURDAY_EVENING,
                             _zone("+35799123456", "en"))
    assert handoff.replies[0][1]["next_open"] == "on Monday at 08:00 (09:00 Eastern European Time)"


async def test_a_customer_in_the_shops_offset_gets_the_shops_time_alone(redis):
    handoff = await hand_off(redis, load_profile(), _ticket("pl-1", "pl"), SATURDAY_EVENING, _zone("+48601234567", "pl"))
    assert handoff.replies[0][1]["next_open"].endswith("08:00")
    assert "(" not in handoff.replies[0][1]["next_open"]
