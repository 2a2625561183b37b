"""What a verified customer is told about an order, a return or a product, in their language."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from bot.orders import replies
from bot.orders.eligibility import Eligibility
from bot.orders.model import Order, OrderItem, OrderStatus, Product, ReturnCase

NOW = datetime(2026, 3, 12, 10, tzinfo=timezone.utc)


def order(status: OrderStatus, **fields) -> Order:
    return Order(number="10482", id="1", status=status, items=(OrderItem("1", "Rain jacket"), OrderItem("2", "Gift card")),
                 carrier="InPost", tracking_number="680012", tracking_url="https://inpost.pl/t?n=680012", **fields)


def test_dates_are_written_the_way_each_language_writes_them():
    day = date(2026, 3, 12)
    assert [replies.written_date(day, code) for code in ("en", "el", "pl", "sr", "hr", "nb", "da")] == [
        "12 March 2026", "12 Μαρτίου 2026", "12 marca 2026", "12. mart 2026", "12. ožujka 2026", "12. mars 2026",
        "12. marts 2026"]


def test_a_shipped_order_has_carrier_tracking_and_expected_delivery():
    said = replies.order_status(order(OrderStatus.SHIPPED, expected_delivery=date(2026, 3, 14)), "pl", 14)
    assert said == [("utter_order_shipped", {"order": "10482", "carrier": "InPost", "refund_days": "14",
                                             "tracking_url": "https://inpost.pl/t?n=680012", "delivered": "-"}),
                    ("utter_order_expected_delivery", {"expected": "14 marca 2026"})]


def test_a_delivered_order_says_when_and_promises_no_delivery():
    said = replies.order_status(order(OrderStatus.DELIVERED, delivered_at=NOW, expected_delivery=date(2026, 3, 11)),
                                "en", 14)
    assert [name for name, _ in said] == ["utter_order_delivered"] and said[0][1]["delivered"] == "12 March 2026"


def test_every_status_has_its_answer():
    assert {replies.order_status(order(status), "en", 14)[0][0] for status in OrderStatus} == {
        f"utter_order_{status.value}" for status in OrderStatus}


def test_refusals_name_the_blocked_items_or_the_end_of_the_window():
    late = order(OrderStatus.DELIVERED, delivered_at=NOW - timedelta(days=40))
    assert replies.ineligible(late, Eligibility(False, "window_expired"), "en", 30) == (
        "utter_return_window_expired", {"order": "10482", "items": "Rain jacket and Gift card", "window_days": "30",
                                        "reasons": "", "window_end": "2 March 2026"})
    blocked = replies.ineligible(late, Eligibility(False, "not_returnable", blocked_items=("2",)), "en", 30)
    assert blocked[0] == "utter_return_not_returnable" and blocked[1]["items"] == "Gift card"


def test_return_states_and_product_availability():
    case = ReturnCase("R-10482-1", "10482", ("1",), "wrong_size", state="refunded", created_at=NOW,
                      updated_at=NOW + timedelta(days=5))
    assert replies.return_state(case, "da", 14) == ("utter_return_refunded", {
        "ticket": "R-10482-1", "refund_days": "14", "date": "17. marts 2026"})
    assert replies.product_availability(Product("S", "Scarf", in_stock=3), "en") == (
        "utter_product_in_stock", {"product": "Scarf"})
    planned = replies.product_availability(Product("R", "Rain jacket", restock_date=date(2026, 4, 1)), "nb")
    assert planned == ("utter_restock_date", {"product": "Rain jacket", "date": "1. april 2026"})
    assert replies.offers_notification(planned)
    assert replies.product_availability(Product("D", "Denim jacket"), "en")[0] == "utter_restock_not_planned"
