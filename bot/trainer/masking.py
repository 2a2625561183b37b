"""Personal data out of customer messages before a trainer sees them: e-mails, phone numbers, order numbers
and names become `<email>`, `<phone>`, `<order_id>`, `<name>`."""
from __future__ import annotations

import re
from typing import Iterable

EMAIL, PHONE, ORDER_ID, NAME = "<email>", "<phone>", "<order_id>", "<name>"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits, spaces, dots, dashes and brackets holding at least 8 digits (an order number has fewer).
_PHONE = re.compile(r"(?<![\w#])\+?\(?\d[\d ().-]{6,}\d(?![\w-])")
_ORDER_ID = re.compile(r"(?<![\w#-])#?(?:[A-Za-z]{1,3}-\d{3,}|\d{4,})(?![\w-])")
_WORD = r"[^\W\d_][\w'’-]*"
# Words after which customers write their name: introductions and sign-offs ("my name is", "nazywam się",
# "με λένε", "jeg hedder", "pozdrawiam") in our languages. A greeting counts only when the name follows it
# directly ("hi Anna", not "Hi, I need").
_INTRODUCTIONS = (
    "my name is", "my name's", "i am", "i'm", "im", "this is", "name is", "regards", "best regards", "cheers",
    "nazywam się", "nazywam sie", "mam na imię", "mam na imie", "jestem", "z tej strony", "pozdrawiam",
    "zovem se", "ja sam", "moje ime je", "ime mi je", "pozdrav", "srdačan pozdrav", "lp",
    "με λένε", "λέγομαι", "ονομάζομαι", "είμαι", "me lene", "legomai", "onomazomai",
    "eimai",
    "jeg hedder", "jeg heter", "mitt navn er", "mit navn er", "jeg er", "hilsen", "mvh", "vh",
)
_GREETINGS = ("hi", "hello", "hey", "dear", "cześć", "czesc", "witam", "hej", "hei", "zdravo", "bok", "ćao", "cao",
              "pozdrav", "γεια", "γεια σου", "γεια σας", "καλημέρα", "geia")


def _cue(phrases: Iterable[str]) -> str:
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True))


_AFTER_INTRODUCTION = re.compile(rf"(?i:\b(?:{_cue(_INTRODUCTIONS)}))[,:]?\s+({_WORD}(?:\s+{_WORD})?)")
_AFTER_GREETING = re.compile(rf"(?i:\b(?:{_cue(_GREETINGS)}))\s+({_WORD}(?:\s+{_WORD})?)")


def _capitalised_names(match: re.Match) -> str:
    """Keep the cue; mask the capitalised words after it (two letters or more: "I" is not a name)."""
    words = match.group(1).split()
    names = []
    for word in words:
        if not (word[0].isupper() and len(word) > 1):
            break
        names.append(word)
    if not names:
        return match.group(0)
    start = match.start(1) - match.start(0)
    masked = match.group(1).replace(" ".join(names), NAME, 1) if len(names) > 1 else \
        match.group(1).replace(names[0], NAME, 1)
    return match.group(0)[:start] + masked


def mask(text: str, known_names: Iterable[str] = ()) -> str:
    """`text` with personal data replaced; `known_names` are names the channel gave (the customer's profile name)."""
    text = _EMAIL.sub(EMAIL, text)
    text = _PHONE.sub(lambda m: PHONE if sum(ch.isdigit() for ch in m.group(0)) >= 8 else m.group(0), text)
    text = _ORDER_ID.sub(ORDER_ID, text)
    for name in sorted({n.strip() for n in known_names if n and n.strip()}, key=len, reverse=True):
        parts = [name] + [part for part in name.split() if len(part) > 1]
        for part in parts:
            text = re.sub(rf"(?<!\w){re.escape(part)}(?!\w)", NAME, text, flags=re.IGNORECASE)
    text = _AFTER_INTRODUCTION.sub(_capitalised_names, text)
    text = _AFTER_GREETING.sub(_capitalised_names, text)
    return re.sub(rf"{re.escape(NAME)}(?:\s+{re.escape(NAME)})+", NAME, text)
