"""May these items of this order be returned now? The same rules for every shop.

Reasons, checked in this order: "cancelled"; "already_returned" (the whole order came back); "not_delivered"
(pending, packed, shipped, out for delivery); "window_expired" (delivered more than `window_days` ago; an
unknown delivery time counts as inside the window); "no_items" (none chosen: the order itself would allow a
return); "unknown_item"; "already_returned" (an item fully returned, or in a return already); "not_returnable"
(hygiene goods, gift cards...); "ok".
`blocked_items` names the items that caused the answer, so the bot can offer to return the others.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional, Sequence

from bot.orders.model import Order, OrderStatus

NOT_DELIVERED = frozenset({OrderStatus.PENDING, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.OUT_FOR_DELIVERY})


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str
    days_left: Optional[int] = None  # whole days left in the return window (0: the last day), when known
    blocked_items: tuple[str, ...] = ()


def check(order: Order, item_ids: Sequence[str], now: datetime, window_days: int) -> Eligibility:
    """Whether `item_ids` of `order` may be returned at `now` (time-zone aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    if order.status is OrderStatus.CANCELLED:
        return Eligibility(False, "cancelled")
    if order.status is OrderStatus.RETURNED:
        return Eligibility(False, "already_returned", blocked_items=tuple(item_ids))
    if order.status in NOT_DELIVERED:
        return Eligibility(False, "not_delivered")
    days_left = _days_left(order, now, window_days)
    if days_left is not None and days_left < 0:
        return Eligibility(False, "window_expired", days_left=0)
    if not item_ids:
        return Eligibility(False, "no_items", days_left)
    items = {item.id: item for item in order.items}
    for reason, blocked in (
        ("unknown_item", [item_id for item_id in item_ids if item_id not in items]),
        ("already_returned", [item_id for item_id in item_ids if item_id in items and items[item_id].fully_returned]),
        ("not_returnable", [item_id for item_id in item_ids if item_id in items and not items[item_id].returnable]),
    ):
        if blocked:
            return Eligibility(False, reason, days_left, tuple(blocked))
    return Eligibility(True, "ok", days_left)


def _days_left(order: Order, now: datetime, window_days: int) -> Optional[int]:
    """Whole days left in the return window (negative once it has closed); None when the delivery time is unknown."""
    if order.delivered_at is None:
        return None
    closes = order.delivered_at + timedelta(days=window_days)
    if closes < now:
        return -1
    return math.floor((closes - now) / timedelta(days=1))
