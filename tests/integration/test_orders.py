"""Orders, returns, damaged items, restock and ticket status through the real stack: Rasa, the action server,
Redis and the demo order system (real HTTP, SQLite behind it)."""
from __future__ import annotations

import json
import urllib.request

import pytest
from redis.asyncio import Redis

from bot.handoff.queue import TicketQueue
from bot.orders.demo_server.seed import SCENARIOS
from bot.restock import RestockSubscriptions
from tests.conftest import AGENT_PASSWORD
from tests.integration.desk_client import DeskAgent
from tests.integration.responses import identify

# Everything the bot may say before the customer proved the order is theirs.
BEFORE_VERIFICATION = ["utter_ask_order_number", "utter_ask_order_contact", "utter_invalid_order_number",
                       "utter_invalid_contact", "utter_verification_failed_retry", "utter_verification_failed",
                       "utter_offer_person"]
ORDER_QUESTIONS = {
    "en": "where is my order {number}?",
    "el": "πού είναι η παραγγελία μου {number};",
    "pl": "gdzie jest moje zamówienie {number}?",
    "sr": "где је моја поруџбина {number}?",  # Cyrillic: answered in Cyrillic
}
RETURN_REQUESTS = {
    "en": "I'd like to return something",
    "el": "θέλω να κάνω επιστροφή",
    "pl": "chcę zwrócić towar",
    "sr": "хоћу да вратим производ",
}
SCRIPT = {"en": "en", "el": "el", "pl": "pl", "sr": "sr-Cyrl"}


def names_and_languages(replies: list[dict], names: list[str], prefer: str) -> list[tuple[str, str]]:
    found = [identify(reply["text"], names, prefer=prefer) for reply in replies]
    assert None not in found, [reply["text"] for reply in replies]
    return found


