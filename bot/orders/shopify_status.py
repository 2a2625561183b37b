"""A Shopify order's status from what REST and GraphQL say, agreeing in every documented combination.

REST `fulfillment_status` (null, `partial`, `fulfilled`, `restocked`) and GraphQL `displayFulfillmentStatus`
(UNFULFILLED, OPEN, SCHEDULED, ON_HOLD, PENDING_FULFILLMENT, IN_PROGRESS, PARTIALLY_FULFILLED, FULFILLED,
RESTOCKED, REQUEST_DECLINED) become one `Fulfillment` value first, then our `OrderStatus`:

- cancelled (`cancelled_at` / `cancelledAt`) -> cancelled; refunded in full or restocked -> returned;
- fulfilled: the shipments' `shipment_status` decides (all delivered -> delivered, one out for delivery -> out for
  delivery, only labels -> packed); fulfilled with no fulfillment records (orders created or imported through the
  API, Shopify's own documentation example) -> shipped;
- partly fulfilled -> shipped (the part that left, with its tracking);
- in progress (a fulfillment service picks it) -> packed; everything else not yet fulfilled -> pending.
"""
from __future__ import annotations

from enum import Enum
from typing import Iterable, Optional

from bot.orders.model import OrderStatus

_PACKED_ONLY = frozenset({"label_printed", "label_purchased"})


class Fulfillment(str, Enum):
    UNFULFILLED = "unfulfilled"
    IN_PROGRESS = "in_progress"
    PARTIAL = "partial"
    FULFILLED = "fulfilled"
    RESTOCKED = "restocked"


REST = {None: Fulfillment.UNFULFILLED, "": Fulfillment.UNFULFILLED, "null": Fulfillment.UNFULFILLED,
        "unfulfilled": Fulfillment.UNFULFILLED, "unshipped": Fulfillment.UNFULFILLED,
        "partial": Fulfillment.PARTIAL, "fulfilled": Fulfillment.FULFILLED, "shipped": Fulfillment.FULFILLED,
        "restocked": Fulfillment.RESTOCKED}
GRAPHQL = {"UNFULFILLED": Fulfillment.UNFULFILLED, "OPEN": Fulfillment.UNFULFILLED,
           "SCHEDULED": Fulfillment.UNFULFILLED, "ON_HOLD": Fulfillment.UNFULFILLED,
           "PENDING_FULFILLMENT": Fulfillment.UNFULFILLED, "REQUEST_DECLINED": Fulfillment.UNFULFILLED,
           "IN_PROGRESS": Fulfillment.IN_PROGRESS, "PARTIALLY_FULFILLED": Fulfillment.PARTIAL,
           "FULFILLED": Fulfillment.FULFILLED, "RESTOCKED": Fulfillment.RESTOCKED}


class UnknownFulfillmentStatus(ValueError):
    """A fulfillment status Shopify has not documented (named in the message)."""


def from_rest(value: Optional[str]) -> Fulfillment:
    if not isinstance(value, (str, type(None))) or value not in REST:
        raise UnknownFulfillmentStatus(f"shopify: unknown fulfillment_status {value!r}")
    return REST[value]


def from_graphql(value: Optional[str]) -> Fulfillment:
    if not isinstance(value, (str, type(None))) or value not in GRAPHQL:
        raise UnknownFulfillmentStatus(f"shopify: unknown displayFulfillmentStatus {value!r}")
    return GRAPHQL[value]


def order_status(fulfillment: Fulfillment, shipments: Iterable[str], cancelled: bool = False,
                 refunded: bool = False) -> OrderStatus:
    """`shipments`: the `shipment_status` of each active fulfillment ("" when the carrier reported nothing)."""
    shipments = list(shipments)
    if cancelled:
        return OrderStatus.CANCELLED
    if refunded or fulfillment is Fulfillment.RESTOCKED:
        return OrderStatus.RETURNED
    if fulfillment is Fulfillment.UNFULFILLED and not shipments:
        return OrderStatus.PENDING
    if fulfillment is Fulfillment.IN_PROGRESS and not shipments:
        return OrderStatus.PACKED
    if not shipments:
        return OrderStatus.SHIPPED  # fulfilled (or partly) without fulfillment records
    if fulfillment is Fulfillment.FULFILLED and all(s == "delivered" for s in shipments):
        return OrderStatus.DELIVERED
    if "out_for_delivery" in shipments:
        return OrderStatus.OUT_FOR_DELIVERY
    if all(s in _PACKED_ONLY for s in shipments):
        return OrderStatus.PACKED
    return OrderStatus.SHIPPED
