"""A turn whose action the action server did not run: noticed from Rasa's own log record, what followed held back,
and undone on the tracker so that the prediction can run again (real Rasa trackers and loggers, no server)."""
from __future__ import annotations

import logging

import aiohttp
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError as RasaClientResponseError

from connectors.turns import (RASA_PROCESSOR_LOGGER, Turn, TurnOutput, failed_in_turn, resumed_since,
                              revert_failed_action, turn_replies, watch_action_failures, watching)


def rasa_logs_failure(action: str, cause: BaseException) -> None:
    """What `MessageProcessor._run_action` does when `RemoteAction.run` raises."""
    try:
        try:
            raise cause
        except BaseException as error:
            raise RasaException(f"Failed to execute custom action '{action}'") from error
    except RasaException:
        logging.getLogger(RASA_PROCESSOR_LOGGER).exception(
            f"Encountered an exception while running action '{action}'.Bot will continue, but the actions events "
            "are lost. Please check the logs of your action server for more information.")


def test_only_an_unreachable_action_server_in_the_watched_turn_counts():
    watch_action_failures()
    watch_action_failures()  # installed once
    assert len(logging.getLogger(RASA_PROCESSOR_LOGGER).filters) == 1
    turn = Turn("m1")
    rasa_logs_failure("action_answer_shipping", aiohttp.ClientConnectionError("refused"))  # not in a turn
    with watching(turn):
        rasa_logs_failure("action_create_return", ValueError("a bug in the action"))
        rasa_logs_failure("action_answer_shipping", aiohttp.ServerDisconnectedError())
        rasa_logs_failure("action_order_status", aiohttp.ClientResponseError(None, (), status=502))
    rasa_logs_failure("action_ticket_status", aiohttp.ClientConnectionError("refused"))
    assert turn.failed == ["action_answer_shipping", "action_order_status"]
    assert turn.broken == ["action_create_return"]  # a bug: resuming would fail again


def test_rasas_own_response_error_tells_a_gateway_outage_from_an_action_that_failed():
    watch_action_failures()
    turn = Turn("m2")
    with watching(turn):
        rasa_logs_failure("action_answer_shipping", RasaClientResponseError(503, "Service Unavailable", ""))
        rasa_logs_failure("action_order_status", RasaClientResponseError(500, "Internal Server Error", ""))
    assert turn.failed == ["action_answer_shipping"] and turn.broken == ["action_order_status"]


def test_a_turn_left_silent_by_a_failing_action_gets_the_sorry_note_and_one_that_spoke_does_not():
    assert Turn("m", broken=["action_answer_shipping"]).silent_after_a_bug
    assert not Turn("m", next_index=1, broken=["action_answer_shipping"]).silent_after_a_bug
    assert not Turn("m", failed=["action_greet"], broken=["action_answer_shipping"]).silent_after_a_bug  # resumed
    assert not Turn("m").silent_after_a_bug


async def test_the_turn_output_counts_replies_and_holds_back_what_follows_a_failure():
    collector, turn, counted = CollectingOutputChannel(), Turn("m1", next_index=2), []

    async def on_sent(recipient: str, index: int) -> None:
        counted.append(index)

    output = TurnOutput(collector, turn, on_sent)
    assert output.name() == "collector"
    await output.send_response("c1", {"text": "one"})
    turn.failed.append("action_answer_shipping")
    await output.send_response("c1", {"text": "said after the failed action"})
    assert [m["text"] for m in collector.messages] == ["one"] and counted == [2] and turn.next_index == 3


def failed_turn() -> DialogueStateTracker:
    return DialogueStateTracker.from_events("c1", [
        ActionExecuted("action_listen"),
        UserUttered("hej, hvad koster fragt?", {"name": "ask_shipping"}, message_id="m1"),
        ActionExecuted("utter_hello"), BotUttered("Hej!"),
        ActionExecuted("action_answer_shipping"),  # the action server was cut: no events
        ActionExecuted("utter_anything_else"), BotUttered("Andet?"),  # held back from the customer
        ActionExecuted("action_listen"),
    ])


def test_the_failed_action_and_what_followed_are_undone_and_the_resume_is_recognised():
    tracker = failed_turn()
    saved = len(tracker.events)
    assert failed_in_turn(tracker, "m1", ["action_session_start", "action_answer_shipping"]) == \
        "action_answer_shipping"
    assert [r["text"] for r in turn_replies(tracker, "m1")] == ["Hej!", "Andet?"]
    assert revert_failed_action(tracker, "m1", "action_answer_shipping")
    assert tracker.latest_action_name == "utter_hello"  # the next prediction is the shipping answer again
    assert [r["text"] for r in turn_replies(tracker, "m1")] == ["Hej!"]  # what the customer got so far
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["hej, hvad koster fragt?"]
    assert resumed_since(tracker, saved, "m1") and not resumed_since(failed_turn(), saved, "m1")
    assert not revert_failed_action(failed_turn(), "m2", "action_answer_shipping")
    assert not revert_failed_action(failed_turn(), "m1", "action_order_status")
