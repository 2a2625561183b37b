"""Human handoff through the real stack: web chat → Rasa → action server → Redis queue → agent console → back."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime, timezone


from bot.hours import BusinessHours
from bot.profile import load_profile
from bot.settings import PROJECT_ROOT
from tests.conftest import AGENT_PASSWORD as PASSWORD
from tests.integration.desk_client import DeskAgent, WebChatCustomer
from tests.integration.responses import identify

def handoff_answer_names() -> list[str]:
    """What a customer hears on handoff now: the wait while the team works, or when it is back; and the ticket number."""
    if BusinessHours(load_profile()).is_open(datetime.now(timezone.utc)):
        return ["utter_handoff_queued", "utter_handoff_wait", "utter_handoff_ticket"]
    return ["utter_handoff_offline", "utter_handoff_ticket"]


async def test_polish_customer_gets_a_polish_agent_and_then_the_bot_back(agents, queue):
    async with WebChatCustomer(agents, locale="pl-PL") as customer, DeskAgent(agents) as ola:
        replies = await customer.say("chcę porozmawiać z konsultantem")
        expected = handoff_answer_names()
        assert [identify(r["text"], expected) for r in replies] == [(name, "pl") for name in expected]

        # The bot is silent now: what the customer writes waits for the person.
        assert await customer.say("halo, jest tam ktoś?") == []

        assert (await ola.login("ola", PASSWORD)).status == 302
        ticket = await ola.waiting_ticket(customer.sender)
        assert ticket is not None
        assert (ticket["language"], ticket["channel"], ticket["reason"]) == ("pl", "web", "customer_request")

        status, claimed = await ola.post(f"/desk/api/tickets/{ticket['id']}/claim")
        assert status == 200 and claimed["agent"] == "ola"
        status, view = await ola.get(f"/desk/api/conversations/{customer.sender}")
        customer_turns = [t for t in view["transcript"] if t["who"] == "customer"]
        assert [t["text"] for t in customer_turns] == ["chcę porozmawiać z konsultantem", "halo, jest tam ktoś?"]
        assert customer_turns[0]["language"] == "pl" and customer_turns[0]["intent"] == "request_human"
        greeting = next(a for a in view["canned"] if a["key"] == "greeting")["text"]
        assert "Ola K." in greeting and "{" not in greeting.replace("{name}", "")

        status, _ = await ola.post(f"/desk/api/tickets/{ticket['id']}/reply", {"text": "Dzień dobry, w czym mogę pomóc?"})
        assert status == 200
        pushed = await customer.next_pushed()
        assert pushed["text"] == "Dzień dobry, w czym mogę pomóc?\n— Ola K." and pushed["agent"] == "Ola K."

        status, _ = await ola.post(f"/desk/api/tickets/{ticket['id']}/hand-back")
        assert status == 200
        back = await customer.next_pushed()
        assert identify(back["text"], ["utter_handed_back"]) == ("utter_handed_back", "pl")

        replies = await customer.say("ile kosztuje dostawa?")
        assert identify(replies[0]["text"], ["utter_shipping"]) == ("utter_shipping", "pl")

        status, view = await ola.get(f"/desk/api/conversations/{customer.sender}")
        agent_turns = [t for t in view["transcript"] if t["who"] == "agent"]
        assert agent_turns == [{**agent_turns[0], "agent": "ola", "text": "Dzień dobry, w czym mogę pomóc?\n— Ola K."}]
        assert view["ticket"]["state"] == "closed" and view["ticket"]["resolution"] == "handed_back"
        assert view["ticket"]["first_response_at"] is not None


async def test_closing_asks_for_a_rating_that_is_stored_with_the_ticket(agents, queue):
    async with WebChatCustomer(agents, locale="el-GR") as customer, DeskAgent(agents) as nikos:
        await customer.say("θέλω να μιλήσω με άνθρωπο")
        await nikos.login("nikos", PASSWORD)
        ticket = await nikos.waiting_ticket(customer.sender)
        await nikos.post(f"/desk/api/tickets/{ticket['id']}/claim")
        status, closed = await nikos.post(f"/desk/api/tickets/{ticket['id']}/close", {"resolution": "resolved"})
        assert status == 200 and closed["state"] == "closed"
        question = await customer.next_pushed()
        assert identify(question["text"], ["utter_ask_rating"]) == ("utter_ask_rating", "el")
        five = next(b for b in question["buttons"] if b["title"] == "5")
        thanks = await customer.say(five["payload"])
        assert identify(thanks[0]["text"], ["utter_thanks_rating"]) == ("utter_thanks_rating", "el")
        assert (await queue.get(ticket["id"])).rating == 5


async def test_asking_twice_keeps_one_ticket_and_a_closed_conversation_opens_a_new_one(agents, queue):
    async with WebChatCustomer(agents, locale="pl-PL") as customer, DeskAgent(agents) as ola:
        await customer.say("poproszę z człowiekiem")
        first = await queue.open_ticket(customer.sender)
        await customer.say("poproszę z człowiekiem")  # paused: logged for the agent, no second ticket
        assert (await queue.open_ticket(customer.sender)).id == first.id
        await ola.login("ola", PASSWORD)
        await ola.post(f"/desk/api/tickets/{first.id}/claim")
        await ola.post(f"/desk/api/tickets/{first.id}/close", {"resolution": "resolved"})
        await customer.next_pushed()  # the rating question
        replies = await customer.say("chcę rozmawiać z konsultantem jeszcze raz")
        assert replies, "the bot answers again after the ticket was closed"
        second = await queue.open_ticket(customer.sender)
        assert second is not None and second.id != first.id


async def test_complaint_then_yes_is_a_priority_ticket_for_a_complaint(agents, queue):
    async with WebChatCustomer(agents, locale="pl-PL") as customer:
        offer = await customer.say("to jest skandal, paczka przyszła zniszczona i nikt nie odpisuje")
        assert identify(offer[0]["text"], ["utter_complain"]) == ("utter_complain", "pl")
        await customer.say(offer[0]["buttons"][0]["payload"])
        ticket = await queue.open_ticket(customer.sender)
        assert (ticket.reason, ticket.priority) == ("complaint", 2)
        assert ticket.summary[0].startswith("customer: to jest skandal")


async def test_two_misunderstood_messages_go_to_a_person(agents, queue):
    async with WebChatCustomer(agents, locale="en-GB") as customer:
        first = await customer.say("🙂🙂")
        assert identify(first[0]["text"], ["utter_please_rephrase"]) == ("utter_please_rephrase", "en")
        second = await customer.say("🤷")
        assert identify(second[0]["text"], handoff_answer_names())
        assert (await queue.open_ticket(customer.sender)).reason == "low_confidence"


async def test_unsupported_language_twice_goes_to_a_person_in_english(agents, queue):
    async with WebChatCustomer(agents, locale="") as customer:
        first = await customer.say("Guten Tag, wo ist meine Bestellung? Ich warte schon seit zwei Wochen darauf.")
        assert "Ελληνικά" in first[0]["text"] and [b["payload"] for b in first[0]["buttons"]] == ["/affirm", "/deny"]
        await customer.say("Ich verstehe kein Englisch, bitte helfen Sie mir mit meiner Bestellung.")
        ticket = await queue.open_ticket(customer.sender)
        assert (ticket.reason, ticket.language) == ("unsupported_language", "en")


async def test_customer_messages_reach_the_agent_live(agents, queue):
    async with WebChatCustomer(agents, locale="pl-PL") as customer, DeskAgent(agents) as ola:
        await customer.say("chcę porozmawiać z konsultantem")
        await ola.login("ola", PASSWORD)
        ws = await ola.socket()
        await ws.send_str(json.dumps({"watch": customer.sender}))
        await asyncio.sleep(0.5)
        await customer.say("mój numer zamówienia to 48213")

        async def next_customer_turn() -> dict:
            async for message in ws:
                data = message.json()
                if data["type"] == "turn" and data["turn"]["who"] == "customer":
                    return data["turn"]

        turn = await asyncio.wait_for(next_customer_turn(), 15)
        assert turn["text"] == "mój numer zamówienia to 48213" and turn["language"] == "pl"
        await ws.close()


async def test_the_queue_is_pushed_live_to_the_console(agents, queue):
    async with DeskAgent(agents) as ola, WebChatCustomer(agents, locale="pl-PL") as customer:
        await ola.login("ola", PASSWORD)
        ws = await ola.socket()
        first = await asyncio.wait_for(ws.receive_json(), 10)
        assert first["type"] == "queue" and all(t["conversation_id"] != customer.sender for t in first["waiting"])
        await customer.say("chcę porozmawiać z konsultantem")

        async def snapshot_with_ticket() -> dict:
            while True:
                data = await ws.receive_json()
                if data["type"] == "queue" and any(t["conversation_id"] == customer.sender for t in data["waiting"]):
                    return data

        snapshot = await asyncio.wait_for(snapshot_with_ticket(), 10)
        assert "ola" in snapshot["online"]
        await ws.close()


def test_agents_are_managed_with_the_cli(stack):
    env = {**os.environ, **stack.environment(), "AGENT_PASSWORD": "cli-password-123"}
    bot = [sys.executable, "-m", "bot.cli", "agents"]
    added = subprocess.run(bot + ["add", "eleni", "--languages", "el,en"], env=env, cwd=PROJECT_ROOT,
                           capture_output=True, text=True)
    assert added.returncode == 0, added.stderr
    listed = subprocess.run(bot + ["list"], env=env, cwd=PROJECT_ROOT, capture_output=True, text=True).stdout
    assert "eleni" in listed and "el,en" in listed
    again = subprocess.run(bot + ["add", "eleni", "--languages", "el"], env=env, cwd=PROJECT_ROOT,
                           capture_output=True, text=True)
    assert again.returncode == 2 and "exists already" in again.stderr
    wrong = subprocess.run(bot + ["add", "fritz", "--languages", "de"], env=env, cwd=PROJECT_ROOT,
                           capture_output=True, text=True)
    assert wrong.returncode == 2 and "languages must be" in wrong.stderr
    assert subprocess.run(bot + ["remove", "eleni"], env=env, cwd=PROJECT_ROOT).returncode == 0


async def test_stats_command_shows_handoffs_per_language_and_reason(agents, queue):
    async with WebChatCustomer(agents, locale="pl-PL") as customer:
        await customer.say("chcę porozmawiać z konsultantem")
    env = {**os.environ, **agents.environment()}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "stats", "--days", "1", "--json"], env=env,
                            cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    rows = {(row["language"], row["channel"]): row for row in json.loads(result.stdout)}
    polish_web = rows[("pl", "web")]
    assert polish_web["conversations"] >= 1 and polish_web["handoffs"] >= 1
    assert polish_web["reasons"]["customer_request"] >= 1
    assert 0 < polish_web["handoff_rate"] <= 1
    table = subprocess.run([sys.executable, "-m", "bot.cli", "stats", "--days", "1"], env=env, cwd=PROJECT_ROOT,
                           capture_output=True, text=True).stdout
    assert "customer_request" in table and "pl" in table


async def test_a_new_session_while_a_person_has_the_chat_keeps_the_bot_silent(agents, queue):
    async with WebChatCustomer(agents, locale="pl-PL") as customer:
        await customer.say("chcę porozmawiać z konsultantem")
        # What Rasa does when the customer comes back after the session expired (60 minutes of silence).
        url = f"{agents.rasa_url}/conversations/{customer.sender}/execute?token={agents.rasa_token}"
        async with customer.http.post(url, json={"name": "action_session_start"}) as response:
            assert response.status == 200
        assert await customer.say("jest tam ktoś?") == []
        assert await queue.open_ticket(customer.sender) is not None
