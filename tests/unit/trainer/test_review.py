"""What `bot review` picks from a conversation, and what `bot review --apply` adds to the data."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from bot.trainer.nlu_data import read_blocks
from bot.trainer.review import (conversation_candidates, merge, not_yet_in_the_data, read_review, rescore,
                               write_review)
from bot.trainer.review_apply import apply_review, conversation_reference, training_text

CLEAN = Path(__file__).resolve().parents[2] / "fixtures/trainer/clean"


def user(text: str, intent: str, confidence: float, language: str = "en", **extra) -> dict:
    ranking = [{"name": intent, "confidence": confidence}]
    if intent == "nlu_fallback":
        ranking.append({"name": "ask_shipping", "confidence": 0.2})
    return {"event": "user", "text": text, "timestamp": 1.0, **extra,
            "parse_data": {"intent": {"name": intent, "confidence": confidence}, "intent_ranking": ranking,
                           "language": {"code": language}}}


BOT = {"event": "bot", "text": "…"}
CONVERSATION = [
    user("hello", "greet", 0.98), BOT,
    user("hi, I'm Jan Kowalski, how long for 10482 to Oslo?", "nlu_fallback", 0.25), BOT,
    user("parcel lockers in Bergen?", "ask_shipping", 0.41), BOT,
    user("/affirm", "affirm", 1.0), BOT,
    user("where is my parcel", "check_order_status", 0.95), BOT,
    user("I want a person", "request_human", 0.97),
    {"event": "action", "name": "action_handoff"},
    {"event": "pause"},
    user("gdzie jest paczka, mail jan.k@gmail.com", "check_order_status", 0.9, "pl",
         metadata={"customer_name": "Jan Kowalski"}),
    {"event": "bot", "text": "Dzień dobry", "metadata": {"agent": "ola"}},
]


def test_unsure_misunderstood_handed_off_and_taken_over_messages_are_picked_and_masked():
    found = {c.text: c for c in conversation_candidates("c-1", CONVERSATION)}
    assert set(found) == {
        "hi, I'm <name>, how long for <order_id> to Oslo?",
        "parcel lockers in Bergen?",
        "where is my parcel",
        "gdzie jest paczka, mail <email>",
    }
    assert found["hi, I'm <name>, how long for <order_id> to Oslo?"].why == ["fallback"]
    assert found["hi, I'm <name>, how long for <order_id> to Oslo?"].suggested == "ask_shipping"
    assert found["parcel lockers in Bergen?"].why == ["low_confidence"]
    assert found["where is my parcel"].why == ["agent_took_over"]
    assert (found["gdzie jest paczka, mail <email>"].why, found["gdzie jest paczka, mail <email>"].language) == (
        ["handed_off"], "pl")


def test_the_review_file_groups_by_language_and_suggested_intent(tmp_path):
    path = write_review(tmp_path / "review.yml", merge(conversation_candidates("c-1", CONVERSATION)),
                        "http://desk:8080", "today")
    messages = read_review(path)
    assert list(messages) == ["en", "pl"]
    assert [item["text"] for item in messages["pl"]["check_order_status"]] == ["gdzie jest paczka, mail <email>"]
    item = messages["en"]["ask_shipping"][0]
    assert item["intent"] == "" and item["transcript"] == "http://desk:8080/desk/conversations/c-1"
    assert "Kowalski" not in path.read_text() and "10482" not in path.read_text()


def test_a_message_an_agent_corrected_comes_with_the_agents_intent_filled_in(tmp_path):
    conversation = [user("hello", "greet", 0.98), BOT, {**user("do you ship to Tromsø?", "greet", 0.91), "timestamp": 7.5},
                    BOT]
    found = conversation_candidates("c-2", conversation, corrected={7.5: "ask_shipping"})
    assert [(c.text, c.why, c.suggested, c.corrected) for c in found] == [
        ("do you ship to Tromsø?", ["corrected"], "greet", "ask_shipping")]
    item = read_review(write_review(tmp_path / "review.yml", merge(found), "http://desk", "today"))["en"]["greet"][0]
    assert item["intent"] == "ask_shipping" and "agent" in item["why"]


def test_apply_adds_exactly_the_accepted_examples_once_and_records_them(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(CLEAN, root)
    review = tmp_path / "review.yml"
    review.write_text(yaml.safe_dump({"messages": {
        "en": {"ask_shipping": [
            {"text": "how long for <order_id> to Oslo?", "intent": "ask_shipping", "conversation": "c-1"},
            {"text": "parcel lockers in Bergen?", "intent": "skip", "conversation": "c-1"},
            {"text": "do you use DHL", "intent": "ask_shipping", "conversation": "c-2"},  # in the data already
            {"text": "whatever this is", "intent": "", "conversation": "c-3"},
            {"text": "Hi there, <name> here", "intent": "greet", "conversation": "c-4"},
        ]},
        "pl": {"greet": [{"text": "siemanko", "intent": "no_such_intent", "conversation": "c-5"}]},
    }}, allow_unicode=True))
    before = {b.intent: len(b.examples) for b in read_blocks(root / "data/nlu/en.yml")}
    outcome = apply_review(review, root)
    added = training_text("how long for <order_id> to Oslo?", "en")
    assert outcome.added == [("en", "ask_shipping", added), ("en", "greet", "Hi there, Alex here")]
    assert (outcome.skipped, outcome.undecided, outcome.duplicates) == (1, 1, ["do you use DHL"])
    assert outcome.problems == ["“siemanko”: 'no_such_intent' is not an intent in domain.yml"]
    blocks = read_blocks(root / "data/nlu/en.yml")
    from_review = [b for b in blocks if b.source == "review"]
    assert [(b.intent, [e.text for e in b.examples]) for b in from_review] == [
        ("ask_shipping", [added]), ("greet", ["Hi there, Alex here"])]
    assert added.startswith("how long for [") and "](order_id) to Oslo?" in added
    assert sum(len(b.examples) for b in blocks) == sum(before.values()) + 2
    record = yaml.safe_load((root / "reviews/applied.yml").read_text())
    assert [(r["example"], r["conversation"]) for r in record] == [
        (added, conversation_reference("c-1")), ("Hi there, Alex here", conversation_reference("c-4"))]

    again = apply_review(review, root)
    assert again.added == [] and len(again.duplicates) == 3
    assert sum(len(b.examples) for b in read_blocks(root / "data/nlu/en.yml")) == sum(before.values()) + 2


def ranked(text: str, first: tuple[str, float], second: tuple[str, float]) -> dict:
    event = user(text, first[0], first[1])
    event["parse_data"]["intent_ranking"] = [{"name": n, "confidence": c} for n, c in (first, second)]
    return event


def test_a_turn_the_bot_left_unanswered_and_a_narrow_win_are_listed():
    conversation = [user("hello", "greet", 0.98), BOT,
                    user("can you gift wrap it?", "ask_payment", 0.93),  # the bot said nothing
                    ranked("exete karta dwrou?", ("gift_wrap", 0.68), ("ask_gift_card", 0.61)), BOT]
    found = {c.text: c for c in conversation_candidates("c-3", conversation)}
    assert found["can you gift wrap it?"].why == ["silent"]
    narrow = found["exete karta dwrou?"]
    assert (narrow.why, narrow.runner_up, narrow.margin) == (["low_margin"], "ask_gift_card", 0.07)
    assert "hello" not in found


def test_review_leaves_out_what_was_applied_and_rescores_with_the_current_model(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(CLEAN, root)
    found = merge(conversation_candidates("c-1", CONVERSATION))
    review = write_review(tmp_path / "review.yml", found, "http://desk", "today")
    document = yaml.safe_load(review.read_text())
    document["messages"]["en"]["ask_shipping"][0]["intent"] = "ask_shipping"
    review.write_text(yaml.safe_dump(document, allow_unicode=True))
    assert len(apply_review(review, root).added) == 1

    again = not_yet_in_the_data(merge(conversation_candidates("c-1", CONVERSATION)), root)
    assert len(again) == len(found) - 1
    assert document["messages"]["en"]["ask_shipping"][0]["text"] not in {c.text for c in again}

    def current_model(texts: list[str]) -> list[dict]:  # what a retrained model answers: sure, but narrowly
        return [{"intent": {"name": "ask_shipping", "confidence": 0.7},
                 "intent_ranking": [{"name": "ask_shipping", "confidence": 0.7}, {"name": "greet", "confidence": 0.6}]}
                for _ in texts]

    rescored = rescore(again, current_model)
    assert all(c.suggested == "ask_shipping" and c.confidence == 0.7 and "low_margin" in c.why for c in rescored)


async def test_review_reads_the_whole_conversation_from_the_tracker_store_not_only_the_streams_copy(redis):
    """The event stream is trimmed; a fallback older than what the stream still holds must be reviewed too."""
    from rasa.shared.core.trackers import DialogueStateTracker

    from bot.events import entry_fields
    from bot.stores.tracker_store import AppendOnlyRedisTrackerStore
    from bot.trainer.review import collect

    whole = [user("czy wysyłacie do Islandii paczkomatem?", "nlu_fallback", 0.2, "pl"), BOT,
             user("dzięki", "thank", 0.97, "pl")]
    store = AppendOnlyRedisTrackerStore(redis=redis)
    await store.save(DialogueStateTracker.from_dict("c-9", whole, slots=[]))
    await redis.xadd("events", entry_fields({**whole[-1], "sender_id": "c-9"}))  # the stream kept the last one only

    found = {candidate.text: candidate.why for candidate in await collect(redis, since=0.0)}
    assert found == {"czy wysyłacie do Islandii paczkomatem?": ["fallback"]}
