import pytest

from bot.orders.model import Order, OrderStatus
from bot.orders.verification import contact_in, matches


def order(email: str = "Ola.Nordmann@Example.com", phone: str = "+4791234567") -> Order:
    return Order(number="10482", id="1", status=OrderStatus.SHIPPED, customer_email=email, customer_phone=phone)


@pytest.mark.parametrize("email", ["ola.nordmann@example.com", "  OLA.NORDMANN@EXAMPLE.COM ",
                                   "Ola.Nordmann@Example.com"])
def test_email_matches_ignoring_case_and_spaces(email):
    assert matches(order(), email=email)


@pytest.mark.parametrize("email", ["olanordmann@example.com", "ola.nordmann+shop@example.com", "ola@example.com",
                                   "ola.nordmann@example.co", "", "   ", None])
def test_another_mailbox_does_not_match(email):
    assert not matches(order(), email=email)


@pytest.mark.parametrize(
    "on_order, given",
    [
        ("+4791234567", "91234567"),  # Norwegian national: eight digits
        ("+4791234567", "912 34 567"),
        ("+4791234567", "0047 912 34 567"),
        ("+48600100200", "600 100 200"),  # Polish national
        ("+48600100200", "+48 600-100-200"),
        ("+48600100200", "(+48) 600 100 200"),
        ("+447700900123", "07700 900123"),  # UK national with the trunk 0
        ("+381601234567", "060/123-4567"),  # Serbian
        ("+385911234567", "091 123 4567"),  # Croatian
        ("+306912345678", "691 234 5678"),  # Greek
        ("+35799123456", "99 123456"),  # Cypriot: eight digits
        ("+4520123456", "20 12 34 56"),  # Danish
    ],
)
def test_phone_matches_in_national_or_international_form(on_order, given):
    assert matches(order(phone=on_order), phone=given)


@pytest.mark.parametrize("given", ["91234568", "1234567", "234567", "", "+47", None, "no phone"])
def test_other_or_too_short_phones_do_not_match(given):
    assert not matches(order(phone="+4791234567"), phone=given)


def test_empty_details_on_the_order_never_match():
    empty = order(email="", phone="")
    assert not matches(empty, email="", phone="")
    assert not matches(empty, email="ola@example.com", phone="+4791234567")


def test_either_detail_is_enough():
    assert matches(order(), email="wrong@example.com", phone="912 34 567")
    assert matches(order(), email="ola.nordmann@example.com", phone="000")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my email is Ola.Nordmann@example.com thanks", ("Ola.Nordmann@example.com", None)),
        ("moj telefon: +48 600 100 200", (None, "+48600100200")),
        ("το κινητό μου είναι 0030 691 234 5678", (None, "+306912345678")),
        ("tlf 912 34 567", (None, "91234567")),
        ("мој број је 060/123-4567, mejl marko.j@example.rs", ("marko.j@example.rs", "0601234567")),
        ("order 10482 from 12.03.2025", (None, None)),
        ("hello", (None, None)),
    ],
)
def test_contact_details_in_free_text(text, expected):
    assert contact_in(text) == expected
