import pytest

from bot import languages


def test_the_seven_supported_languages():
    assert languages.SUPPORTED == ("en", "el", "pl", "sr", "hr", "nb", "da")
    assert languages.LANGUAGES["sr"].scripts == ("Latn", "Cyrl")


@pytest.mark.parametrize(
    "locale, expected",
    [("nb_NO", "nb"), ("no_NO", "nb"), ("da_DK", "da"), ("sr-Cyrl-RS", "sr"), ("el_GR", "el"), ("en-US", "en"),
     ("pl", "pl"), ("de_DE", None), ("", None), (None, None), ("bs_BA", "hr"), ("cnr-ME", "sr"), ("nn_NO", "nb")],
)
def test_locale_hints(locale, expected):
    assert languages.language_from_locale(locale) == expected


@pytest.mark.parametrize(
    "phone, expected",
    [("+4791234567", "nb"), ("+45 20 12 34 56", "da"), ("+381641234567", "sr"), ("+385912345678", "hr"),
     ("+30 694 123 4567", "el"), ("0048601234567", "pl"), ("+447700900123", "en"), ("+4915112345678", None),
     ("91234567", None), (None, None)],
)
def test_phone_calling_code_hints(phone, expected):
    assert languages.language_from_phone(phone) == expected


def test_metadata_hint_prefers_locale_over_phone():
    assert languages.hint_from_metadata({"locale": "da_DK", "phone": "+4791234567"}) == "da"
    assert languages.hint_from_metadata({"phone": "+4791234567"}) == "nb"
    assert languages.hint_from_metadata({}) is None
