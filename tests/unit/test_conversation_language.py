"""The conversation owns the language: hints and history combine, ambiguous messages never switch it, explicit
requests and consecutive confident messages do, unsupported languages never become a supported neighbour."""
from __future__ import annotations

import pytest

from bot.conversation import conversation_language, reply_language
from bot.language_requests import requested_language

ALL = ["en", "el", "pl", "sr", "hr", "nb", "da"]


def user(text: str, code: str, confidence: float = 0.95, candidates=None, supported: bool = True,
         metadata=None, evidence=()) -> dict:
    detected = {"code": code, "confidence": confidence, "supported": supported,
                "candidates": candidates if candidates is not None else ([code] if supported else []),
                "evidence": list(evidence)}
    event = {"event": "user", "text": text, "parse_data": {"language": detected}}
    if metadata:
        event["metadata"] = metadata
    return event


def session(metadata: dict) -> dict:
    return {"event": "slot", "name": "session_started_metadata", "value": metadata}


def test_a_danish_browser_and_danish_messages_keep_danish_through_a_message_norwegian_could_have_written():
    events = [session({"locale": "da-DK"}), user("Hej, jeg har et spørgsmål", "da"),
              user("Hvordan returnerer jeg en vare?", "nb", 0.8, ["nb", "da"])]
    assert reply_language(events) == "da"


def test_a_croatian_customer_asking_what_a_serbian_could_ask_word_for_word_stays_croatian():
    events = [session({"locale": "hr-HR"}), user("Koliko košta dostava?", "sr", 0.95, ["sr", "hr"])]
    assert reply_language(events) == "hr"


def test_without_hints_the_history_decides_an_ambiguous_message():
    events = [user("Tko mi može pomoći s narudžbom?", "hr"), user("hvala", "sr", 0.6, ["sr", "hr"])]
    assert reply_language(events) == "hr"


@pytest.mark.parametrize("text, candidates", [("ok", ALL), ("10482", ALL), ("👍", ALL), ("ja", ["da", "nb"])])
def test_messages_that_fit_every_language_or_the_current_one_never_switch(text, candidates):
    events = [user("Hvor er pakken min? Jeg har ventet i en uke", "nb"), user(text, candidates[0], 0.9, candidates)]
    assert reply_language(events) == "nb"
    assert reply_language(events + [user(text, candidates[0], 0.9, candidates)]) == "nb"


def test_one_confident_message_in_another_language_does_not_switch_two_do():
    first = [user("Where is my parcel? I ordered a week ago", "en"), user("Gdzie jest moja paczka?", "pl")]
    assert reply_language(first) == "en"
    assert reply_language(first + [user("Czekam już tydzień, proszę o pomoc", "pl")]) == "pl"


def test_a_weak_start_gives_way_to_the_first_clear_message():
    """A greeting that fits two languages, or only the channel, has not settled anything yet."""
    events = [session({"phone": "+4791234567"}), user("Gdzie jest moja paczka, zamówiłam tydzień temu?", "pl")]
    assert reply_language(events) == "pl"
    assert reply_language([user("hei", "nb", 0.5, ["nb", "da"]), user("Hvad koster fragten?", "da")]) == "da"


@pytest.mark.parametrize(
    "text, code",
    [("could you write in English?", "en"), ("English please", "en"), ("proszę pisać po polsku", "pl"),
     ("na srpskom molim", "sr"), ("možete li pisati na hrvatskom?", "hr"), ("kan du skrive på dansk?", "da"),
     ("kan vi snakke norsk?", "nb"), ("μπορείτε να γράφετε στα ελληνικά;", "el"),
     ("mporeite na grafete ellinika?", "el"),
     ("можете ли да пишете на српском", "sr"), ("Können Sie Deutsch sprechen?", "de")],
)
def test_explicit_requests_are_read_in_every_language(text, code):
    assert requested_language(text) == code


@pytest.mark.parametrize("text", ["I don't speak English", "nie mówię po angielsku", "ne govorim engleski",
                                  "where is my order?", "jeg snakker ikke dansk"])
def test_a_language_named_without_a_request_is_no_request(text):
    assert requested_language(text) is None


