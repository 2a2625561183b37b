"""Webhook payloads written by others (an SDK's test data, Meta's documented shapes): what the bot reads from each,
and that nothing Meta documents is dropped without a warning (tests/fixtures/real/README.md names the sources)."""
from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bot.channels import inbound
from bot.channels.customer import messenger_metadata, whatsapp_metadata
from bot.channels.inbound import DELETED_TEXT, HANDOFF_TEXT, MEDIA_TEXT, REACTION_TEXT

REAL = Path(__file__).resolve().parents[2] / "fixtures/real"


def fixture(path: str) -> dict:
    return json.loads((REAL / path).read_text())


PYWA = fixture("whatsapp/pywa_message.json")
BOTTENDER = fixture("messenger/bottender_events.json")
HANDWRITTEN = fixture("whatsapp/handwritten_meta_docs.json")


def one(payload: dict) -> inbound.InboundMessage:
    parsed = inbound.whatsapp(payload)
    assert len(parsed.messages) == 1, parsed
    return parsed.messages[0]


def page(*events: dict) -> dict:
    return {"object": "page", "entry": [{"id": "404217156637689", "time": 1, "messaging": list(events)}]}


# ---- WhatsApp ------------------------------------------------------------------------------------------------
def test_text_with_the_business_scoped_user_id_keeps_the_phone():
    message = one(PYWA["text"])
    assert (message.sender_id, message.rasa_text, message.profile_name) == ("972987654321", "Body Text", "Test Name")
    assert whatsapp_metadata(message) == {"channel": "whatsapp", "customer_name": "Test Name", "first_name": "Test",
                                          "phone": "+972987654321", "calling_code": "972",
                                          "whatsapp_user_id": "US.13491208655302741918"}


def test_a_username_only_customer_is_answered_at_the_id_meta_gives():
    message = one(HANDWRITTEN["username_only_text"])
    assert message.sender_id == "PL.13491208655302741918"
    assert message.rasa_text == "Jakie formy płatności akceptujecie?"
    assert whatsapp_metadata(message) == {"channel": "whatsapp", "customer_name": "Marta", "first_name": "Marta",
                                          "whatsapp_user_id": "PL.13491208655302741918", "username": "marta.k"}


@pytest.mark.parametrize("name", ["image", "media_with_url", "video", "document", "audio", "voice",
                                  "static_sticker", "animated_sticker", "current_location", "chosen_location",
                                  "contacts"])
def test_media_gets_the_media_answer(name):
    message = one(PYWA[name])
    assert message.rasa_text == MEDIA_TEXT and message.media and message.answered


@pytest.mark.parametrize("name, emoji", [("reaction", "😮"), ("unreaction_empty", ""), ("unreaction_no_emoji", "")])
def test_reactions_are_shown_to_the_agent_and_not_answered(name, emoji):
    message = one(PYWA[name])
    assert (message.rasa_text, message.answered) == (REACTION_TEXT, False)
    assert whatsapp_metadata(message)["reaction"] == emoji if emoji else "reaction" not in whatsapp_metadata(message)
    assert whatsapp_metadata(message)["reacted_to"] == "wamid.yzxyzx="


def test_a_deleted_message_is_noted_and_not_answered():
    message = one(fixture("whatsapp/pywa_deleted_message.json")["revoke"])
    assert (message.rasa_text, message.answered, message.event) == (DELETED_TEXT, False, "deleted")
    assert whatsapp_metadata(message)["deleted_message_id"] == "<ORIGINAL_WHATSAPP_MESSAGE_ID>"


def test_an_edit_is_the_new_text_marked_as_an_edit():
    image = one(fixture("whatsapp/pywa_edited_message.json")["image"])
    assert image.rasa_text == "Updated image caption" and image.event == "edit"
    text = one(HANDWRITTEN["edited_text"])
    assert text.rasa_text == "Which payment methods do you take?"
    metadata = whatsapp_metadata(text)
    assert metadata["edited"] is True and metadata["event"] == "edit"
    assert metadata["original_message_id"] == "wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA="


def test_a_catalogue_order_goes_to_a_person_with_its_items_on_the_ticket():
    message = one(PYWA["order"])
    assert message.rasa_text == HANDOFF_TEXT
    assert message.details["handoff_context"] == {
        "catalogue order": "3 × HAMBURGER (30 ILS); 2 × FRENCH_FRIES (35 ILS); 2 × SODA (10 ILS)",
        "catalogue": "354160437058781"}


