"""What the customer is told about an order, a return or a product: response names and their template values.

Only called after the customer was verified (for anything about an order); dates are written the way each
language writes them.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Iterable, Optional

from babel.dates import format_date

from bot import languages, wording
from bot.hours import Reply
from bot.orders.eligibility import Eligibility
from bot.orders.items import Names
from bot.orders.model import Order, OrderItem, OrderStatus, Product, ReturnCase

_STATUS_RESPONSES = {
    OrderStatus.PENDING: "utter_order_pending",
    OrderStatus.PACKED: "utter_order_packed",
    OrderStatus.SHIPPED: "utter_order_shipped",
    OrderStatus.OUT_FOR_DELIVERY: "utter_order_out_for_delivery",
    OrderStatus.DELIVERED: "utter_order_delivered",
    OrderStatus.CANCELLED: "utter_order_cancelled",
    OrderStatus.RETURNED: "utter_order_returned",
}
_STILL_TRAVELLING = (OrderStatus.PENDING, OrderStatus.PACKED, OrderStatus.SHIPPED)
_INELIGIBLE_RESPONSES = {
    "not_delivered": "utter_return_not_delivered",
    "cancelled": "utter_return_cancelled",
    "window_expired": "utter_return_window_expired",
    "not_returnable": "utter_return_not_returnable",
    "already_returned": "utter_return_already_returned",
}
RETURN_STATES = ("requested", "received", "refunded", "replaced", "rejected")


def written_date(day: date | datetime, language: str) -> str:
    """`12 March 2026`, `12 marca 2026`, `12. mars 2026`: the long date of the customer's language."""
    locale = languages.LANGUAGES.get(language, languages.LANGUAGES[languages.DEFAULT_LANGUAGE]).babel_locale
    plain_day = day.date() if isinstance(day, datetime) else day
    return format_date(plain_day, format="long", locale=locale).rstrip(".")


def item_names(items: Iterable[OrderItem], language: str, names: Optional[Names] = None,
               quantities: Optional[dict[str, int]] = None) -> str:
    """"Sneakersy i 1 × Koszulka bawełniana": the items in the customer's language (with the units when only part
    of a line goes back), joined with the language's conjunction."""
    name_of = names or (lambda item: item.name)
    counted = quantities or {}
    return wording.joined((f"{counted[item.id]} × {name_of(item)}" if item.id in counted else name_of(item)
                           for item in items), language)


def order_status(order: Order, language: str, refund_days: int) -> list[Reply]:
    """The status of a verified order: where it is, with carrier and tracking link, and when it should arrive."""
    values = {
        "order": order.number, "carrier": order.carrier or "-", "refund_days": str(refund_days),
        "tracking_url": order.tracking_url or order.tracking_number or "-",
        "delivered": written_date(order.delivered_at, language) if order.delivered_at else "-",
    }
    replies: list[Reply] = [(_STATUS_RESPONSES[order.status], values)]
    if order.status in _STILL_TRAVELLING and order.expected_delivery:
        replies.append(("utter_order_expected_delivery", {"expected": written_date(order.expected_delivery, language)}))
    return replies


def ineligible(order: Order, verdict: Eligibility, language: str, window_days: int,
               names: Optional[Names] = None, refusals: Optional[dict[str, str]] = None) -> Reply:
    """Why the items cannot be returned (the caller then offers a person).

    For items the shop does not take back, the reason is the one the order system gives for each item (`refusals`:
    the profile's sentence per reason code); none is given when the system says none.
    """
    blocked = [item for item in order.items if item.id in verdict.blocked_items] or list(order.items)
    values = {"order": order.number, "items": item_names(blocked, language, names), "window_days": str(window_days),
              "reasons": _refusal_reasons(blocked, language, names, refusals or {})}
    if verdict.reason == "window_expired" and order.delivered_at:
        values["window_end"] = written_date(order.delivered_at + timedelta(days=window_days), language)
    return _INELIGIBLE_RESPONSES.get(verdict.reason, "utter_return_not_returnable"), values


def _refusal_reasons(items: list[OrderItem], language: str, names: Optional[Names],
                     refusals: dict[str, str]) -> str:
    """" Gift cards can't be returned.", or one sentence per reason after the items it concerns; "" when the
    order system gave no reason we have words for."""
    groups: dict[str, list[OrderItem]] = {}
    for item in items:
        if item.not_returnable_reason in refusals:
            groups.setdefault(item.not_returnable_reason, []).append(item)
    if len(groups) == 1 and len(next(iter(groups.values()))) == len(items):
        return " " + refusals[next(iter(groups))]
    return "".join(f" {item_names(grouped, language, names)}: {refusals[reason]}" for reason, grouped in groups.items())


def return_created(case: ReturnCase, items: list[OrderItem], refund_days: int, language: str,
                   names: Optional[Names] = None, quantities: Optional[dict[str, int]] = None) -> Reply:
    return "utter_return_created", {"case_id": case.id, "items": item_names(items, language, names, quantities),
                                    "label_url": case.label_url or "-", "refund_days": str(refund_days)}


def return_state(case: ReturnCase, language: str, refund_days: int) -> Reply:
    """Where a return stands, for a customer who quotes its number."""
    state = case.state if case.state in RETURN_STATES else "requested"
    changed = case.updated_at or case.created_at
    return f"utter_return_{state}", {"ticket": case.id, "refund_days": str(refund_days),
                                     "date": written_date(changed, language) if changed else "-"}


def product_availability(product: Product, language: str, names: Optional[Names] = None) -> Reply:
    """In stock now, back on a date, or not planned (the last two offer a notification)."""
    name = names(product) if names else product.name
    if product.available:
        return "utter_product_in_stock", {"product": name}
    if product.restock_date:
        return "utter_restock_date", {"product": name, "date": written_date(product.restock_date, language)}
    return "utter_restock_not_planned", {"product": name}


def offers_notification(reply: Optional[Reply]) -> bool:
    return reply is not None and reply[0] in ("utter_restock_date", "utter_restock_not_planned")
