"""Webhook payloads as customer messages: what the bot reads, what is only recorded, and that nothing breaks it."""
from __future__ import annotations

from hypothesis import given, settings

from bot.channels import inbound
from bot.channels.inbound import MEDIA_TEXT, neutralise
from tests.fakes.graph_api import ANY_JSON, META_SHAPED_JSON, MetaWebhooks

WEBHOOKS = MetaWebhooks("secret", "106540352242922")


def test_messenger_text_quick_reply_and_postback():
    payload = WEBHOOKS.messenger_text("psid-1", "hvor er pakken min?", mid="m_1")
    payload["entry"].append({"id": "PAGE_ID", "time": 1, "messaging": [
        {"sender": {"id": "psid-1"}, "recipient": {"id": "PAGE_ID"}, "timestamp": 1458692752478,
         "message": {"mid": "m_2", "text": "Ja takk", "quick_reply": {"payload": "/affirm"}}},
        {"sender": {"id": "psid-2"}, "recipient": {"id": "PAGE_ID"}, "timestamp": 1527459824,
         "postback": {"title": "Get started", "payload": "/greet"}},
    ]})
    messages = inbound.messenger(payload).messages
    assert [(m.sender_id, m.rasa_text) for m in messages] == [
        ("psid-1", "hvor er pakken min?"), ("psid-1", "/affirm"), ("psid-2", "/greet")]
    assert messages[1].timestamp == 1458692752.478 and messages[2].timestamp == 1527459824
    assert messages[2].message_id.startswith("postback-")  # no mid: derived, stable for a redelivery
    assert inbound.messenger(payload).messages[2].message_id == messages[2].message_id


def test_messenger_echo_delivery_and_read_are_recorded_not_answered():
    events = [
        {"sender": {"id": "PAGE_ID"}, "recipient": {"id": "psid"},
         "message": {"is_echo": True, "app_id": 1, "mid": "m_echo", "text": "our own reply"}},
        {"sender": {"id": "psid"}, "recipient": {"id": "PAGE_ID"}, "delivery": {"mids": ["m_1"], "watermark": 1}},
        {"sender": {"id": "psid"}, "recipient": {"id": "PAGE_ID"}, "timestamp": 2, "read": {"watermark": 1}},
    ]
    parsed = inbound.messenger({"object": "page", "entry": [{"id": "PAGE_ID", "messaging": events,
                                                              "standby": [{"sender": {"id": "x"}}]}]})
    assert parsed.messages == []
    assert [n.kind for n in parsed.notices] == ["echo", "delivery", "read", "standby"]


def test_messenger_attachments_are_media_and_a_sticker_is_not_also_an_image():
    def attachments(*kinds: str, **extra) -> list:
        message = {"mid": "m_a", "attachments": [{"type": k, "payload": {"url": "https://x"}} for k in kinds], **extra}
        return inbound.messenger(WEBHOOKS.messenger("psid", {"message": message})).messages

    assert attachments("image")[0].media == ("image",)
    assert attachments("image", "sticker")[0].media == ("sticker",)
    assert attachments("image", sticker_id=369239263222822)[0].media == ("sticker",)
    assert attachments("audio", "file", "location", "reel")[0].media == ("audio", "file", "location", "video")
    assert attachments("appointment_booking", "hologram")[0].media == ("unsupported",)
    message = {"mid": "m_h", "attachments": [{"type": "hologram", "payload": {}}]}
    notices = inbound.messenger(WEBHOOKS.messenger("psid", {"message": message})).notices
    assert [(n.kind, n.warn, n.detail) for n in notices] == [("unknown attachment type", True, "hologram")]
    assert attachments("video")[0].rasa_text == MEDIA_TEXT


def test_whatsapp_text_buttons_lists_and_template_buttons():
    number = WEBHOOKS.phone_number_id
    messages = [
        {"type": "text", "text": {"body": "Γεια σας"}},
        {"type": "interactive", "interactive": {"type": "button_reply",
                                                "button_reply": {"id": "/affirm", "title": "Ναι"}}},
        {"type": "interactive", "interactive": {
            "type": "list_reply", "list_reply": {"id": '/rate_conversation{"rating": "5"}', "title": "5"}}},
        {"type": "button", "button": {"payload": "CONFIRM_ORDER_123", "text": "Yes, confirm"}},
        {"type": "button", "button": {"text": "/stop"}},
    ]
    parsed = [inbound.whatsapp(WEBHOOKS.whatsapp("306912345678", m, name="Νίκος")).messages[0] for m in messages]
    assert [m.rasa_text for m in parsed] == [
        "Γεια σας", "/affirm", '/rate_conversation{"rating": "5"}', "CONFIRM_ORDER_123", "stop"]
    assert {(m.sender_id, m.profile_name, m.business_id) for m in parsed} == {("306912345678", "Νίκος", number)}


def test_whatsapp_media_kinds():
    kinds = {"image": "image", "audio": "audio", "video": "video", "document": "file", "sticker": "sticker",
             "location": "location", "contacts": "contact", "unsupported": "unsupported", "hologram": "unsupported"}
    for kind, media in kinds.items():
        message = inbound.whatsapp(WEBHOOKS.whatsapp("4791234567", {"type": kind, kind: {"id": "1"}})).messages[0]
        assert (message.media, message.rasa_text) == ((media,), MEDIA_TEXT), kind


def test_whatsapp_statuses_and_errors_are_never_messages():
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "1"},
             "statuses": [{"id": "wamid.1", "status": "delivered", "timestamp": "1", "recipient_id": "1"},
                          {"id": "wamid.2", "status": "failed", "errors": [{"code": 131047}]}],
             "errors": [{"code": 130429, "title": "Rate limit hit"}]}
    payload = {"object": "whatsapp_business_account",
               "entry": [{"changes": [{"field": "messages", "value": value}, {"field": "account_update"}]}]}
    parsed = inbound.whatsapp(payload)
    assert parsed.messages == []
    assert [(n.kind, n.error_code) for n in parsed.notices] == [
        ("status:delivered", None), ("status:failed", 131047), ("error", 130429), ("other", None)]


def test_typed_text_cannot_trigger_an_intent_but_our_payloads_do():
    assert neutralise("/restart") == "restart"
    assert neutralise(' / /greet{"x": 1}') == 'greet{"x": 1}'
    assert neutralise("//") == ""
    assert neutralise("price 1/2") == "price 1/2"
    typed = inbound.whatsapp(WEBHOOKS.whatsapp("1234567", {"type": "text", "text": {"body": "/handoff"}}))
    assert typed.messages[0].rasa_text == "handoff"
    only_slash = inbound.messenger(WEBHOOKS.messenger_text("psid", "/"))
    assert only_slash.messages == [] and only_slash.notices[0].kind == "unusable"


def test_other_objects_are_ignored():
    assert inbound.messenger({"object": "instagram", "entry": []}).messages == []
    assert inbound.whatsapp({"object": "page"}).messages == []
    assert inbound.messenger([1, 2]).messages == [] and inbound.whatsapp("x").messages == []


@settings(max_examples=400, deadline=None)
@given(payload=ANY_JSON | META_SHAPED_JSON)
def test_any_json_is_read_without_an_error(payload):
    envelopes = ((inbound.messenger, "page"), (inbound.whatsapp, "whatsapp_business_account"))
    for parse, kind in envelopes:
        for parsed in (parse(payload), parse({"object": kind, "entry": [payload]})):
            for message in parsed.messages:
                assert message.sender_id and message.message_id and message.rasa_text.strip()