def demo_orders(stack, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{stack.orders_url}{path}", method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"X-Api-Key": stack.orders_api_key, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("language", ["en", "el", "pl", "sr"])
def test_order_status_in_the_customers_language_after_verification(customer_factory, language):
    order = SCENARIOS[f"shipped_{language}"]
    customer = customer_factory()
    asked = customer.say(ORDER_QUESTIONS[language].format(number=order["number"]))
    # The number in the first message is used: the bot asks only for the e-mail or phone.
    assert names_and_languages(asked, ["utter_ask_order_contact"], language) == [
        ("utter_ask_order_contact", SCRIPT[language])]
    answer = customer.say(order["email"])
    found = names_and_languages(answer, ["utter_order_shipped", "utter_order_expected_delivery"], language)
    assert found == [("utter_order_shipped", SCRIPT[language]), ("utter_order_expected_delivery", SCRIPT[language])]
    assert order["number"] in answer[0]["text"] and order["carrier"] in answer[0]["text"]
    assert order["tracking_number"] in answer[0]["text"]  # inside the tracking link


@pytest.mark.parametrize("language", ["en", "el", "pl", "sr"])
def test_a_full_return_with_item_and_reason_buttons(customer_factory, stack, language):
    order = SCENARIOS[f"delivered_returnable_{language}"]
    customer = customer_factory()
    assert names_and_languages(customer.say(RETURN_REQUESTS[language]), ["utter_ask_order_number"], language) == [
        ("utter_ask_order_number", SCRIPT[language])]
    customer.say(order["number"])
    choose = customer.say(order["phone"].replace("+", "00"))  # the phone number, typed another way
    assert names_and_languages(choose, ["utter_choose_return_item"], language) == [
        ("utter_choose_return_item", SCRIPT[language])]
    payloads = [button["payload"] for button in choose[0]["buttons"]]
    assert payloads == ['/inform{"item": "all"}'] + [f'/inform{{"item": "{i}"}}' for i in order["item_ids"]]
    reason = customer.say(payloads[1])
    assert names_and_languages(reason, ["utter_ask_return_reason"], language)[0][0] == "utter_ask_return_reason"
    done = customer.say(reason[0]["buttons"][0]["payload"])
    assert names_and_languages(done, ["utter_return_created"], language) == [("utter_return_created", SCRIPT[language])]
    case_id = next(word for word in done[0]["text"].replace(".", " ").split() if word.startswith("R-"))
    case = demo_orders(stack, "GET", f"/api/returns/{case_id}")
    assert case["order_number"] == order["number"] and case["item_ids"] == order["item_ids"][:1]
    assert case["reason"] == "wrong_size"


def test_no_order_detail_is_said_before_verification_and_a_person_is_offered(customer_factory):
    order = SCENARIOS["shipped_nb"]
    customer = customer_factory()
    said = customer.say(f"hvor er bestillingen min {order['number']}")
    said += customer.say("feil.adresse@example.no")
    said += customer.say(order["number"])
    said += customer.say("+47 400 00 000")
    names = [name for name, _ in names_and_languages(said, BEFORE_VERIFICATION, "nb")]
    assert names == ["utter_ask_order_contact", "utter_verification_failed_retry", "utter_ask_order_number",
                     "utter_ask_order_contact", "utter_verification_failed", "utter_offer_person"]
    everything = " ".join(reply["text"] for reply in said)
    for detail in (order["carrier"], order["tracking_number"], order["name"], order["email"], order["phone"],
                   "Posten", "sporing", "levert", "underveis"):
        assert detail not in everything
    assert customer.tracker()["slots"]["verified_order"] is None
    handed = customer.say("ja takk")
    assert identify(handed[0]["text"], ["utter_handoff_queued", "utter_handoff_offline"], prefer="nb")[1] == "nb"


def test_on_whatsapp_the_number_the_customer_writes_from_verifies_them(customer_factory):
    order = SCENARIOS["out_for_delivery_el"]
    customer = customer_factory(metadata={"channel": "whatsapp", "phone": order["phone"]})
    answer = customer.say(f"που ειναι η παραγγελια {order['number']}")
    assert names_and_languages(answer, ["utter_order_out_for_delivery"], "el") == [("utter_order_out_for_delivery", "el")]


def test_a_verified_customer_is_not_asked_again_in_the_next_flow(customer_factory):
    order = SCENARIOS["delivered_returnable_en"]
    customer = customer_factory()
    customer.say(f"status of order {order['number']} please")
    customer.say(order["email"])
    again = customer.say(f"I want to return something from order {order['number']}")
    assert names_and_languages(again, ["utter_choose_return_item"], "en")[0][0] == "utter_choose_return_item"


def test_an_item_that_cannot_go_back_is_refused_with_the_reason_and_a_person(customer_factory):
    order = SCENARIOS["non_returnable_item_hr"]  # a gift card, the order's only item
    customer = customer_factory()
    customer.say(f"htio bih vratiti narudžbu {order['number']}")
    refused = customer.say(order["email"])
    assert names_and_languages(refused, ["utter_return_not_returnable", "utter_offer_person"], "hr") == [
        ("utter_return_not_returnable", "hr"), ("utter_offer_person", "hr")]


def test_a_return_after_the_window_says_when_it_ended(customer_factory):
    order = SCENARIOS["delivered_window_expired_pl"]
    customer = customer_factory()
    customer.say(f"chcę zwrócić zamówienie {order['number']}")
    refused = customer.say(order["email"])
    assert [name for name, _ in names_and_languages(refused, ["utter_return_window_expired", "utter_offer_person"],
                                                      "pl")] == ["utter_return_window_expired", "utter_offer_person"]


async def test_a_damaged_item_opens_a_case_and_hands_over_with_it(customer_factory, stack, agents):
    order = SCENARIOS["item_already_returned_pl"]  # its backpack arrived damaged (its T-shirts went back)
    customer = customer_factory()
    sorry = customer.say("paczka przyszła uszkodzona")
    assert [name for name, _ in names_and_languages(sorry, ["utter_damaged_sorry", "utter_ask_order_number"], "pl")] \
        == ["utter_damaged_sorry", "utter_ask_order_number"]
    customer.say(f"zamówienie nr {order['number']}")
    customer.say(order["email"])
    customer.say(f'/inform{{"item": "{order["item_ids"][1]}"}}')
    handed = customer.say("rozerwany zamek i plama na przodzie")
    names = [name for name, _ in names_and_languages(
        handed, ["utter_damage_case_created", "utter_handoff_queued", "utter_handoff_wait", "utter_handoff_offline",
                 "utter_handoff_ticket"], "pl")]
    assert names[0] == "utter_damage_case_created" and names[-1] == "utter_handoff_ticket"
    redis = Redis(host=stack.redis_host, port=stack.redis_port, db=stack.redis_db)
    try:
        ticket = await TicketQueue(redis).open_ticket(customer.sender)
    finally:
        await redis.close()
    assert ticket.reason == "report_damaged_item" and ticket.priority >= 2
    assert ticket.context["order"] == order["number"] and ticket.context["case"].startswith("R-")
    assert ticket.context["description"] == "rozerwany zamek i plama na przodzie"
    async with DeskAgent(agents) as ola:  # the agent sees the same on the conversation page
        await ola.login("ola", AGENT_PASSWORD)
        status, view = await ola.get(f"/desk/api/conversations/{customer.sender}")
    assert status == 200 and view["ticket"]["context"] == ticket.context


async def test_restock_date_and_a_consented_notification_in_serbian_cyrillic(customer_factory, stack):
    product = SCENARIOS["restock_planned"]
    customer = customer_factory()
    offer = customer.say("када ће опет бити кишна јакна?")
    assert names_and_languages(offer, ["utter_restock_date"], "sr") == [("utter_restock_date", "sr-Cyrl")]
    redis = Redis(host=stack.redis_host, port=stack.redis_port, db=stack.redis_db)
    subscriptions = RestockSubscriptions(redis)
    try:
        assert await subscriptions.find(product["sku"], customer.sender) is None  # nothing stored before the yes
        ask_email = customer.say("да, јавите ми")
        assert names_and_languages(ask_email, ["utter_ask_notify_email"], "sr")[0][0] == "utter_ask_notify_email"
        done = customer.say("jelena.p@example.rs")
        assert names_and_languages(done, ["utter_restock_subscribed"], "sr") == [("utter_restock_subscribed", "sr-Cyrl")]
        stored = await subscriptions.find(product["sku"], customer.sender)
    finally:
        await redis.close()
    assert stored.contact == "jelena.p@example.rs" and stored.language == "sr"
    assert stored.consent_question == offer[0]["text"] and stored.consent_answer == "да, јавите ми"


async def test_declining_the_notification_stores_nothing(customer_factory, stack):
    customer = customer_factory(metadata={"channel": "whatsapp", "phone": "+4520123456"})
    offer = customer.say("hvornår får I cowboyjakken hjem igen?")
    assert names_and_languages(offer, ["utter_restock_not_planned"], "da") == [("utter_restock_not_planned", "da")]
    declined = customer.say("nej tak")
    assert names_and_languages(declined, ["utter_restock_no_consent"], "da") == [("utter_restock_no_consent", "da")]
    redis = Redis(host=stack.redis_host, port=stack.redis_port, db=stack.redis_db)
    try:
        assert await RestockSubscriptions(redis).find(SCENARIOS["restock_not_planned"]["sku"], customer.sender) is None
    finally:
        await redis.close()


def test_ticket_status_for_a_handoff_ticket_and_an_unknown_number(customer_factory):
    waiting = customer_factory()
    handed = waiting.say("I want to talk to a real person")
    ticket = next(word.strip(".") for reply in handed for word in reply["text"].split() if word.startswith("T-"))
    asker = customer_factory()
    asker.say("any news on my ticket?")
    status = asker.say(ticket)
    assert names_and_languages(status, ["utter_ticket_waiting"], "en") == [("utter_ticket_waiting", "en")]
    assert ticket in status[0]["text"]
    unknown = customer_factory().say("what's the status of ticket T-999999?")
    assert [name for name, _ in names_and_languages(unknown, ["utter_ticket_not_found", "utter_offer_person"], "en")] \
        == ["utter_ticket_not_found", "utter_offer_person"]


def test_an_order_system_outage_gets_a_polite_answer_in_time_and_a_person(customer_factory, stack):
    order = SCENARIOS["shipped_hr"]
    customer = customer_factory()
    customer.say(f"gdje je moja narudžba {order['number']}")
    demo_orders(stack, "POST", "/api/admin/outage", {"mode": "slow", "seconds": 60})
    try:
        answer = customer.say(order["email"])  # the order system hangs for a minute; the bot answers anyway
    finally:
        demo_orders(stack, "POST", "/api/admin/outage", {"mode": "off"})
    assert names_and_languages(answer, ["utter_backend_down", "utter_offer_person"], "hr") == [
        ("utter_backend_down", "hr"), ("utter_offer_person", "hr")]
    handed = customer.say("da, molim")
    assert identify(handed[0]["text"], ["utter_handoff_queued", "utter_handoff_offline"], prefer="hr")[1] == "hr"
