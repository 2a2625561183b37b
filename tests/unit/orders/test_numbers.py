import pytest

from bot.orders.numbers import order_number_in


@pytest.mark.parametrize(
    "text, number",
    [
        ("10482", "10482"),
        ("#10482", "10482"),
        ("# 10482", "10482"),
        ("#A-2291", "A-2291"),
        ("a-2291", "A-2291"),
        ("A2291", "A-2291"),
        ("nv-1048207", "NV-1048207"),
        ("Α-2291", "A-2291"),  # typed on a Greek keyboard
        ("Where is my order no. 10482?", "10482"),
        ("order number is 10482 thanks", "10482"),
        ("gdzie jest moje zamówienie nr 10482", "10482"),
        ("zamowienie 10482", "10482"),
        ("zam.10482", "10482"),
        ("πού είναι η παραγγελία μου 10482;", "10482"),
        ("pou einai h paraggelia 10482", "10482"),
        ("gde je moja porudžbina br. 10482", "10482"),
        ("где је моја поруџбина бр. 10482", "10482"),
        ("narudžba broj 10482 još nije stigla", "10482"),
        ("hvor er ordre nr. 10482", "10482"),
        ("hvor er bestillingen min 10482", "10482"),
        ("ordrenummer: 10482", "10482"),
        ("nr10482", "10482"),
        ("10482 is my order, my e-mail is ola.nordmann1985@example.com", "10482"),
        ("Hi! order #A-2291, phone +47 912 34 567", "A-2291"),
    ],
)
def test_finds_and_normalises_order_numbers(text, number):
    assert order_number_in(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "+48 600 100 200",
        "600100200",
        "600-100-200",
        "+45 3312 3456",
        "07700 900123",
        "10000 Zagreb",
        "11000 Београд",
        "00-950 Warszawa",
        "HR-10000 Zagreb",
        "DK-2100 København Ø",
        "0150 Oslo",
        "49,90",
        "1299,90 zł",
        "zapłaciłam 1299 zł",
        "€1299",
        "1299 kr",
        "12.03.2025",
        "12.3.2025",
        "2025-03-12",
        "since 2024",
        "10:30",
        "jan10482@example.com",
        "https://shop.example.com/orders/10482",
        "123",
        "12345678",
        "hello",
        "",
    ],
)
def test_ignores_what_is_not_an_order_number(text):
    assert order_number_in(text) is None


def test_an_announced_number_wins_over_an_earlier_plain_one():
    assert order_number_in("ticket 4410 was closed, my order is 10482") == "10482"


def test_an_announced_number_may_look_like_a_year_or_precede_a_capital():
    assert order_number_in("order 2024") == "2024"
    assert order_number_in("#2024") == "2024"
    assert order_number_in("order 10482 Thanks") == "10482"


def test_the_first_plain_number_when_none_is_announced():
    assert order_number_in("10482 or maybe 10483") == "10482"
