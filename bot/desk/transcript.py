"""A conversation as the agent reads it: customer, bot and agent turns with times, and for each customer
message the language and intent the bot recognised."""
from __future__ import annotations

from typing import Any, Iterable, Optional

from bot.channels.inbound import DELETED_TEXT, HANDOFF_TEXT, MEDIA_TEXT, REACTION_TEXT

PAUSED, RESUMED = "pause", "resume"


def customer_text(event: dict[str, Any]) -> str:
    """What the customer sent; a photo, voice note or file shows as "[image]", "[audio]", "[file]"; a deleted
    message, a reaction, an edit and a catalogue order or Flow reply say so."""
    text = event.get("text") or ""
    metadata = event.get("metadata") or {}
    if text == DELETED_TEXT and metadata.get("event") == "deleted":
        return "[deleted a message]"
    if text == REACTION_TEXT and metadata.get("event") == "reaction":
        emoji = metadata.get("reaction")
        return f"[reacted {emoji} to a message]" if emoji else "[removed a reaction]"
    if text == HANDOFF_TEXT and isinstance(metadata.get("handoff_context"), dict):
        return "[" + "; ".join(f"{key}: {value}" for key, value in metadata["handoff_context"].items()) + "]"
    if text != MEDIA_TEXT:
        return f"{text} [edited]" if metadata.get("edited") is True else text
    media = metadata.get("media")
    kinds = [str(kind) for kind in media] if isinstance(media, list) and media else ["attachment"]
    return " ".join(f"[{kind}]" for kind in kinds)


def turn(event: dict[str, Any]) -> Optional[dict[str, Any]]:
    """One tracker event as a transcript turn, or None for events the agent does not need to see."""
    kind = event.get("event")
    time = event.get("timestamp")
    if kind == "user":
        parse = event.get("parse_data") or {}
        language = parse.get("language") or {}
        intent = parse.get("intent") or {}
        return {
            "who": "customer", "time": time, "text": customer_text(event),
            "language": language.get("code"), "language_supported": language.get("supported", True),
            "intent": intent.get("name"), "confidence": round(float(intent.get("confidence") or 0.0), 2),
        }
    if kind == "bot":
        metadata = event.get("metadata") or {}
        data = event.get("data") or {}
        buttons = [button.get("title") for button in data.get("buttons") or []]
        if metadata.get("agent"):
            return {"who": "agent", "time": time, "text": event.get("text") or "", "agent": metadata["agent"]}
        return {"who": "bot", "time": time, "text": event.get("text") or "", "buttons": buttons}
    if kind in (PAUSED, RESUMED):
        return {"who": "system", "time": time, "text": "handed to a person" if kind == PAUSED else "back to the bot"}
    return None


def transcript(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for item in map(turn, events) if item is not None]


def latest_entity(events: Iterable[dict[str, Any]], name: str) -> str:
    """The last value the customer gave for an entity (e.g. order_id), for canned answers."""
    value = ""
    for event in events:
        if event.get("event") == "user":
            for entity in (event.get("parse_data") or {}).get("entities") or []:
                if entity.get("entity") == name and entity.get("value"):
                    value = str(entity["value"])
    return value