def test_a_flow_reply_goes_to_a_person_with_the_answers_but_not_the_token():
    message = one(fixture("whatsapp/pywa_flow_completion.json")["completion"])
    context = message.details["handoff_context"]
    assert message.rasa_text == HANDOFF_TEXT and context["flow"] == "flow"
    assert context["flow comment_text"] == "Comment Text" and context["flow delivery_rating"] == "4"
    assert not any("flow_token" in key for key in context)


def test_an_ad_referral_is_kept_as_context():
    message = one(PYWA["referral"])
    assert message.rasa_text == "BODY"
    assert whatsapp_metadata(message)["referral"] == {
        "source_type": "ad or post", "source_id": "ADID", "source_url": "AD_OR_POST_FB_URL", "headline": "AD_TITLE",
        "body": "AD_DESCRIPTION", "ctwa_clid": "CTWA_CLID"}


@pytest.mark.parametrize("name", ["unsupported", "unsupported_with_type"])
def test_unsupported_is_answered_and_logged_with_its_code(name, caplog):
    parsed = inbound.whatsapp(PYWA[name])
    assert parsed.messages[0].rasa_text == MEDIA_TEXT
    with caplog.at_level(logging.WARNING):
        inbound.log_notices("whatsapp", parsed.notices, logging.getLogger("test"))
    assert "error code 131051" in caplog.text


def test_an_unknown_type_is_answered_politely_and_named_in_a_warning(caplog):
    payload = json.loads(json.dumps(PYWA["text"]))
    payload["entry"][0]["changes"][0]["value"]["messages"][0].update(type="hologram", hologram={"id": "1"})
    parsed = inbound.whatsapp(payload)
    assert parsed.messages[0].rasa_text == MEDIA_TEXT  # "I can only read text ... or ask for a person"
    with caplog.at_level(logging.WARNING):
        inbound.log_notices("whatsapp", parsed.notices, logging.getLogger("test"))
    assert "unknown message type not answered: hologram" in caplog.text


def test_a_group_message_is_not_answered_and_says_so_in_a_warning(caplog):
    parsed = inbound.whatsapp(HANDWRITTEN["group_text"])
    assert parsed.messages == []
    with caplog.at_level(logging.WARNING):
        inbound.log_notices("whatsapp", parsed.notices, logging.getLogger("test"))
    assert "group message not answered: group 120363025246125486@g.us" in caplog.text
    assert "16505551234" not in caplog.text  # no phone numbers in logs


@pytest.mark.parametrize("name", ["phone_number_change", "identity_change"])
def test_system_messages_are_warned_about(name, caplog):
    parsed = inbound.whatsapp(fixture("whatsapp/pywa_system.json")[name])
    assert parsed.messages == [] and parsed.notices[0].warn and parsed.notices[0].kind == "system"


def test_template_quick_reply_with_the_user_id():
    message = one(fixture("whatsapp/pywa_callback_button.json")["quick_reply_without_context"])
    assert (message.sender_id, message.rasa_text) == ("972987654321", "callback_data")


def test_every_payload_of_the_sdk_is_a_message_or_a_notice():
    """Nothing in the SDK's whole collection of real updates disappears without a message or a notice."""
    for name in ("message", "deleted_message", "edited_message", "flow_completion", "system", "message_status",
                 "callback_button"):
        for key, payload in fixture(f"whatsapp/pywa_{name}.json").items():
            value = payload["entry"][0]["changes"][0]["value"]
            parsed = inbound.whatsapp(payload)
            items = len(value.get("messages", [])) + len(value.get("statuses", [])) + len(value.get("errors", []))
            assert len(parsed.messages) + len(parsed.notices) >= items, (name, key)


# ---- Messenger -----------------------------------------------------------------------------------------------
def test_messenger_messages_of_the_sdk():
    parsed = inbound.messenger(page(BOTTENDER["textMessage"], BOTTENDER["imageMessage"],
                                    BOTTENDER["locationMessage"], BOTTENDER["fallbackMessage"],
                                    BOTTENDER["textMessageFromCustomerChatPlugin"], BOTTENDER["postback"]))
    assert [(m.sender_id, m.rasa_text, m.media) for m in parsed.messages] == [
        ("1423587017700273", "Sharp tools make good work.", ()), ("1423587017700273", MEDIA_TEXT, ("image",)),
        ("1423587017700273", MEDIA_TEXT, ("location",)), ("1423587017700273", MEDIA_TEXT, ("link",)),
        ("1423587017700273", "Sharp tools make good work.", ()), ("1423587017700273", "USER_DEFINED_PAYLOAD", ())]
    assert parsed.messages[0].timestamp == 1491796363.181


