"""Which items of an order the customer means."""
from bot.orders.items import chosen_items, item_buttons
from bot.orders.model import OrderItem

ITEMS = [OrderItem("L1", "Rain jacket"), OrderItem("L2", "Wool scarf"), OrderItem("L3", "Gift card", returned_quantity=1)]


def test_buttons_carry_item_ids_and_leave_out_items_already_returned():
    assert item_buttons(ITEMS) == [{"title": "Rain jacket", "payload": '/inform{"item": "L1"}'},
                                   {"title": "Wool scarf", "payload": '/inform{"item": "L2"}'}]


def test_a_button_a_position_all_or_the_name():
    assert chosen_items("L2", ITEMS) == [ITEMS[1]]
    assert chosen_items("all", ITEMS) == ITEMS and chosen_items("Wszystkie", ITEMS) == ITEMS
    assert chosen_items("оба", ITEMS) == ITEMS  # Serbian Cyrillic "both"
    assert chosen_items("2", ITEMS) == [ITEMS[1]]
    assert chosen_items("the scarf", ITEMS) == [ITEMS[1]]


def test_nothing_recognisable_is_no_choice():
    assert chosen_items("yes", ITEMS) is None and chosen_items("", ITEMS) is None and chosen_items("7", ITEMS) is None
