"""The country a customer names, in every supported language, script and grammatical case; the channel's market."""
from __future__ import annotations

import pytest

from bot import countries

NAMED = [
    # English
    ("en", "how much is delivery to France?", "FR"), ("en", "and to Finland?", "FI"),
    ("en", "do you ship to the UK", "GB"),
    ("en", "delivery to Ireland", "IE"), ("en", "to Germany?", "DE"), ("en", "shipping to the netherlands", "NL"),
    # Greek, Greek cases and Greeklish
    ("el", "πόσο κοστίζει η αποστολή στη Γερμανία;", "DE"), ("el", "στέλνετε στην Κύπρο;", "CY"),
    ("el", "gia germania?", "DE"), ("el", "gia kypro", "CY"), ("el", "kai sthn italia?", "IT"),
    ("el", "στο Ηνωμένο Βασίλειο", "GB"), ("el", "αποστολή στην Ελλάδα", "GR"), ("el", "stelnete ollandia?", "NL"),
    # Polish: genitive after "do", accusative after "na", locative after "w"
    ("pl", "ile kosztuje wysyłka do Holandii?", "NL"), ("pl", "a do Słowacji?", "SK"), ("pl", "a na Węgry?", "HU"),
    ("pl", "dostawa w Niemczech", "DE"), ("pl", "do Czech", "CZ"), ("pl", "wysyłka na Cypr", "CY"),
    ("pl", "do Wielkiej Brytanii", "GB"), ("pl", "a do Włoch?", "IT"),
    # Serbian Latin and Cyrillic, Croatian
    ("sr", "a za Nemačku?", "DE"), ("sr", "da li šaljete u Sloveniju", "SI"), ("sr", "доставка за Немачку", "DE"),
    ("sr", "колико кошта слање у Аустрију", "AT"), ("sr", "dostava u Crnu Goru", "ME"), ("sr", "za Kipar", "CY"),
    ("hr", "dostava u Sloveniju", "SI"), ("hr", "a za Njemačku?", "DE"), ("hr", "šaljete li u Nizozemsku", "NL"),
    ("hr", "u Irsku?", "IE"),
    # Norwegian and Danish
    ("nb", "og til Sverige?", "SE"), ("nb", "hva koster frakt til Finland", "FI"), ("nb", "til Tyskland", "DE"),
    ("da", "og til Norge?", "NO"), ("da", "hvad koster fragt til Tyskland", "DE"), ("da", "til Holland?", "NL"),
]


@pytest.mark.parametrize(("language", "text", "country"), NAMED)
def test_a_country_in_any_language_and_case(language, text, country):
    assert countries.named_country(text, language) == country


def test_no_country_where_none_is_named():
    for language, text in [("sr", "mali paket"), ("el", "δεν μου αρέσει η τσάντα"), ("pl", "sweter za mały"),
                           ("en", "how much is delivery?"), ("en", "are you open on christmas"),
                           ("nb", "jeg vil ha en brun veske"), ("sr", "то је то за сад")]:
        assert countries.named_country(text, language) is None, text


def test_the_destination_wins_over_the_origin():
    assert countries.named_country("I live in Poland, do you ship to Germany?", "en") == "DE"
    assert countries.named_country("šaljete li iz Srbije u Hrvatsku", "sr") == "HR"


def test_names_and_lists_in_the_customers_language():
    assert countries.country_name("DE", "pl") == "Niemcy" and countries.country_name("DE", "el") == "Γερμανία"
    assert countries.country_name("DE", "sr") == "Nemačka" and countries.country_name("DE", "hr") == "Njemačka"
    assert countries.country_list(["SE", "DE", "AT"], "pl") == "Austria, Niemcy i Szwecja"
    assert countries.country_list(["SE", "DE", "AT"], "da") == "Sverige, Tyskland og Østrig"  # Ø after Z


def test_the_channel_gives_the_market():
    assert countries.channel_country({"phone": "+35799123456", "locale": "el_GR"}) == "CY"  # the phone wins
    assert countries.channel_country({"locale": "hr-HR"}) == "HR"
    assert countries.channel_country({"locale": "sr_Latn_RS"}) == "RS"
    assert countries.channel_country({"phone": "004791234567"}) == "NO"
    assert countries.channel_country({"phone": "+12025550123"}) is None  # +1 is several countries
    assert countries.channel_country({"locale": "da"}) is None and countries.channel_country(None) is None


def test_a_town_the_parcel_goes_to_gives_its_country():
    assert countries.named_country("koliko košta dostava do Zadra?", "hr") == "HR"
    assert countries.named_country("dostava za Čačak", "sr") == "RS"
    assert countries.named_country("hva koster frakt til Drammen?", "nb") == "NO"
    assert countries.named_country("πόσο κάνει η αποστολή στη Θεσσαλονίκη;", "el") == "GR"
    assert countries.named_country("do you deliver to Split?", "en") == "HR"
    assert countries.named_country("can I split the delivery?", "en") is None
    assert countries.named_country("I'd like to split the parcel", "en") is None
    assert countries.named_country("ile kosztuje wysyłka do Niemiec, mieszkam w Krakowie?", "pl") == "DE"
