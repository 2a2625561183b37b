"""The one interface every order-system adapter implements, and the errors it may raise.

Adapters implement the I/O (`find_order`, `create_return`, `find_return`, `products`); verifying the customer,
listing items, return eligibility and product matching are the same for every shop and live here.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Optional

from bot.orders import eligibility, matching, variants, verification
from bot.orders.model import Order, OrderItem, Product, ReturnCase, ReturnKind


class OrderSystemError(Exception):
    """The order system could not answer; the customer gets an apology and the offer of a person."""


class OrderSystemUnavailable(OrderSystemError):
    """Down, too slow, or still failing after the retries (timeouts, connection errors, 429, 5xx)."""


class OrderSystemBadResponse(OrderSystemError):
    """It answered, but with something we cannot read (garbage, wrong shape, unexpected status)."""


class OrderSystemAuthError(OrderSystemError):
    """Our credentials were refused (401/403): a configuration problem for the operator."""


class OrderSystemRejected(OrderSystemError):
    """The order system refused the request (409/422, GraphQL user errors): e.g. items it no longer takes back."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason  # a short code when the system gives one ("window_expired", "not_returnable"), or ""


class OrderSystem(ABC):
    """An online shop's order back end, as the assistant needs it."""

    name: str = "order system"
    # Whether `create_return` takes part of a line (`quantities`); otherwise whole lines go back and the bot does
    # not ask how many.
    partial_returns: bool = False

    def __init__(self, return_window_days: int = 30) -> None:
        self.return_window_days = return_window_days

    # ---- I/O each adapter implements ------------------------------------------------------------
    @abstractmethod
    async def find_order(self, number: str) -> Optional[Order]:
        """The order with this customer-facing number (already normalised: "10482", "A-2291"), or None."""

    @abstractmethod
    async def create_return(self, order: Order, item_ids: list[str], reason: str,
                            kind: ReturnKind = ReturnKind.REFUND) -> ReturnCase:
        """Register a return (or replacement) of these items; the case id is what the customer quotes later.

        Adapters with `partial_returns` also take `quantities` ({item id: units}; an item not in it goes back
        whole)."""

    @abstractmethod
    async def find_return(self, case_id: str) -> Optional[ReturnCase]:
        """A return case by the id we gave the customer, or None."""

    @abstractmethod
    async def products(self) -> list[Product]:
        """The catalogue with stock and restock dates (adapters may cache it briefly)."""

    async def close(self) -> None:
        """Release connections."""

    # ---- the same for every shop ------------------------------------------------------------------
    def verify_customer(self, order: Order, email: Optional[str] = None, phone: Optional[str] = None) -> bool:
        """True when the e-mail or the phone number given matches the one on the order."""
        return verification.matches(order, email=email, phone=phone)

    async def list_items(self, order: Order) -> list[OrderItem]:
        return list(order.items)

    def return_eligibility(self, order: Order, item_ids: list[str], now: datetime) -> eligibility.Eligibility:
        return eligibility.check(order, item_ids, now, self.return_window_days)

    async def find_product(self, query: str, language: Optional[str] = None) -> Optional[Product]:
        """The catalogue product a customer means by `query`, in any supported language, or None; the size or
        colour the question names when the product comes in several (`bot.orders.variants`)."""
        catalogue = await self.products()
        product = matching.best_product(query, [p for p in catalogue if not p.variant_of], language)
        if product is None:
            return None
        return variants.best_variant(query, [p for p in catalogue if p.variant_of == product.sku]) or product
