"""A Rasa bot message (text, buttons, quick replies, image, custom) as the messages Messenger and WhatsApp accept:
text split at the channel's limit, buttons as Messenger quick replies or WhatsApp reply buttons or a list."""
from __future__ import annotations

import logging
from typing import Any, Mapping

from bot.channels.splitting import MESSENGER_TEXT_LIMIT, WHATSAPP_TEXT_LIMIT, chunk_limit, split_text

logger = logging.getLogger(__name__)

MESSENGER_QUICK_REPLIES = 13
MESSENGER_QUICK_REPLY_TITLE = 20
MESSENGER_PAYLOAD = 1000
WHATSAPP_REPLY_BUTTONS = 3
WHATSAPP_BUTTON_TITLE = 20
WHATSAPP_LIST_ROWS = 10
WHATSAPP_ROW_TITLE = 24
WHATSAPP_ROW_DESCRIPTION = 72
WHATSAPP_ROW_ID = 200  # reply-button ids may be 256; payloads must fit both forms
WHATSAPP_LIST_LABEL = 20
WHATSAPP_INTERACTIVE_BODY = 1024
NO_TEXT = "…"  # both platforms need some text above buttons


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def choices(message: Mapping[str, Any], id_limit: int) -> list[tuple[str, str]]:
    """(title, payload) of the message's quick replies or buttons that a chat platform can carry."""
    usable = []
    for button in message.get("quick_replies") or message.get("buttons") or []:
        title, payload = (button.get("title"), button.get("payload")) if isinstance(button, dict) else (None, None)
        if isinstance(title, str) and title.strip() and isinstance(payload, str) and 0 < len(payload) <= id_limit:
            usable.append((title, payload))
        else:
            logger.warning("A button without a title or with a payload over %d characters was left out", id_limit)
    return usable


def _text(message: Mapping[str, Any]) -> str:
    text = message.get("text")
    return text if isinstance(text, str) else ""


def _capped(items: list, limit: int, what: str) -> list:
    if len(items) > limit:
        logger.warning("%d %s, the channel shows at most %d: the rest are left out", len(items), what, limit)
    return items[:limit]


def _with_body(chunks: list[str], body_limit: int) -> tuple[list[str], str]:
    """Text chunks sent before the buttons, and the last piece that carries them."""
    if not chunks:
        return [], NO_TEXT
    tail = split_text(chunks[-1], chunk_limit(body_limit))
    return chunks[:-1] + tail[:-1], tail[-1]


# ---- Messenger --------------------------------------------------------------------------------------------------
def messenger_messages(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The `message` objects of the Send API requests for one bot message, in order."""
    chunks = split_text(_text(message), chunk_limit(MESSENGER_TEXT_LIMIT))
    buttons = _capped(choices(message, MESSENGER_PAYLOAD), MESSENGER_QUICK_REPLIES, "quick replies")
    out: list[dict[str, Any]] = [{"text": chunk} for chunk in chunks]
    if buttons:
        if not out:
            out.append({"text": NO_TEXT})
        out[-1]["quick_replies"] = [
            {"content_type": "text", "title": shorten(title, MESSENGER_QUICK_REPLY_TITLE), "payload": payload}
            for title, payload in buttons
        ]
    image = message.get("image")
    if isinstance(image, str) and image:
        out.append({"attachment": {"type": "image", "payload": {"url": image, "is_reusable": True}}})
    custom = message.get("custom")
    if isinstance(custom, dict) and custom:
        out.append(custom)
    return out


# ---- WhatsApp ---------------------------------------------------------------------------------------------------
def whatsapp_text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"preview_url": False, "body": body}}


def _reply_buttons(body: str, buttons: list[tuple[str, str]]) -> dict[str, Any]:
    return {"type": "interactive", "interactive": {
        "type": "button",
        "body": {"text": body},
        "action": {"buttons": [
            {"type": "reply", "reply": {"id": payload, "title": shorten(title, WHATSAPP_BUTTON_TITLE)}}
            for title, payload in buttons
        ]},
    }}


def _row(title: str, payload: str) -> dict[str, str]:
    row = {"id": payload, "title": shorten(title, WHATSAPP_ROW_TITLE)}
    if row["title"] != " ".join(title.split()):
        row["description"] = shorten(title, WHATSAPP_ROW_DESCRIPTION)
    return row


def _list(body: str, buttons: list[tuple[str, str]]) -> dict[str, Any]:
    label = shorten(" · ".join(title for title, _ in buttons), WHATSAPP_LIST_LABEL)  # in the customer's language
    return {"type": "interactive", "interactive": {
        "type": "list",
        "body": {"text": body},
        "action": {"button": label, "sections": [{"rows": [_row(title, payload) for title, payload in buttons]}]},
    }}


def _fits_reply_buttons(buttons: list[tuple[str, str]]) -> bool:
    titles = [shorten(title, WHATSAPP_BUTTON_TITLE) for title, _ in buttons]
    return len(buttons) <= WHATSAPP_REPLY_BUTTONS and len(set(titles)) == len(titles)


def whatsapp_messages(message: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Message bodies (without `messaging_product` and `to`) for one bot message, in order."""
    chunks = split_text(_text(message), chunk_limit(WHATSAPP_TEXT_LIMIT))
    buttons = choices(message, WHATSAPP_ROW_ID)
    out: list[dict[str, Any]]
    if buttons:
        before, body = _with_body(chunks, WHATSAPP_INTERACTIVE_BODY)
        out = [whatsapp_text(chunk) for chunk in before]
        if _fits_reply_buttons(buttons):
            out.append(_reply_buttons(body, buttons))
        else:
            out.append(_list(body, _capped(buttons, WHATSAPP_LIST_ROWS, "list rows")))
    else:
        out = [whatsapp_text(chunk) for chunk in chunks]
    image = message.get("image")
    if isinstance(image, str) and image:
        out.append({"type": "image", "image": {"link": image}})
    custom = message.get("custom")
    if isinstance(custom, dict) and custom:
        out.append(custom)
    return out


def whatsapp_template(name: str, language_code: str, text: str) -> dict[str, Any]:
    """A template message whose one body parameter carries `text` (templates allow no line breaks there)."""
    parameter = " ".join(text.split())[:WHATSAPP_INTERACTIVE_BODY]
    return {"type": "template", "template": {
        "name": name, "language": {"code": language_code},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": parameter}]}],
    }}
