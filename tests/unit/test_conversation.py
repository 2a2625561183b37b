"""Facts read from a conversation's events: the script a Serbian customer writes in."""
from bot.conversation import serbian_script


def user(text: str, code: str = "sr") -> dict:
    return {"event": "user", "text": text, "parse_data": {"language": {"code": code}}}


def test_an_email_or_an_order_code_does_not_switch_a_cyrillic_writer_to_latin():
    events = [user("где је моја поруџбина 10433?"), user("marko.jovanovic@example.com"), user("A-2291")]
    assert serbian_script(events) == "Cyrl"


def test_the_latest_serbian_words_decide():
    assert serbian_script([user("где је пакет"), user("gde je paket")]) == "Latn"
    assert serbian_script([user("gde je paket"), user("хвала")]) == "Cyrl"
    assert serbian_script([]) == "Latn"
