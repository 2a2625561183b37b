"""Messenger Platform webhooks (`object: "page"`): every `entry[].messaging[]` event as a message or a notice."""
from __future__ import annotations

from typing import Any, Optional

from bot.channels.events import (_MESSENGER_MEDIA, Inbound, InboundMessage, Notice, _derived_id, _dict, _id, _list,
                                 _payload, _referral, _seconds, _short, _unique, neutralise)

# Events Meta documents that carry nothing to answer: recorded quietly.
_RECEIPTS = ("delivery", "read")
# Documented events the bot does not act on: recorded with a warning naming them.
_NOT_HANDLED = ("optin", "account_linking", "pass_thread_control", "take_thread_control", "request_thread_control",
                "app_roles", "policy-enforcement", "policy_enforcement", "game_play", "payment", "checkout_update",
                "pre_checkout", "response_feedback")


def messenger(payload: Any) -> Inbound:
    result = Inbound()
    if _dict(payload).get("object") != "page":
        return result
    for entry in map(_dict, _list(payload.get("entry"))):
        for event in map(_dict, _list(entry.get("messaging"))):
            _event(event, _id(entry.get("id")), result)
        result.notices.extend(Notice("standby") for _ in _list(entry.get("standby")))
    return result


def _event(event: dict, page_id: str, result: Inbound) -> None:
    sender = _id(_dict(event.get("sender")).get("id"))
    timestamp = _seconds(event.get("timestamp"))
    message = event.get("message")
    if isinstance(message, dict) and message.get("is_echo"):
        result.notices.append(Notice("echo"))
        return
    if isinstance(message, dict):
        inbound = _message(message, sender, timestamp, page_id)
        unknown = {str(_dict(a).get("type")) for a in _list(message.get("attachments"))} - set(_MESSENGER_MEDIA)
        if unknown:
            result.notices.append(Notice("unknown attachment type", warn=True, detail=", ".join(sorted(unknown))))
    elif isinstance(event.get("postback"), dict):
        inbound = _postback(event["postback"], sender, timestamp, page_id)
    elif isinstance(event.get("message_edit"), dict):
        inbound = _edit(event["message_edit"], sender, timestamp, page_id)
    elif isinstance(event.get("reaction"), dict):
        inbound = _reaction(event["reaction"], sender, timestamp, page_id)
    elif isinstance(event.get("referral"), dict):
        referral = _referral(event["referral"])
        # A referral before the customer writes (m.me link, ad, chat plugin): kept for their next message.
        if sender:
            result.referrals[sender] = referral
        result.notices.append(Notice("referral", detail=", ".join(f"{k}={v}" for k, v in referral.items())))
        return
    else:
        kind = next((k for k in _RECEIPTS if k in event), "")
        if kind:
            result.notices.append(Notice(kind))
        else:
            known = next((k for k in _NOT_HANDLED if k in event), "")
            other = [key for key in event if key not in ("sender", "recipient", "timestamp")]
            result.notices.append(Notice(known or "unknown event", warn=True,
                                         detail=known or ", ".join(map(str, other))[:100]))
        return
    if inbound is None:
        result.notices.append(Notice("unusable", warn=True, detail="no sender, id or content"))
    else:
        result.messages.append(inbound)


def _message(message: dict, sender: str, timestamp: Optional[float], page_id: str) -> Optional[InboundMessage]:
    mid = _id(message.get("mid"))
    if not sender or not mid:
        return None
    quick_reply = _payload(_dict(message.get("quick_reply")).get("payload"))
    text = quick_reply or neutralise(message.get("text"))
    media: tuple[str, ...] = ()
    if not text:
        attachments = map(_dict, _list(message.get("attachments")))
        kinds = [_MESSENGER_MEDIA.get(str(attachment.get("type")), "unsupported") for attachment in attachments]
        media = ("sticker",) if message.get("sticker_id") else _unique(kinds)
    if not text and not media:
        return None
    details: dict[str, Any] = {}
    if referral := _referral(message.get("referral")):
        details["referral"] = referral
    if replied := _id(_dict(message.get("reply_to")).get("mid")):
        details["reply_to"] = replied
    return InboundMessage("messenger", sender, mid, timestamp, text, media, business_id=page_id, details=details)


def _postback(postback: dict, sender: str, timestamp: Optional[float], page_id: str) -> Optional[InboundMessage]:
    payload = _payload(postback.get("payload"))
    if not sender or not payload:
        return None
    mid = _id(postback.get("mid")) or _derived_id("postback", sender, timestamp, payload)
    referral = _referral(postback.get("referral"))
    return InboundMessage("messenger", sender, mid, timestamp, payload, business_id=page_id,
                          details={"referral": referral} if referral else {})


def _edit(edit: dict, sender: str, timestamp: Optional[float], page_id: str) -> Optional[InboundMessage]:
    """`message_edits`: the new text is what the customer says now; the edit number keeps each edit apart."""
    original, text = _id(edit.get("mid")), neutralise(edit.get("text"))
    if not sender or not original or not text:
        return None
    mid = f"{original}#edit{_id(edit.get('num_edit')) or _derived_id('e', text)}"
    return InboundMessage("messenger", sender, mid, timestamp, text, business_id=page_id, event="edit",
                          details={"edited": True, "original_message_id": original})


def _reaction(reaction: dict, sender: str, timestamp: Optional[float], page_id: str) -> Optional[InboundMessage]:
    """`message_reactions`: shown to the agent, never answered."""
    target, action = _id(reaction.get("mid")), _short(reaction.get("action"), 20) or "react"
    emoji = _short(reaction.get("emoji"), 20) or _short(reaction.get("reaction"), 20)
    if not sender or not target:
        return None
    return InboundMessage("messenger", sender, _derived_id("reaction", sender, target, action, emoji, timestamp),
                          timestamp, business_id=page_id, event="reaction",
                          details={"reaction": emoji if action == "react" else "", "reacted_to": target})
