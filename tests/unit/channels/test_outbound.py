"""Bot replies as Messenger and WhatsApp messages: split at the limits on sentence boundaries, buttons mapped."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.outbound import messenger_messages, whatsapp_messages, whatsapp_template
from bot.channels.splitting import split_text

SENTENCE = "Your parcel left our warehouse this morning and should arrive within two working days. "


def rating_buttons(count: int) -> list[dict]:
    return [{"title": str(n), "payload": f'/rate_conversation{{"rating": "{n}"}}'} for n in range(1, count + 1)]


def test_a_long_reply_is_split_on_sentence_boundaries_within_each_channel_limit():
    text = SENTENCE * 30  # about 2600 characters
    messenger = [m["text"] for m in messenger_messages({"text": text})]
    assert len(messenger) == 2 and all(len(chunk) <= 2000 for chunk in messenger)
    assert all(chunk.endswith("days.") for chunk in messenger)
    assert " ".join(messenger) == text.strip()
    assert len(whatsapp_messages({"text": text})) == 1
    long = [m["text"]["body"] for m in whatsapp_messages({"text": SENTENCE * 60})]
    assert len(long) == 2 and all(len(chunk) <= 4096 for chunk in long)


def test_paragraphs_stay_together_and_greek_question_marks_end_sentences():
    assert split_text("First.\n\nSecond.", 100) == ["First.\n\nSecond."]
    assert split_text("Πού είναι; Εδώ είναι.", 12) == ["Πού είναι;", "Εδώ είναι."]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]  # no boundary at all: cut hard


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("ab .?\n"), max_size=400), limit=st.integers(5, 60))
def test_split_keeps_every_word_within_the_limit(text, limit):
    chunks = split_text(text, limit)
    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


def test_messenger_buttons_become_quick_replies_on_the_last_chunk():
    message = {"text": SENTENCE * 30, "buttons": [{"title": "Yes, please — right away, thanks", "payload": "/affirm"},
                                                  {"title": "No", "payload": "/deny"}]}
    parts = messenger_messages(message)
    assert "quick_replies" not in parts[0]
    replies = parts[-1]["quick_replies"]
    assert [r["payload"] for r in replies] == ["/affirm", "/deny"]
    assert all(r["content_type"] == "text" and len(r["title"]) <= 20 for r in replies)
    assert replies[0]["title"].endswith("…")


def test_whatsapp_up_to_three_buttons_are_reply_buttons():
    parts = whatsapp_messages({"text": "Θέλετε να μιλήσετε με έναν άνθρωπο;",
                               "buttons": [{"title": "Ναι, παρακαλώ", "payload": "/affirm"},
                                           {"title": "Όχι, ευχαριστώ", "payload": "/deny"}]})
    assert len(parts) == 1 and parts[0]["interactive"]["type"] == "button"
    buttons = parts[0]["interactive"]["action"]["buttons"]
    assert [(b["reply"]["id"], b["reply"]["title"]) for b in buttons] == [
        ("/affirm", "Ναι, παρακαλώ"), ("/deny", "Όχι, ευχαριστώ")]


def test_whatsapp_more_buttons_become_a_list_of_at_most_ten():
    five = whatsapp_messages({"text": "Jak oceniasz rozmowę?", "buttons": rating_buttons(5)})[0]["interactive"]
    assert five["type"] == "list"
    rows = five["action"]["sections"][0]["rows"]
    assert [r["title"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert five["action"]["button"] == "1 · 2 · 3 · 4 · 5"  # the titles: already in the customer's language
    eleven = whatsapp_messages({"text": "?", "buttons": rating_buttons(11)})[0]["interactive"]
    assert len(eleven["action"]["sections"][0]["rows"]) == 10
    assert len(eleven["action"]["button"]) <= 20


def test_whatsapp_long_titles_move_to_the_description_and_clashing_short_titles_use_a_list():
    long_titles = [{"title": f"Very long option title number {n}", "payload": f"/choose{n}"} for n in range(2)]
    interactive = whatsapp_messages({"text": "Pick one", "buttons": long_titles})[0]["interactive"]
    assert interactive["type"] == "list"  # cut to 20 characters the two titles would be the same
    row = interactive["action"]["sections"][0]["rows"][0]
    assert len(row["title"]) <= 24 and row["description"] == "Very long option title number 0"


def test_whatsapp_text_longer_than_an_interactive_body_goes_first():
    parts = whatsapp_messages({"text": SENTENCE * 20, "buttons": rating_buttons(2)})
    assert [p["type"] for p in parts] == ["text", "interactive"]
    assert len(parts[1]["interactive"]["body"]["text"]) <= 1024


def test_images_and_custom_payloads_pass_through():
    assert messenger_messages({"image": "https://shop.example/p.jpg"}) == [
        {"attachment": {"type": "image", "payload": {"url": "https://shop.example/p.jpg", "is_reusable": True}}}]
    assert whatsapp_messages({"image": "https://shop.example/p.jpg"}) == [
        {"type": "image", "image": {"link": "https://shop.example/p.jpg"}}]
    custom = {"type": "location", "location": {"latitude": 1, "longitude": 2}}
    assert whatsapp_messages({"custom": custom}) == [custom]


def test_the_agent_template_carries_the_reply_on_one_line():
    template = whatsapp_template("agent_reply", "el", "Γεια σας!\n— Νίκος")["template"]
    assert template["name"] == "agent_reply" and template["language"] == {"code": "el"}
    assert template["components"][0]["parameters"][0]["text"] == "Γεια σας! — Νίκος"
