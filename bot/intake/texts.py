"""What the customer reads when a part of the service is down or their message cannot be processed.

Kept in memory, not in Redis or the model's domain, so it can be said when Redis or the action server is down.
"""
from __future__ import annotations

from typing import Any, Optional

from bot.languages import hint_from_metadata, is_supported
from bot.text import script_of
from bot.transliterate import latin_to_cyrillic

DEFAULT_LANGUAGE = "en"

BUSY = {
    "en": "Sorry, we're very busy right now. We've got your message and will answer shortly.",
    "el": "Λυπούμαστε, αυτή τη στιγμή έχουμε πολύ φόρτο. Λάβαμε το μήνυμά σας και θα σας απαντήσουμε σύντομα.",
    "pl": "Przepraszamy, mamy teraz spore obciążenie. Twoja wiadomość do nas dotarła, odpowiemy za chwilę.",
    "sr": "Izvinite, trenutno smo jako zauzeti. Vaša poruka je stigla i uskoro ćemo vam odgovoriti.",
    "hr": "Oprostite, trenutačno smo jako zauzeti. Vaša je poruka stigla i uskoro ćemo vam odgovoriti.",
    "nb": "Beklager, vi har mye å gjøre akkurat nå. Vi har fått meldingen din og svarer deg snart.",
    "da": "Beklager, vi har travlt lige nu. Vi har fået din besked og svarer dig hurtigst muligt.",
}

FAILED = {
    "en": "Sorry, something went wrong with your message on our side. Would you like to talk to a person?",
    "el": "Λυπούμαστε, κάτι πήγε στραβά με το μήνυμά σας από τη δική μας πλευρά. Θέλετε να μιλήσετε με έναν "
          "συνάδελφό μας;",
    "pl": "Przepraszamy, po naszej stronie coś poszło nie tak z Twoją wiadomością. Chcesz porozmawiać z "
          "konsultantem?",
    "sr": "Izvinite, kod nas je nešto pošlo naopako s vašom porukom. Da li želite da razgovarate sa nekim iz "
          "našeg tima?",
    "hr": "Oprostite, kod nas je nešto pošlo po zlu s vašom porukom. Želite li razgovarati s nekim iz našeg tima?",
    "nb": "Beklager, noe gikk galt hos oss med meldingen din. Vil du snakke med en av oss?",
    "da": "Beklager, noget gik galt hos os med din besked. Vil du tale med en medarbejder?",
}

TALK_TO_PERSON = {
    "en": "Talk to a person",
    "el": "Θέλω να μιλήσω με κάποιον",
    "pl": "Porozmawiaj z konsultantem",
    "sr": "Razgovor sa osobom",
    "hr": "Razgovor s osobom",
    "nb": "Snakk med en person",
    "da": "Tal med en person",
}

TOO_LONG = {
    "en": "Sorry, your message is too long for us to read. Could you say it in fewer words?",
    "el": "Λυπούμαστε, το μήνυμά σας είναι πολύ μεγάλο. Μπορείτε να το πείτε πιο σύντομα;",
    "pl": "Przepraszamy, ta wiadomość jest za długa. Czy możesz napisać ją krócej?",
    "sr": "Izvinite, poruka je predugačka. Možete li da je napišete kraće?",
    "hr": "Oprostite, poruka je predugačka. Možete li je napisati kraće?",
    "nb": "Beklager, meldingen er for lang for oss. Kan du si det kortere?",
    "da": "Beklager, beskeden er for lang. Kan du skrive den lidt kortere?",
}

# The payload of the handoff intent: the same as a customer asking for a person.
HANDOFF_PAYLOAD = "/request_human"


def language_for(detected: Optional[str], metadata: Optional[dict[str, Any]] = None) -> str:
    """The detected language when we speak it, else the channel's hint (locale, phone), else English."""
    if is_supported(detected):
        return str(detected)
    hinted = hint_from_metadata(metadata)
    return hinted if is_supported(hinted) else DEFAULT_LANGUAGE


def _in_script(text: str, language: str, customer_text: str) -> str:
    """Serbian in Cyrillic for a customer who writes Cyrillic."""
    if language == "sr" and script_of(customer_text) == "Cyrl":
        return latin_to_cyrillic(text)
    return text


def busy_message(language: str, customer_text: str = "") -> dict[str, Any]:
    """Marked `busy`: the web chat answers 202 with it (the real answer follows through the outbox)."""
    return {"text": _in_script(BUSY.get(language, BUSY[DEFAULT_LANGUAGE]), language, customer_text), "busy": True}


def too_long_message(language: str, customer_text: str = "") -> dict[str, Any]:
    return {"text": _in_script(TOO_LONG.get(language, TOO_LONG[DEFAULT_LANGUAGE]), language, customer_text)}


def failed_message(language: str, customer_text: str = "") -> dict[str, Any]:
    """Sorry, with a button that asks for a person (the handoff intent's payload)."""
    title = TALK_TO_PERSON.get(language, TALK_TO_PERSON[DEFAULT_LANGUAGE])
    return {"text": _in_script(FAILED.get(language, FAILED[DEFAULT_LANGUAGE]), language, customer_text),
            "buttons": [{"title": _in_script(title, language, customer_text), "payload": HANDOFF_PAYLOAD}]}
