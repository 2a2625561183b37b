"""Agents and passwords, canned answers, the transcript and the service figures — without a running desk."""
from __future__ import annotations

import pytest

from bot.analytics import format_table, service_figures
from bot.desk import transcript
from bot.desk.agents import AgentDirectory, AgentError, parse_languages
from bot.desk.canned import canned_problems, load_canned, placeholders
from bot.desk.passwords import hash_password, verify_password
from bot.handoff.queue import Ticket
from bot.languages import SUPPORTED


def test_passwords_are_salted_hashes_that_verify():
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second and "correct horse" not in first and first.startswith("scrypt$")
    assert verify_password("correct horse", first) and not verify_password("correct hors", first)
    assert not verify_password("anything", "garbage")


async def test_agents_are_added_once_and_authenticate(redis):
    directory = AgentDirectory(redis)
    await directory.add("ola", "dlugie-haslo-1", parse_languages("pl,en"), display_name="Ola K.")
    with pytest.raises(AgentError):
        await directory.add("ola", "dlugie-haslo-2", ["pl"])
    assert (await directory.authenticate("ola", "dlugie-haslo-1")).signature == "Ola K."
    assert await directory.authenticate("ola", "wrong-password") is None
    assert await directory.authenticate("nobody", "dlugie-haslo-1") is None
    raw = await redis.hget("desk:agents", "ola")
    assert b"dlugie-haslo-1" not in raw


async def test_bad_agent_definitions_are_refused(redis):
    directory = AgentDirectory(redis)
    with pytest.raises(AgentError):
        await directory.add("Ola Smith", "dlugie-haslo-1", ["pl"])
    with pytest.raises(AgentError):
        await directory.add("ola", "short", ["pl"])
    with pytest.raises(AgentError):
        parse_languages("pl,de")


async def test_agents_serve_their_languages_and_supervisors_all(redis):
    directory = AgentDirectory(redis)
    agent = await directory.add("nikos", "kodikos-123", ["el", "en"])
    lead = await directory.add("lead", "kodikos-123", ["en"], role="supervisor")
    assert agent.serves("el") and not agent.serves("pl")
    assert lead.serves("pl")


def test_canned_answers_cover_every_language_with_the_same_placeholders():
    assert canned_problems() == []
    answers = load_canned().answers
    assert {"greeting", "ask_order_number", "damaged_item", "restock", "ticket_status", "late_reply_apology"} <= set(answers)
    for answer in answers.values():
        assert set(answer["texts"]) >= set(SUPPORTED)


def test_canned_answers_are_filled_in_the_customers_language(tmp_path):
    greeting = {a["key"]: a["text"] for a in load_canned().render("pl", {"name": "Ola", "agent": "Marek", "company": "Nordvik Shop"})}
    assert "Ola" in greeting["greeting"] and "Marek" in greeting["greeting"] and "{" not in greeting["greeting"]
    english = {a["key"]: a["text"] for a in load_canned().render("en", {"name": "Ola"})}
    assert greeting["greeting"] != english["greeting"]
    # Unknown values stay as placeholders for the agent to fill in.
    assert "{order_id}" in {a["key"]: a["text"] for a in load_canned().render("en", {})}["order_found"]


def test_canned_answers_in_cyrillic_keep_names_as_written():
    rendered = {a["key"]: a["text"] for a in load_canned().render("sr", {"name": "Milan", "agent": "Ana", "company": "Nordvik Shop"}, "Cyrl", ("Nordvik Shop",))}
    assert "Milan" in rendered["greeting"] and "Nordvik" in rendered["greeting"]
    assert any("\u0400" <= ch <= "\u04ff" for ch in rendered["greeting"])


def test_a_canned_answer_with_a_missing_language_is_reported(tmp_path):
    path = tmp_path / "canned.yml"
    path.write_text("answers:\n  hi:\n    texts: {en: 'Hi {name}', pl: 'Cześć'}\n")
    messages = [problem.message for problem in canned_problems(path)]
    assert any("(pl)" in message and "placeholders" in message for message in messages)
    assert any("no el text" in message for message in messages)
    assert placeholders("Hi {name}, order {order_id}") == {"name", "order_id"}


def test_transcript_shows_who_said_what_with_language_and_intent():
    events = [
        {"event": "user", "timestamp": 1.0, "text": "chcę z człowiekiem",
         "parse_data": {"intent": {"name": "request_human", "confidence": 0.912}, "language": {"code": "pl"}}},
        {"event": "action", "name": "action_handoff"},
        {"event": "pause", "timestamp": 2.0},
        {"event": "bot", "timestamp": 3.0, "text": "Dzień dobry\n— Ola", "metadata": {"agent": "ola"}},
        {"event": "bot", "timestamp": 4.0, "text": "Jak oceniasz?", "data": {"buttons": [{"title": "5"}]}},
    ]
    turns = transcript.transcript(events)
    assert [t["who"] for t in turns] == ["customer", "system", "agent", "bot"]
    assert turns[0]["language"] == "pl" and turns[0]["intent"] == "request_human" and turns[0]["confidence"] == 0.91
    assert turns[2]["agent"] == "ola" and turns[3]["buttons"] == ["5"]


def test_service_figures_per_language_and_channel():
    events = [
        {"event": "user", "sender_id": "a", "metadata": {"channel": "web"}, "parse_data": {"language": {"code": "pl"}}},
        {"event": "user", "sender_id": "b", "metadata": {"channel": "web"}, "parse_data": {"language": {"code": "pl"}}},
        {"event": "user", "sender_id": "c", "input_channel": "whatsapp", "parse_data": {"language": {"code": "el"}}},
        {"event": "bot", "sender_id": "a"},
    ]
    tickets = [
        Ticket("a", "web", "pl", "complaint", created_at=100, first_response_at=160, state="closed",
               resolution="resolved", rating=4),
        Ticket("c", "whatsapp", "el", "customer_request", created_at=100, first_response_at=400, state="closed",
               resolution="unresolved", rating=2),
    ]
    rows = {(r["language"], r["channel"]): r for r in service_figures(events, tickets)}
    polish = rows[("pl", "web")]
    assert (polish["conversations"], polish["handoffs"], polish["handoff_rate"]) == (2, 1, 0.5)
    assert polish["reasons"] == {"complaint": 1} and polish["median_first_response_seconds"] == 60
    assert polish["resolution_rate"] == 1.0 and polish["csat_average"] == 4
    total = rows[("all", "all")]
    assert (total["conversations"], total["handoffs"], total["resolution_rate"], total["csat_average"]) == (3, 2, 0.5, 3)
    assert "pl" in format_table(list(rows.values()))
