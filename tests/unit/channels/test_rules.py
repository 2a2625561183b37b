"""Customer metadata, Graph error classification and the messaging windows."""
from __future__ import annotations

import pytest

from bot.channels.config import MessengerConfig, WhatsAppConfig
from bot.channels.customer import calling_code, messenger_metadata, whatsapp_metadata
from bot.channels.errors import GraphError, Outcome, classify
from bot.channels.inbound import InboundMessage
from bot.channels.window import Permission, messenger_agent_permission, whatsapp_agent_permission
from bot.languages import hint_from_metadata

HOUR = 3600


@pytest.mark.parametrize("wa_id, code, language", [
    ("306912345678", "30", "el"), ("48501234567", "48", "pl"), ("381641234567", "381", "sr"),
    ("385911234567", "385", "hr"), ("4791234567", "47", "nb"), ("4520123456", "45", "da"),
    ("447700900123", "44", "en"), ("4915112345678", "49", None), ("12025550123", "1", "en"),
])
def test_whatsapp_numbers_give_the_calling_code_as_a_language_hint(wa_id, code, language):
    metadata = whatsapp_metadata(InboundMessage("whatsapp", wa_id, "wamid.1", None, "hi", profile_name="Ana Nowak"))
    assert metadata == {"channel": "whatsapp", "customer_name": "Ana Nowak", "first_name": "Ana",
                        "phone": f"+{wa_id}", "calling_code": code}
    assert hint_from_metadata(metadata) == language


def test_opaque_whatsapp_ids_and_emoji_names_give_no_phone_and_no_first_name():
    metadata = whatsapp_metadata(InboundMessage("whatsapp", "user.abc", "wamid.1", None, "", ("image",), "🌻"))
    assert metadata == {"channel": "whatsapp", "customer_name": "🌻", "media": ["image"]}
    assert calling_code("+12") is None and calling_code("306912345678") is None


def test_messenger_metadata_from_the_profile():
    message = InboundMessage("messenger", "psid", "m_1", None, "hei")
    profile = {"first_name": "Kari", "last_name": "Nordmann", "locale": "nb_NO"}
    metadata = messenger_metadata(message, profile)
    assert metadata == {"channel": "messenger", "customer_name": "Kari Nordmann", "first_name": "Kari",
                        "locale": "nb_NO"}
    assert hint_from_metadata(metadata) == "nb"
    assert messenger_metadata(message, None) == {"channel": "messenger"}


@pytest.mark.parametrize("status, body, outcome", [
    (200, {"message_id": "m"}, Outcome.SENT),
    (429, {"error": {"code": 130429}}, Outcome.RETRY),
    (400, {"error": {"code": 131056}}, Outcome.RETRY),  # pair rate limit comes back as 400
    (400, {"error": {"code": 613}}, Outcome.RETRY),
    (500, {}, Outcome.RETRY),
    (503, "not json", Outcome.RETRY),
    (400, {"error": {"code": 131047}}, Outcome.WINDOW_CLOSED),
    (400, {"error": {"code": 10, "error_subcode": 2018278}}, Outcome.WINDOW_CLOSED),
    (400, {"error": {"code": 10}}, Outcome.FAILED),  # permission
    (401, {"error": {"code": 190}}, Outcome.FAILED),  # token expired
    (400, {"error": {"code": 131026}}, Outcome.FAILED),
])
def test_graph_errors_are_classified_by_code_first(status, body, outcome):
    assert classify(GraphError.from_response(status, body)) is outcome


def test_messenger_agent_replies_use_the_human_agent_tag_between_one_and_seven_days():
    now = 1_000_000_000.0
    assert messenger_agent_permission(now - 23 * HOUR, now) is Permission.MESSAGE
    assert messenger_agent_permission(now - 25 * HOUR, now) is Permission.HUMAN_AGENT_TAG
    assert messenger_agent_permission(now - 7 * 24 * HOUR + 60, now) is Permission.HUMAN_AGENT_TAG
    assert messenger_agent_permission(now - 8 * 24 * HOUR, now) is Permission.CLOSED
    assert messenger_agent_permission(None, now) is Permission.CLOSED


def test_whatsapp_agent_replies_after_a_day_need_the_template():
    now = 1_000_000_000.0
    assert whatsapp_agent_permission(now - HOUR, now, has_template=False) is Permission.MESSAGE
    assert whatsapp_agent_permission(now - 25 * HOUR, now, has_template=True) is Permission.TEMPLATE
    assert whatsapp_agent_permission(now - 25 * HOUR, now, has_template=False) is Permission.CLOSED


def test_credentials_name_the_variables_and_unset_ones_leave_the_channel_off():
    credentials = {"page_access_token_env": "MY_TOKEN", "app_secret_env": "MY_SECRET"}
    configured = MessengerConfig.from_credentials(credentials, {"MY_TOKEN": "t", "MY_SECRET": "s"})
    assert (configured.page_access_token, configured.app_secret, configured.can_send) == ("t", "s", True)
    assert not MessengerConfig.from_credentials(credentials, {}).can_send
    whatsapp = WhatsAppConfig.from_credentials({"template_languages": {"en": "en_GB"}},
                                               {"WHATSAPP_ACCESS_TOKEN": "a", "WHATSAPP_PHONE_NUMBER_ID": "1"})
    assert whatsapp.can_send
    assert (whatsapp.template_language("en"), whatsapp.template_language("el")) == ("en_GB", "el")
