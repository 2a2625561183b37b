"""The web chat page in the customer's language, and the conversation so far for a page that reloads.

The page's own texts are here in every supported language (Serbian written in Latin, Cyrillic derived); the page
picks the browser's language first, then the conversation's (`GET /chat/api/history`).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional

from aiohttp import web

from bot import conversation
from bot.desk.keys import RASA
from bot.rasa_client import RasaUnavailable
from bot.transliterate import latin_to_cyrillic

HERE = Path(__file__).parent
_SENDER = re.compile(r"^web-[A-Za-z0-9-]{8,64}$")
_PAYLOAD = re.compile(r"^/\w+(\{.*\})?$", re.S)  # a button's payload, as Rasa records the customer's click

# title, heading, placeholder, send, error, typing, agent, input label
TEXTS: dict[str, dict[str, str]] = {
    "en": {"title": "Chat with us", "heading": "Customer service", "placeholder": "Write a message…", "send": "Send",
           "error": "Sorry, the assistant is not answering right now. Please try again in a moment.",
           "typing": "Typing…", "agent": "Message from our team", "input": "Message"},
    "el": {"title": "Μιλήστε μαζί μας", "heading": "Εξυπηρέτηση πελατών", "placeholder": "Γράψτε ένα μήνυμα…",
           "send": "Αποστολή",
           "error": "Λυπούμαστε, ο ψηφιακός βοηθός δεν απαντά αυτή τη στιγμή. Δοκιμάστε ξανά σε λίγο.",
           "typing": "Πληκτρολογεί…", "agent": "Μήνυμα από την ομάδα μας", "input": "Μήνυμα"},
    "pl": {"title": "Napisz do nas", "heading": "Obsługa klienta", "placeholder": "Napisz wiadomość…",
           "send": "Wyślij", "error": "Przepraszamy, asystent w tej chwili nie odpowiada. Spróbuj ponownie za chwilę.",
           "typing": "Pisze…", "agent": "Wiadomość od naszego zespołu", "input": "Wiadomość"},
    "sr": {"title": "Pišite nam", "heading": "Korisnička podrška", "placeholder": "Napišite poruku…",
           "send": "Pošalji", "error": "Izvinite, asistent trenutno ne odgovara. Pokušajte ponovo za koji trenutak.",
           "typing": "Kuca…", "agent": "Poruka od našeg tima", "input": "Poruka"},
    "hr": {"title": "Pišite nam", "heading": "Korisnička podrška", "placeholder": "Napišite poruku…",
           "send": "Pošalji",
           "error": "Ispričavamo se, asistent trenutačno ne odgovara. Pokušajte ponovno za nekoliko trenutaka.",
           "typing": "Piše…", "agent": "Poruka našeg tima", "input": "Poruka"},
    "nb": {"title": "Chat med oss", "heading": "Kundeservice", "placeholder": "Skriv en melding …", "send": "Send",
           "error": "Beklager, assistenten svarer ikke akkurat nå. Prøv igjen om litt.",
           "typing": "Skriver …", "agent": "Melding fra teamet vårt", "input": "Melding"},
    "da": {"title": "Chat med os", "heading": "Kundeservice", "placeholder": "Skriv en besked …", "send": "Send",
           "error": "Beklager, assistenten svarer ikke lige nu. Prøv igen om lidt.",
           "typing": "Skriver …", "agent": "Besked fra vores team", "input": "Besked"},
}


def page_texts() -> dict[str, dict[str, str]]:
    """Every language's page texts, with Serbian Cyrillic ("sr-Cyrl") derived from the Latin."""
    return {**TEXTS, "sr-Cyrl": {key: latin_to_cyrillic(text) for key, text in TEXTS["sr"].items()}}


@lru_cache(maxsize=1)
def _page() -> str:
    """The page with the texts of every language in it, so the right ones show before any request."""
    texts = json.dumps(page_texts(), ensure_ascii=False).replace("</", "<\\/")
    template = (HERE / "templates" / "chat.html").read_text(encoding="utf-8")
    return template.replace("{{texts}}", texts)


async def chat_page(request: web.Request) -> web.Response:
    return web.Response(text=_page(), content_type="text/html", charset="utf-8")


def visible_messages(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """What the customer saw: their messages (a button click as the button's title), the bot's and the agents'
    replies; the buttons of the last reply only, while it is still the last thing said."""
    messages: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    for event in events:
        kind = event.get("event")
        if kind == "user":
            text = str(event.get("text") or "")
            if _PAYLOAD.match(text):
                if text not in titles:
                    continue  # a payload the page never showed as a button (e.g. the session start)
                text = titles[text]
            messages.append({"who": "customer", "text": text})
        elif kind == "bot":
            data = event.get("data") or {}
            buttons = [{"title": str(b.get("title") or ""), "payload": str(b.get("payload") or "")}
                       for b in data.get("buttons") or [] if isinstance(b, dict)]
            titles.update({button["payload"]: button["title"] for button in buttons})
            agent = (event.get("metadata") or {}).get("agent")
            messages.append({"who": "agent" if agent else "bot", "text": str(event.get("text") or ""),
                             "buttons": buttons})
    for message in messages[:-1]:
        message.pop("buttons", None)
    return messages


def conversation_language(tracker: dict[str, Any]) -> Optional[str]:
    """The conversation's language for the page: "sr-Cyrl" for Serbian written in Cyrillic; None before any."""
    language = (tracker.get("slots") or {}).get("language")
    if not isinstance(language, str) or language not in TEXTS:
        return None
    if language == "sr" and conversation.serbian_script(tracker.get("events") or []) == "Cyrl":
        return "sr-Cyrl"
    return language


async def history(request: web.Request) -> web.Response:
    """The conversation so far and its language, for a page that was reloaded (the id stays in the browser)."""
    sender = request.query.get("sender", "")
    if not _SENDER.match(sender):
        raise web.HTTPBadRequest(text="sender must look like web-<id>")
    try:
        tracker = await request.app[RASA].tracker(sender)
    except RasaUnavailable:
        raise web.HTTPBadGateway(text="the assistant is not answering, please try again")
    return web.json_response({"language": conversation_language(tracker),
                              "messages": visible_messages(tracker.get("events") or [])})


def add_routes(app: web.Application) -> None:
    app.router.add_get("/chat", chat_page)
    app.router.add_get("/chat/api/history", history)