def test_messenger_reactions_are_not_answered():
    parsed = inbound.messenger(page(BOTTENDER["reactionReact"], BOTTENDER["reactionUnreact"]))
    react, unreact = parsed.messages
    assert (react.rasa_text, react.answered, unreact.answered) == (REACTION_TEXT, False, False)
    assert messenger_metadata(react, {})["reaction"] == "\u2764\ufe0f" and "reaction" not in unreact.details or \
        unreact.details["reaction"] == ""
    assert react.message_id != unreact.message_id


def test_messenger_referrals_are_context():
    parsed = inbound.messenger(page(BOTTENDER["postbackReferral"], BOTTENDER["linkReferral"]))
    assert parsed.messages[0].rasa_text == "__GET_STARTED__"
    assert parsed.messages[0].details["referral"] == {"ref": "aaaa", "source": "SHORTLINK", "type": "OPEN_THREAD"}
    # The link referral came on its own: kept for the customer's next message (logged at debug, nothing dropped).
    sender = BOTTENDER["linkReferral"]["sender"]["id"]
    assert parsed.referrals == {sender: {"ref": "aaaa", "source": "SHORTLINK", "type": "OPEN_THREAD"}}
    assert parsed.notices[0].kind == "referral" and "ref=aaaa" in parsed.notices[0].detail


async def test_a_referral_that_came_alone_is_attached_to_the_customers_next_message_once(redis):
    from bot.channels.referrals import PendingReferrals

    pending = PendingReferrals(redis)
    await pending.keep("messenger", "psid-1", {"ref": "winter-ad", "source": "ADS"})
    assert await pending.take("messenger", "psid-2") is None
    assert await pending.take("messenger", "psid-1") == {"ref": "winter-ad", "source": "ADS"}
    assert await pending.take("messenger", "psid-1") is None


def test_messenger_edit_is_the_new_text():
    edit = fixture("messenger/handwritten_meta_docs.json")["messageEdit"]
    message = inbound.messenger(page(edit)).messages[0]
    assert message.rasa_text == "Sharp tools make good work, always." and message.event == "edit"
    assert message.message_id == "mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl#edit1"
    assert messenger_metadata(message, {})["original_message_id"] == "mid.$cAAE1UUyiiwthh0NPrVbVf4HFNDGl"


def test_messenger_receipts_are_quiet_and_other_events_warned(caplog):
    parsed = inbound.messenger(page(BOTTENDER["delivery"], BOTTENDER["read"], BOTTENDER["optin"],
                                    BOTTENDER["policyEnforcement"]))
    assert parsed.messages == []
    assert [(n.kind, n.warn) for n in parsed.notices] == [
        ("delivery", False), ("read", False), ("optin", True), ("policy-enforcement", True)]


def test_statuses_of_our_messages_are_recorded_with_their_error_codes(caplog):
    statuses = fixture("whatsapp/pywa_message_status.json")
    kinds = {name: [(n.kind, n.error_code) for n in inbound.whatsapp(payload).notices]
             for name, payload in statuses.items()}
    assert kinds["delivered"] == [("status:delivered", None)] and kinds["played"] == [("status:played", None)]
    assert kinds["failed"] == [("status:failed", 130472)]  # a failed send: logged at warning with its code
    assert all(not inbound.whatsapp(payload).messages for payload in statuses.values())
    with caplog.at_level(logging.WARNING):
        inbound.log_notices("whatsapp", inbound.whatsapp(statuses["failed"]).notices, logging.getLogger("test"))
    assert "status:failed not answered (error code 130472)" in caplog.text


@pytest.mark.parametrize("name", ["button", "quick_reply", "quick_reply_without_context"])
def test_template_buttons_give_their_payload(name):
    message = one(fixture("whatsapp/pywa_callback_button.json")[name])
    assert (message.sender_id, message.rasa_text, message.answered) == ("972987654321", "callback_data", True)


def test_a_flow_reply_without_a_token_is_handed_over_the_same_way():
    message = one(fixture("whatsapp/pywa_flow_completion.json")["without_flow_token"])
    assert message.rasa_text == HANDOFF_TEXT and message.details["handoff_context"]["flow cs_rating"] == "0"
