"""What an order system tells us: orders, their items and shipments, products, return cases.

Every adapter (demo, rest, shopify, woocommerce) maps its own API onto these types; the actions and the rest
of `bot` only ever see these.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Optional


class OrderStatus(str, Enum):
    PENDING = "pending"
    PACKED = "packed"
    SHIPPED = "shipped"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    RETURNED = "returned"


@dataclass(frozen=True)
class OrderItem:
    id: str  # the line item's id in the order system
    name: str  # as the shop sold it
    quantity: int = 1
    sku: str = ""
    returnable: bool = True  # False for hygiene goods, gift cards, made-to-order...
    returned_quantity: int = 0
    # Why it cannot go back when the shop says so: hygiene, gift_card, made_to_order, final_sale ("": not said).
    not_returnable_reason: str = ""

    @property
    def fully_returned(self) -> bool:
        return self.returned_quantity >= self.quantity


@dataclass(frozen=True)
class Order:
    number: str  # what the customer sees and types: "10482", "A-2291" (no "#")
    id: str  # the order system's own id (Shopify's numeric id, WooCommerce's post id...)
    status: OrderStatus
    customer_email: str = ""
    customer_phone: str = ""  # international form when known: "+4791234567"
    customer_name: str = ""
    country: str = ""  # ISO 3166 code of the delivery address
    placed_at: Optional[datetime] = None
    items: tuple[OrderItem, ...] = ()
    carrier: str = ""
    tracking_number: str = ""
    tracking_url: str = ""
    expected_delivery: Optional[date] = None
    delivered_at: Optional[datetime] = None


class ReturnKind(str, Enum):
    REFUND = "refund"
    REPLACEMENT = "replacement"


@dataclass(frozen=True)
class ReturnCase:
    id: str  # what the customer quotes later: "R-10482-1"
    order_number: str
    item_ids: tuple[str, ...]
    reason: str
    kind: ReturnKind = ReturnKind.REFUND
    state: str = "requested"  # requested, received, refunded, replaced, rejected
    label_url: str = ""
    created_at: Optional[datetime] = None
    updated_at: Optional[datetime] = None  # when the state last changed (e.g. the refund date)


@dataclass(frozen=True)
class Product:
    sku: str
    name: str  # the shop's own name
    in_stock: int = 0
    restock_date: Optional[date] = None  # None: no restock planned (or unknown)
    # Names customers use in each language ({"pl": ["kurtka przeciwdeszczowa"], ...}) for matching.
    names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A size or colour of a product sold in several: the options as sold ("M / Black") and, where the shop has
    # translated them, in each language ({"pl": "M / Czarny"}); `variant_of` is the sku of the product's own entry
    # (whose stock is that of all its variants together).
    variant: str = ""
    variant_names: dict[str, str] = field(default_factory=dict)
    variant_of: str = ""

    @property
    def available(self) -> bool:
        return self.in_stock > 0

    def variant_in(self, language: Optional[str]) -> str:
        """The size or colour as the customer reads it: translated when the shop has it, else as sold."""
        return self.variant_names.get(language or "", "") or self.variant
