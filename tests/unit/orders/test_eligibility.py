from datetime import datetime, timedelta, timezone

import pytest

from bot.orders.eligibility import check
from bot.orders.model import Order, OrderItem, OrderStatus

NOW = datetime(2025, 3, 20, 12, 0, tzinfo=timezone.utc)


def order(status: OrderStatus = OrderStatus.DELIVERED, delivered_days_ago: float = 5, **item_flags) -> Order:
    items = (
        OrderItem("1", "Rain jacket"),
        OrderItem("2", "Silver earrings", returnable=item_flags.get("earrings_returnable", False)),
        OrderItem("3", "T-shirt", quantity=2, returned_quantity=item_flags.get("tshirts_returned", 0)),
    )
    delivered = NOW - timedelta(days=delivered_days_ago) if status is OrderStatus.DELIVERED else None
    return Order("10482", "1", status, items=items, delivered_at=delivered)


def test_a_recent_delivery_may_be_returned_with_the_days_left():
    result = check(order(delivered_days_ago=5), ["1"], NOW, 30)
    assert (result.eligible, result.reason, result.days_left) == (True, "ok", 25)


@pytest.mark.parametrize("status", [OrderStatus.PENDING, OrderStatus.PACKED, OrderStatus.SHIPPED,
                                    OrderStatus.OUT_FOR_DELIVERY])
def test_not_delivered_yet(status):
    assert check(order(status), ["1"], NOW, 30).reason == "not_delivered"


def test_cancelled_and_returned_orders():
    assert check(order(OrderStatus.CANCELLED), ["1"], NOW, 30).reason == "cancelled"
    returned = check(order(OrderStatus.RETURNED), ["1"], NOW, 30)
    assert (returned.eligible, returned.reason, returned.blocked_items) == (False, "already_returned", ("1",))


def test_the_window_closes_after_the_last_day():
    last_day = check(order(delivered_days_ago=29.5), ["1"], NOW, 30)
    assert (last_day.eligible, last_day.days_left) == (True, 0)
    expired = check(order(delivered_days_ago=30.01), ["1"], NOW, 30)
    assert (expired.eligible, expired.reason) == (False, "window_expired")


def test_the_window_follows_the_shop_setting():
    assert check(order(delivered_days_ago=20), ["1"], NOW, 14).reason == "window_expired"
    assert check(order(delivered_days_ago=20), ["1"], NOW, 60).days_left == 40


def test_non_returnable_items_are_named_so_the_others_can_still_go_back():
    result = check(order(), ["1", "2"], NOW, 30)
    assert (result.eligible, result.reason, result.blocked_items) == (False, "not_returnable", ("2",))
    assert check(order(), ["1"], NOW, 30).eligible


def test_items_already_returned():
    result = check(order(tshirts_returned=2), ["3"], NOW, 30)
    assert (result.reason, result.blocked_items) == ("already_returned", ("3",))
    assert check(order(tshirts_returned=1), ["3"], NOW, 30).eligible  # one of two still with the customer


def test_unknown_and_missing_items():
    assert check(order(), ["1", "99"], NOW, 30).blocked_items == ("99",)
    assert check(order(), ["99"], NOW, 30).reason == "unknown_item"
    no_items = check(order(), [], NOW, 30)
    assert (no_items.eligible, no_items.reason, no_items.days_left) == (False, "no_items", 25)


def test_an_unknown_delivery_time_counts_as_inside_the_window():
    undated = Order("10482", "1", OrderStatus.DELIVERED, items=(OrderItem("1", "Rain jacket"),))
    result = check(undated, ["1"], NOW, 30)
    assert (result.eligible, result.days_left) == (True, None)


def test_time_zones_are_respected():
    warsaw = timezone(timedelta(hours=1))
    delivered = Order("1", "1", OrderStatus.DELIVERED, items=(OrderItem("1", "x"),),
                      delivered_at=datetime(2025, 2, 18, 12, 30, tzinfo=warsaw))  # 11:30 UTC, 30 days before 11:30
    assert check(delivered, ["1"], NOW.replace(hour=11, minute=29), 30).eligible
    assert not check(delivered, ["1"], NOW.replace(hour=11, minute=31), 30).eligible
    with pytest.raises(ValueError):
        check(delivered, ["1"], datetime(2025, 3, 20), 30)
