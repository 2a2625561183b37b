"""`bot review` end to end: real conversations through the running bot, a review file with personal data masked,
and `--apply` into a copy of the data adding exactly the accepted examples."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest_asyncio
import yaml
from redis.asyncio import Redis

from bot.desk.agents import AgentDirectory
from bot.settings import PROJECT_ROOT
from bot.trainer.nlu_data import read_blocks
from bot.trainer.review_apply import conversation_reference, training_text
from tests.integration.desk_client import DeskAgent, WebChatCustomer

PASSWORD = "review-password-123"
PERSONAL = "Hi, I'm John Smith, my order 10482 never came, write to john.smith@example.com or call +44 7700 900123"
MASKED = "Hi, I'm <name>, my order <order_id> never came, write to <email> or call <phone>"


@pytest_asyncio.fixture
async def agent(stack):
    redis = Redis(host=stack.redis_host, port=stack.redis_port, db=stack.redis_db)
    directory = AgentDirectory(redis)
    if await directory.get("rita") is None:
        await directory.add("rita", PASSWORD, ["en"], display_name="Rita")
    yield stack
    await redis.close()


def bot(stack, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **stack.environment()}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300)


def items_of(review: dict, conversation: str) -> list[dict]:
    return [item for groups in review["messages"].values() for items in groups.values() for item in items
            if item["conversation"] == conversation]


async def test_review_masks_what_the_bot_handled_badly_and_apply_adds_the_accepted_examples(agent, tmp_path):
    async with WebChatCustomer(agent, locale="en-GB") as puzzled, WebChatCustomer(agent, locale="en-GB") as handed, \
            DeskAgent(agent) as rita:
        # Words no other test sends: the review merges the same message from several conversations into one item.
        await puzzled.say("🦄🦄")  # not understood
        await puzzled.say("🌵")  # not understood again: the bot hands over
        await handed.say("I'd like to talk to a person")
        assert await handed.say(PERSONAL) == []  # a person has the chat now
        await rita.login("rita", PASSWORD)
        ticket = await rita.waiting_ticket(handed.sender)
        await rita.post(f"/desk/api/tickets/{ticket['id']}/claim")
        await rita.post(f"/desk/api/tickets/{ticket['id']}/reply", {"text": "Let me check order 10482 for you."})
        # Rita marks what the customer's message meant; an intent the bot does not know is refused.
        _, view = await rita.get(f"/desk/api/conversations/{handed.sender}")
        said = next(t for t in view["transcript"] if t["who"] == "customer" and t["text"] == PERSONAL)
        path = f"/desk/api/conversations/{handed.sender}/corrections"
        assert (await rita.post(path, {"time": said["time"], "intent": "where_is_it"}))[0] == 400
        assert (await rita.post(path, {"time": said["time"] + 1, "intent": "check_order_status"}))[0] == 400
        assert (await rita.post(path, {"time": said["time"], "intent": "check_order_status"}))[0] == 200
        _, view = await rita.get(f"/desk/api/conversations/{handed.sender}")
        assert view["corrections"] == [{"time": said["time"], "intent": "check_order_status"}]

    review_file = tmp_path / "review.yml"
    made = bot(agent, "review", "--days", "1", "--out", str(review_file), "--desk-url", "http://desk.test")
    assert made.returncode == 0, made.stderr[-3000:]
    assert str(review_file) in made.stdout
    text = review_file.read_text(encoding="utf-8")
    for personal in ("John", "Smith", "10482", "john.smith", "7700"):
        assert personal not in text
    review = yaml.safe_load(text)

    handed_items = items_of(review, handed.sender)
    assert [i["text"] for i in handed_items] == [MASKED]
    assert handed_items[0]["why"] == ("written while a person had the chat; an agent marked what it meant (filled in "
                                      "below: check it)")
    assert handed_items[0]["intent"] == "check_order_status"  # as Rita marked it
    assert handed_items[0]["transcript"] == f"http://desk.test/desk/conversations/{handed.sender}"
    assert MASKED in [i["text"] for i in review["messages"]["en"][_suggested(review, MASKED)]]
    puzzled_items = items_of(review, puzzled.sender)
    assert {i["text"] for i in puzzled_items} == {"🦄🦄", "🌵"}
    assert all("did not understand" in i["why"] for i in puzzled_items)

    # The trainer labels the two conversations' messages and leaves everything else undecided.
    for item in handed_items:
        item["intent"] = "check_order_status"
    for item in puzzled_items:
        item["intent"] = "skip"
    review_file.write_text(yaml.safe_dump(review, allow_unicode=True, sort_keys=False), encoding="utf-8")

    root = tmp_path / "project"
    shutil.copytree(PROJECT_ROOT / "data", root / "data")
    shutil.copy(PROJECT_ROOT / "domain.yml", root / "domain.yml")
    before = {path.name: path.read_text(encoding="utf-8") for path in (root / "data/nlu").glob("*.yml")}
    applied = bot(agent, "review", "--apply", str(review_file), "--root", str(root))
    assert applied.returncode == 0, applied.stderr[-3000:]
    assert "Added 1 example(s)" in applied.stdout

    after = {path.name: path.read_text(encoding="utf-8") for path in (root / "data/nlu").glob("*.yml")}
    assert {name for name in after if after[name] != before[name]} == {"en.yml"}
    reviewed = [b for b in read_blocks(root / "data/nlu/en.yml") if b.source == "review"]
    assert [(b.intent, [e.text for e in b.examples]) for b in reviewed] == [
        ("check_order_status", [training_text(MASKED, "en")])]
    assert after["en.yml"].startswith(before["en.yml"])  # appended; what was there stays as written
    record = yaml.safe_load((root / "reviews/applied.yml").read_text())
    assert record[0]["conversation"] == conversation_reference(handed.sender)

    again = bot(agent, "review", "--apply", str(review_file), "--root", str(root))
    assert "Added 0 example(s)" in again.stdout
    assert (root / "data/nlu/en.yml").read_text(encoding="utf-8") == after["en.yml"]


def _suggested(review: dict, text: str) -> str:
    return next(intent for intent, items in review["messages"]["en"].items() if any(i["text"] == text for i in items))
