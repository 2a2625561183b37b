import pytest
import yaml

from bot import languages
from bot.faq import payment_values, return_values, shipping_values
from bot.profile import ProfileError, load_profile


def test_project_profile_has_texts_for_every_language():
    profile = load_profile()
    assert profile.missing_texts() == []
    for code in languages.SUPPORTED:
        assert len(profile.texts(code)["weekdays"]) == 7


def test_a_language_without_texts_is_rejected(tmp_path, project_root):
    data = yaml.safe_load((project_root / "business.yml").read_text())
    del data["texts"]["da"]["payment"]["klarna"]
    path = tmp_path / "business.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ProfileError, match="da: payment.klarna"):
        load_profile(path)


def test_shipping_prices_follow_the_customers_market():
    profile = load_profile()
    norwegian = shipping_values(profile, "nb")
    assert "7,90" in norwegian["options"] and "Standard levering" in norwegian["options"]
    polish = shipping_values(profile, "pl")
    assert "3,90" in polish["options"] and "Dostawa standardowa" in polish["options"]
    assert shipping_values(profile, "en", country="NO")["options"].count("€") == 3


def test_payment_and_return_values_are_in_the_customers_language():
    profile = load_profile()
    assert "PayPal" in payment_values(profile, "el")["methods"]
    assert "Klarna" in payment_values(profile, "da")["methods"]
    values = return_values(profile, "hr")
    assert values["return_window_days"] == "30"
    assert values["non_returnable"] == profile.texts("hr")["returns"]["non_returnable"]
