"""WhatsApp Cloud API webhooks (`object: "whatsapp_business_account"`): `messages`, `statuses` and `errors`.

Who wrote: `from` (a phone number) or, for customers who use a username and hide their number, only the
business-scoped user id `from_user_id` (`contacts[].user_id`). The reply goes to the id Meta gives (the phone
number when there is one, so existing conversations keep their id); the phone, the user id and the username are
kept in the metadata when present.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from bot.channels.events import (_WHATSAPP_MEDIA, _WHATSAPP_NOTICES, Inbound, InboundMessage, Notice, _dict, _id,
                                 _list, _payload, _referral, _seconds, _short, neutralise)


def whatsapp(payload: Any) -> Inbound:
    result = Inbound()
    if _dict(payload).get("object") != "whatsapp_business_account":
        return result
    for entry in map(_dict, _list(payload.get("entry"))):
        for change in map(_dict, _list(entry.get("changes"))):
            if change.get("field") != "messages":
                result.notices.append(Notice("other"))
                continue
            _value(_dict(change.get("value")), result)
    return result


def _error_code(item: Any) -> Optional[int]:
    errors = _list(_dict(item).get("errors"))
    code = _dict(errors[0]).get("code") if errors else _dict(item).get("code")
    return code if isinstance(code, int) and not isinstance(code, bool) else None


def _contacts(value: dict) -> dict[str, dict[str, str]]:
    """Each contact by its phone number and by its user id: name, username, phone, user id."""
    found: dict[str, dict[str, str]] = {}
    for contact in map(_dict, _list(value.get("contacts"))):
        profile = _dict(contact.get("profile"))
        known = {"name": _short(profile.get("name"), 100), "username": _short(profile.get("username"), 100),
                 "phone": _id(contact.get("wa_id")), "user_id": _id(contact.get("user_id"))}
        for key in (known["phone"], known["user_id"]):
            if key:
                found[key] = known
    return found


def _value(value: dict, result: Inbound) -> None:
    number_id = _id(_dict(value.get("metadata")).get("phone_number_id"))
    contacts = _contacts(value)
    for status in map(_dict, _list(value.get("statuses"))):
        result.notices.append(Notice(f"status:{_id(status.get('status')) or 'unknown'}", _error_code(status)))
    for error in _list(value.get("errors")):
        result.notices.append(Notice("error", _error_code({"errors": [error]}), warn=True,
                                     detail=_short(_dict(error).get("title"), 100)))
    for message in map(_dict, _list(value.get("messages"))):
        kind = _id(message.get("type"))
        if message.get("group_id") is not None:
            result.notices.append(Notice("group message", warn=True, detail=(
                f"group {_id(message.get('group_id'))}, {kind or 'untyped'} message {_id(message.get('id'))}: "
                "groups are not answered")))
            continue
        if kind in _WHATSAPP_NOTICES:
            system = _short(_dict(message.get("system")).get("type"), 40)
            result.notices.append(Notice(kind, warn=True, detail=system))
            continue
        code = _error_code(message)
        if code is not None:
            result.notices.append(Notice(f"{kind or 'message'} error", code, warn=True,
                                         detail=_short(_dict(_list(message.get("errors"))[0]).get("title"), 100)))
        inbound = _message(message, kind, number_id, contacts, result)
        if inbound is None:
            result.notices.append(Notice("unusable", warn=True, detail=f"{kind or 'untyped'} message"))
        else:
            result.messages.append(inbound)


def _message(message: dict, kind: str, number_id: str, contacts: dict[str, dict[str, str]], result: Inbound
             ) -> Optional[InboundMessage]:
    phone, user_id = _id(message.get("from")), _id(message.get("from_user_id"))
    sender, mid = phone or user_id, _id(message.get("id"))
    if not sender or not mid:
        return None
    contact = contacts.get(phone) or contacts.get(user_id) or {}
    details: dict[str, Any] = {key: value for key, value in (
        ("phone_number", phone or contact.get("phone", "")), ("whatsapp_user_id", user_id or contact.get("user_id")),
        ("username", contact.get("username"))) if value}
    if referral := _referral(message.get("referral")):
        details["referral"] = referral
    event, text, media = "", "", ()
    if kind == "edit":
        edit = _dict(message.get("edit"))
        event, text = "edit", _edited_text(_dict(edit.get("message")))
        details.update(edited=True, original_message_id=_id(edit.get("original_message_id")))
    elif kind == "revoke":
        event = "deleted"
        details["deleted_message_id"] = _id(_dict(message.get("revoke")).get("original_message_id"))
    elif kind == "reaction":
        reaction = _dict(message.get("reaction"))
        event = "reaction"
        details.update(reaction=_short(reaction.get("emoji"), 20), reacted_to=_id(reaction.get("message_id")))
    elif kind == "order":
        event = "handoff"
        details["handoff_context"] = _order(_dict(message.get("order")))
    elif kind == "interactive" and _dict(message.get("interactive")).get("type") == "nfm_reply":
        event = "handoff"
        details["handoff_context"] = _flow_reply(_dict(_dict(message.get("interactive")).get("nfm_reply")))
    else:
        text, media = _content(message, kind, result)
    if not event and not text and not media:
        return None
    return InboundMessage("whatsapp", sender, mid, _seconds(message.get("timestamp")), text, media,
                          contact.get("name", ""), number_id, event, details)


def _content(message: dict, kind: str, result: Inbound) -> tuple[str, tuple[str, ...]]:
    """Text for Rasa, or the kind of media it cannot read."""
    if kind == "text":
        return neutralise(_dict(message.get("text")).get("body")), ()
    if kind == "interactive":
        interactive = _dict(message.get("interactive"))
        reply = _dict(interactive.get("button_reply")) or _dict(interactive.get("list_reply"))
        text = _payload(reply.get("id"))
        return (text, ()) if text else ("", ("unsupported",))
    if kind == "button":
        button = _dict(message.get("button"))
        return _payload(button.get("payload")) or neutralise(button.get("text")), ()
    if kind in _WHATSAPP_MEDIA:
        return "", (_WHATSAPP_MEDIA[kind],)
    if kind != "unsupported":
        result.notices.append(Notice("unknown message type", warn=True, detail=kind or "no type"))
    return "", ("unsupported",)


def _edited_text(edited: dict) -> str:
    """The text after an edit: a text body, or the new caption of a photo, video or document."""
    kind = _id(edited.get("type"))
    if kind == "text":
        return neutralise(_dict(edited.get("text")).get("body"))
    return neutralise(_dict(edited.get(kind)).get("caption")) if kind else ""


def _order(order: dict) -> dict[str, str]:
    """A catalogue order as a person reads it on the ticket."""
    items = [f"{_short(_dict(item).get('quantity'), 6) or '?'} × {_short(_dict(item).get('product_retailer_id'), 80)}"
             f" ({_short(_dict(item).get('item_price'), 12)} {_short(_dict(item).get('currency'), 3)})"
             for item in _list(order.get("product_items"))[:30]]
    context = {"catalogue order": "; ".join(items) or "(no items)", "catalogue": _short(order.get("catalog_id"), 40)}
    if note := _short(order.get("text")):
        context["customer note"] = note
    return {key: value for key, value in context.items() if value}


def _flow_reply(reply: dict) -> dict[str, str]:
    """A WhatsApp Flow's answers (`response_json`), without the flow token."""
    try:
        answers = json.loads(reply.get("response_json") or "{}")
    except (TypeError, ValueError):
        answers = {}
    fields = {f"flow {key}": _short(value, 200) for key, value in _dict(answers).items()
              if key != "flow_token" and _short(value, 200)}
    return {"flow": _short(reply.get("name"), 60) or "flow", **dict(list(fields.items())[:20])}
