"""Why and how urgently a conversation goes to a person, what the customer is promised, and their rating."""
from __future__ import annotations

from bot.handoff import triggers
from bot.handoff.rating import rating_from
from bot.handoff.wait import expected_wait_minutes


def user(intent: str, text: str = "...") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def action(name: str) -> dict:
    return {"event": "action", "name": name}


def bot(text: str) -> dict:
    return {"event": "bot", "text": text}


def test_asking_for_a_person_is_a_customer_request_even_after_an_earlier_offer():
    events = [user("check_order_status"), action("utter_needs_person"), user("request_human")]
    assert triggers.handoff_reason(events, offered_reason="backend_down") == triggers.CUSTOMER_REQUEST


def test_accepting_after_a_complaint_is_a_complaint():
    events = [user("complain"), action("utter_complain"), action("action_listen"), user("affirm")]
    assert triggers.handoff_reason(events) == triggers.COMPLAINT


def test_accepting_after_needs_person_names_what_the_customer_wanted():
    events = [user("report_damaged_item"), action("utter_needs_person"), action("action_listen"), user("affirm")]
    assert triggers.handoff_reason(events) == "report_damaged_item"


def test_an_offer_made_by_an_action_is_the_reason_when_accepted():
    events = [user("inform"), action("action_handle_fallback"), action("action_listen"), user("affirm")]
    assert triggers.handoff_reason(events, "unsupported_language") == "unsupported_language"


def test_a_second_misunderstood_message_hands_off_for_low_confidence():
    events = [user("nlu_fallback"), action("action_handle_fallback"), user("nlu_fallback")]
    assert triggers.handoff_reason(events, triggers.LOW_CONFIDENCE) == triggers.LOW_CONFIDENCE


def test_complaints_and_damage_come_before_questions_and_vips_before_all():
    assert triggers.handoff_priority("complaint") > triggers.handoff_priority("customer_request") == 0
    assert triggers.handoff_priority("report_damaged_item") > 0
    assert triggers.handoff_priority("customer_request", {"vip": True}) > triggers.handoff_priority("complaint")


def test_summary_keeps_the_last_turns_of_both_sides():
    events = [user("greet", "hej"), bot("Cześć!"), action("x"), user("request_human", "chcę  z   człowiekiem")]
    assert triggers.conversation_summary(events, turns=2) == ["bot: Cześć!", "customer: chcę z człowiekiem"]


def test_customer_name_comes_from_channel_metadata():
    assert triggers.customer_name({"customer_name": " Ola "}) == "Ola"
    assert triggers.customer_name({"channel": "web"}) == ""


def test_wait_grows_with_the_queue_and_shrinks_with_agents():
    alone = expected_wait_minutes(position=4, agents_online=1, handling_minutes=6, target_minutes=60)
    team = expected_wait_minutes(position=4, agents_online=4, handling_minutes=6, target_minutes=60)
    first = expected_wait_minutes(position=1, agents_online=1, handling_minutes=6, target_minutes=60)
    assert first <= team < alone
    assert (first, alone) == (3, 21)


def test_nobody_online_promises_the_first_response_target():
    assert expected_wait_minutes(position=1, agents_online=0, handling_minutes=6, target_minutes=30) == 30


def test_rating_from_a_button_or_typed():
    assert rating_from({"entities": [{"entity": "rating", "value": "4"}], "text": "/rate_conversation"}) == 4
    assert rating_from({"text": "dałbym 5, dzięki"}) == 5
    assert rating_from({"text": "4/5"}) == 4
    assert rating_from({"text": "10 out of 10"}) is None
    assert rating_from({"text": "super"}) is None
