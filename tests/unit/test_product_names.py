"""Products named in the customer's language (buttons, steps, refusals, restock) and refusals with the shop's reason."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.orders import replies
from bot.orders.demo_server.seed import ORDERS, PRODUCTS, dated_order, dated_product
from bot.orders.eligibility import Eligibility
from bot.orders.items import Names, chosen_items, item_buttons
from bot.orders.model import OrderItem, Product, ReturnCase
from bot.profile import load_profile

NOW = datetime(2026, 12, 2, 10, tzinfo=timezone.utc)
CATALOGUE = [dated_product(product, NOW.date()) for product in PRODUCTS]


def order(scenario: str):
    return dated_order(next(seed for seed in ORDERS if seed.scenario == scenario), NOW)


def test_buttons_and_steps_use_the_catalogues_local_names():
    items = list(order("delivered_returnable_en").items)  # sneakers and two cotton T-shirts
    assert [b["title"] for b in item_buttons(items, Names.of(CATALOGUE, "pl"))] == ["Sneakersy", "Koszulka bawełniana"]
    assert [b["title"] for b in item_buttons(items, Names.of(CATALOGUE, "el"))] == [
        "Αθλητικά παπούτσια", "Βαμβακερό μπλουζάκι"]
    assert [b["title"] for b in item_buttons(items, Names.of(CATALOGUE, "sr", "Cyrl"))] == ["Патике", "Памучна мајица"]
    case = ReturnCase("R-10405-1", "10405", ("10405-2",), "", label_url="https://x/label")
    created = replies.return_created(case, items, 14, "nb", Names.of(CATALOGUE, "nb"))
    assert created[1]["items"] == "Joggesko og T-skjorte"
    assert replies.return_created(case, items, 14, "en", Names.of(CATALOGUE, "en"))[1]["items"] == (
        "Sneakers and Cotton T-shirt")


def test_the_shops_name_without_a_translation():
    unknown = OrderItem("9", "Linen shirt", sku="NV-XX-99")
    names = Names.of(CATALOGUE, "da")
    assert names(unknown) == "Linen shirt" and Names("hr")(unknown) == "Linen shirt"


def test_a_customer_may_pick_an_item_by_its_local_name():
    items = list(order("delivered_returnable_pl").items)  # wool sweater, scarf, beanie
    names = Names.of(CATALOGUE, "pl")
    assert chosen_items("ten szalik", items, names) == [items[1]]
    assert chosen_items("czapka zimowa", items, names) == [items[2]]


def test_restock_answers_name_the_product_locally():
    jacket = next(product for product in CATALOGUE if product.sku == "NV-RJ-01")
    reply = replies.product_availability(jacket, "pl", Names.of(CATALOGUE, "pl"))
    assert reply[0] == "utter_restock_date" and reply[1]["product"] == "Kurtka przeciwdeszczowa"
    assert replies.product_availability(jacket, "el", Names.of(CATALOGUE, "el"))[1]["product"] == (
        "Αδιάβροχο μπουφάν")
    assert replies.product_availability(Product("X", "Poncho"), "el", Names.of(CATALOGUE, "el"))[1]["product"] == (
        "Poncho")


def test_a_refusal_gives_the_reason_the_order_system_gave():
    profile = load_profile()
    refused = order("non_returnable_item_en")  # a gift card and silver earrings
    verdict = Eligibility(False, "not_returnable", blocked_items=tuple(item.id for item in refused.items))
    name, values = replies.ineligible(refused, verdict, "pl", 30, Names.of(CATALOGUE, "pl"),
                                      profile.texts("pl")["returns"]["refusals"])
    assert name == "utter_return_not_returnable"
    assert values["items"] == "Karta podarunkowa i Srebrne kolczyki"
    assert values["reasons"] == (" Karta podarunkowa: Kart podarunkowych nie można zwrócić. Srebrne kolczyki: Ze"
                                 " względów higienicznych nie przyjmujemy zwrotów m.in. strojów kąpielowych, kolczyków"
                                 " i bielizny.")
    swimsuit = order("non_returnable_item_el")
    verdict = Eligibility(False, "not_returnable", blocked_items=(swimsuit.items[0].id,))
    values = replies.ineligible(swimsuit, verdict, "el", 30, Names.of(CATALOGUE, "el"),
                                profile.texts("el")["returns"]["refusals"])[1]
    assert values["items"] == "Μαγιό" and values["reasons"].startswith(" Για λόγους υγιεινής")


def test_no_reason_is_guessed_when_the_order_system_gives_none():
    item = OrderItem("1", "Mystery box", returnable=False)
    late = dated_order(ORDERS[0], NOW)
    late = late.__class__(**{**late.__dict__, "items": (item,), "delivered_at": NOW - timedelta(days=2)})
    values = replies.ineligible(late, Eligibility(False, "not_returnable", blocked_items=("1",)), "en", 30,
                                None, load_profile().texts("en")["returns"]["refusals"])[1]
    assert values["reasons"] == "" and values["items"] == "Mystery box"