def test_an_explicit_request_switches_at_once_and_holds():
    events = [user("Gdzie jest moja paczka?", "pl"), user("Could you write in English?", "en"),
              user("dziękuję", "pl")]
    assert reply_language(events) == "en"


@pytest.mark.parametrize("code", ["de", "sv", "ru", "sl", "cs"])
def test_unsupported_languages_are_answered_in_english_never_a_neighbour(code):
    events = [session({"locale": "da-DK"}), user("…", code, 0.9, supported=False),
              user("…", code, 0.9, supported=False), user("ok", "da", 0.5, ALL)]
    state = conversation_language(events, {})
    assert (state.code, state.reply, state.supported) == (code, "en", False)


def test_a_deployment_can_answer_swedish_in_norwegian():
    events = [user("Hej, jag undrar när mitt paket kommer", "sv", 0.9, supported=False)]
    assert conversation_language(events, {"sv": "nb"}).reply == "nb"
    assert conversation_language(events, {}).reply == "en"


def test_an_unsupported_conversation_does_not_drift_into_a_neighbour_on_one_message():
    events = [user("Hallo, wie lange dauert der Versand nach Deutschland?", "de", 0.95, supported=False),
              user("Tak", "da", 0.8)]
    assert reply_language(events) == "en"


def test_english_from_an_unsupported_customer_is_taken_at_once():
    events = [user("Bonjour, où est ma commande ?", "fr", 0.9, supported=False),
              user("Sorry, where is my order?", "en")]
    assert conversation_language(events, {}).code == "en"


def test_the_channel_alone_decides_before_any_message_and_the_default_is_english():
    assert reply_language([session({"locale": "el_GR"})]) == "el"
    assert reply_language([]) == "en"


def test_a_language_carried_from_an_earlier_session_counts_as_settled():
    events = [{"event": "slot", "name": "language", "value": "hr"}, user("Where is my parcel?", "en")]
    assert reply_language(events) == "hr"


def test_statistics_count_a_conversation_under_its_language_not_its_last_message():
    from bot.analytics import service_figures

    events = [{**session({"locale": "hr-HR"}), "sender_id": "c1"},
              {**user("Koliko košta dostava?", "sr", 0.95, ["sr", "hr"]), "sender_id": "c1",
               "metadata": {"channel": "web"}},
              {**user("hvala", "sr", 0.6, ["sr", "hr"]), "sender_id": "c1", "metadata": {"channel": "web"}},
              {**user("Hallo, wie lange dauert der Versand?", "de", 0.95, supported=False), "sender_id": "c2"}]
    rows = {(row["language"], row["channel"]): row["conversations"] for row in service_figures(events, [])}
    assert rows[("hr", "web")] == 1 and rows[("en", "rest")] == 1 and ("sr", "web") not in rows


def test_the_evaluation_counts_a_shared_message_right_for_either_neighbour_only():
    from bot.evaluation.conversations import identified
    from bot.evaluation.metrics import Example

    either = {"hr": {"hvala"}}
    shared, own = Example("hvala", "thank", "hr"), Example("tko je to", "greet", "hr")
    assert identified(shared, "sr", either, set()) and not identified(shared, "pl", either, set())
    assert not identified(own, "sr", either, set())
    assert identified(Example("10482", "inform", "hr"), "en", either, set())


def test_the_facts_figure_reads_opening_hours_with_eves_weekdays_and_the_customers_time():
    from bot.evaluation.conversations import stated_fact

    eve, _ = stated_fact("ask_opening_hours", "Are you open on Christmas Eve?", "en", {}, None)
    assert "Thursday, 24 December" in eve and "14:00" in eve and "20:00" not in eve
    friday, _ = stated_fact("ask_opening_hours", "what time do you close on Friday?", "en", {}, None)
    assert "Friday, 25 December" in friday and "Monday at 08:00" in friday  # Christmas, then a closed weekend
    greek, _ = stated_fact("ask_opening_hours", "τι ώρα κλείνετε την παραμονή Πρωτοχρονιάς;", "el",
                           {"phone": "+306912345678"}, None)
    assert "Πέμπτη 31 Δεκεμβρίου" in greek and "16:00 (17:00 Ώρα Ανατολικής Ευρώπης)" in greek
    assert stated_fact("greet", "hi", "en", {}, "NO") == (None, "NO")
