"""Is this the customer who placed the order? The e-mail or the phone number on the order decides.

E-mails match exactly, ignoring case and surrounding spaces (no Gmail dot or +tag folding: another mailbox is
another person). Phone numbers match on their last nine digits, so a customer may type the national form
(`600 100 200`) of the international number on the order (`+48600100200`), with `00`, spaces, dashes or
brackets; at least eight digits are needed (Danish and Norwegian numbers have eight).
"""
from __future__ import annotations

import re
from typing import Optional

from bot.orders.model import Order

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}", re.UNICODE)
_PHONE = re.compile(r"(?<![\w+])\+?[\d(][\d ().\-/]*\d")
_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")
_MIN_DIGITS, _COMPARED_DIGITS, _MAX_DIGITS = 8, 9, 15


def matches(order: Order, email: Optional[str] = None, phone: Optional[str] = None) -> bool:
    """True when the e-mail or the phone number given is the one on the order."""
    return _same_email(order.customer_email, email) or _same_phone(order.customer_phone, phone)


def contact_in(text: str) -> tuple[Optional[str], Optional[str]]:
    """The e-mail and the phone number in a free-text reply: (`"ola@example.com"`, `"+48600100200"`)."""
    email_match = _EMAIL.search(text)
    rest = _EMAIL.sub(" ", text)
    phone = None
    for match in _PHONE.finditer(rest):
        candidate = match.group(0)
        digits = _digits(candidate)
        if _MIN_DIGITS <= len(digits) <= _MAX_DIGITS and not _DATE.match(candidate):
            phone = f"+{digits}" if candidate.startswith(("+", "00")) else digits
            break
    return (email_match.group(0) if email_match else None), phone


def _same_email(on_order: str, given: Optional[str]) -> bool:
    given = (given or "").strip().casefold()
    return "@" in given and given == on_order.strip().casefold()


def _same_phone(on_order: str, given: Optional[str]) -> bool:
    given_digits, order_digits = _digits(given or ""), _digits(on_order)
    compared = min(_COMPARED_DIGITS, len(given_digits), len(order_digits))
    return compared >= _MIN_DIGITS and given_digits[-compared:] == order_digits[-compared:]


def _digits(phone: str) -> str:
    """The digits of a phone number, without the `00` international prefix."""
    digits = "".join(ch for ch in phone if ch.isdigit() and ch.isascii())
    return digits[2:] if phone.strip().startswith("00") else digits
