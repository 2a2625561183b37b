from datetime import date

import pytest

from bot.orders.demo_server.seed import PRODUCTS, dated_product
from bot.orders.matching import best_product
from bot.orders.model import Product

CATALOGUE = [dated_product(product, date(2025, 3, 20)) for product in PRODUCTS]


def sku(query: str, language: str | None = None, products: list[Product] = CATALOGUE) -> str | None:
    found = best_product(query, products, language)
    return found.sku if found else None


@pytest.mark.parametrize(
    "query, language, expected",
    [
        ("when will the rain jacket be back in stock?", "en", "NV-RJ-01"),
        ("raincoat", "en", "NV-RJ-01"),
        ("kiedy będzie kurtka przeciwdeszczowa", "pl", "NV-RJ-01"),
        ("czy macie kurtki przeciwdeszczowe", "pl", "NV-RJ-01"),
        ("kiedy bedzie kurtka przeciwdeszcowa", "pl", "NV-RJ-01"),  # no diacritics, a typo
        ("πότε θα έχετε ξανά το αδιάβροχο μπουφάν", "el", "NV-RJ-01"),
        ("pote 8a exete to adiavroxo mpoufan", "el", "NV-RJ-01"),  # Greeklish
        ("kada će kišna jakna biti na stanju", "sr", "NV-RJ-01"),
        ("када ће кишна јакна бити на стању", "sr", "NV-RJ-01"),  # Cyrillic
        ("kad ce kisna jakna opet", "hr", "NV-RJ-01"),
        ("når kommer regnjakken tilbake", "nb", "NV-RJ-01"),
        ("hvornår er regnjakken på lager igen", "da", "NV-RJ-01"),
        ("regn jakke", "nb", "NV-RJ-01"),  # a compound written apart
        ("jeans", "en", "NV-JE-03"),
        ("denim jacket", "en", "NV-DJ-02"),
        ("kurtka jeansowa", "pl", "NV-DJ-02"),
        ("wełniany sweter", "pl", "NV-WS-04"),
        ("ullgenser", "nb", "NV-WS-04"),
        ("μάλλινο πουλόβερ", "el", "NV-WS-04"),
        ("vuneni dzemper", "hr", "NV-WS-04"),
        ("patike", "sr", "NV-SN-05"),
        ("tenisice", "hr", "NV-SN-05"),
        ("gavekort", "da", "NV-GC-09"),
        ("har dere lue", "nb", "NV-BE-13"),
        ("hue", "da", "NV-BE-13"),
        ("σκούφος", "el", "NV-BE-13"),
        ("tshirt", "en", "NV-TS-10"),
        ("termokrus", "da", "NV-TM-16"),
        ("Rain jacket", None, "NV-RJ-01"),
    ],
)
def test_finds_the_product_in_every_language(query, language, expected):
    assert sku(query, language) == expected


@pytest.mark.parametrize("query", ["hello", "when will it be back?", "kiedy", "laptop", "car tyres", "", "12345"])
def test_no_answer_when_nothing_matches(query):
    assert sku(query) is None


def test_jeans_are_not_a_denim_jacket():
    without_jeans = [product for product in CATALOGUE if product.sku != "NV-JE-03"]
    assert sku("jeans", "en", without_jeans) is None
    assert sku("jeansy", "pl", without_jeans) is None


def test_an_ambiguous_word_gets_no_answer():
    assert sku("jacket", "en") is None  # rain jacket or denim jacket?
    assert sku("kurtka", "pl") is None


def test_the_shop_name_alone_is_enough():
    shop_only = [Product("A1", "Nordvik Classic Rain Jacket"), Product("B2", "Nordvik Denim Jacket")]
    assert sku("do you have the rain jacket", "en", shop_only) == "A1"
    assert sku("denim jacket", "en", shop_only) == "B2"
