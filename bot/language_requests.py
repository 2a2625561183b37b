"""A customer asking for another language: "could you write in English?", "proszę pisać po polsku",
"na srpskom molim", "kan du skrive på dansk?", "μπορείτε να γράφετε στα ελληνικά;", in any of our languages.

A language's name alone is not a request ("I'm Danish", "nie mówię po angielsku"): it needs a word that asks
(write, speak, answer, please, can you ...) or a message that is little more than the name ("English please",
"po polsku"), and no negation in front of it.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.places import fold

# Language -> the folded forms of its name in our languages (adjective, adverb, the case used after "in"/"na"/"po").
_NAMES: dict[str, str] = {
    "en": "english engelsk engelska angielsku angielski engleski engleskom engleskog agglika anglika aggliki englisch "
          "inglese ingles anglais",
    "el": "greek gresk graesk grecku grecki grcki grckom ellinika ellinikа elliniki",
    "pl": "polish polsk polsku polski poljski poljskom polonika",
    "sr": "serbian serbisk serbsku serbski srpski srpskom srpskog servika",
    "hr": "croatian kroatisk chorwacku chorwacki hrvatski hrvatskom hrvatskog kroatika",
    "nb": "norwegian norsk norwesku norweski norveski norveskom norveskog norvigika bokmal",
    "da": "danish dansk dunsku dunski danski danskom danskog danika",
    "de": "german deutsch tysk niemiecku niemiecki nemacki nemackom njemacki njemackom germanika",
    "sv": "swedish svenska svensk szwedzku szwedzki svedski svedskom souidika",
    "fr": "french francais fransk francusku francuski francuskom gallika",
    "es": "spanish espanol spansk hiszpansku hiszpanski spanski spanskom spanjolski spanjolskom ispanika",
    "it": "italian italiano italiensk wlosku wloski italijanski italijanskom talijanski talijanskom italika",
    "ru": "russian russisk rosyjsku rosyjski ruski ruskom rosika",
}
# Words that ask for a language (folded): write, speak, answer, switch, please, can/could, prefer.
_ASKING = set("""
write writing speak speaking talk answer reply respond chat switch continue change could can please pls plz prefer
rather would instead do you
pisac pisz piszcie pisze mowic mow mowi mowisz mowicie odpisz odpisac odpowiadac odpowiedz rozmawiac prosze mozemy
mozna moze mozesz mozecie wolalbym wolalabym
pisi pisite pisati pises pricaj pricati pricajte govori govorite govoris govoriti odgovori odgovorite odgovarajte
molim mozemo mozete moze mozes prebaci prebacite prebacimo nastavimo nastaviti razgovarati razgovaramo bolje radije
moli
skrive skriv skriver snakke snakk snakker prate prat tale taler svare svar svarer kan kunne fortsette fortsaet bytte
skifte heller foretrekker foretraekker gerne gjerne venligst vaer vennligst
grapse grapsete grafete grafeis milate milas mila mporeite mporeis parakalo apantiste apantise
sprechen sprechen schreiben bitte konnen prata skriva snalla parler parlez ecrire hablar habla escribir parlare
""".split())
# Small words a bare request is made of besides the name and the asking word ("can we go on in English?",
# "czy możemy dalej po polsku", "mozemo li nastaviti na srpskom", "kan vi ta det på norsk").
_FILLER = set("""
in on to the a an we us me it i you your now from here ok okay so just go on the language thanks thank
po w na z i sie nam mi ja dalej jezyku jezyk czy my
u se vi dalje jeziku jezik li
pa til og oss meg os mig du dere jer videre sprog sprak vi ta det
sta ta na kai mas mou sto se glossa
""".split())
# Prepositions after which a name is a country in the genitive ("do Polski", "z Polski"), never a language.
_FROM_OR_TO = frozenset("do z ze od dla spoza".split())
_NEGATION = set("not dont don't cannot can't no nie ne nemoj ikke ikkje ikk den dhen nicht kein inte pas".split())
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _name_index() -> dict[str, str]:
    return {form: code for code, forms in _NAMES.items() for form in forms.split()}


_INDEX = _name_index()


def requested_language(text: str) -> Optional[str]:
    """The language the customer asks us to use, or None (a name with no request, or a negated one)."""
    words = _WORD.findall(fold(text or ""))
    if not words or len(words) > 14:
        return None
    for position, word in enumerate(words):
        code = _INDEX.get(word)
        if code is None:
            continue
        if position and words[position - 1] in _FROM_OR_TO:
            continue  # "a do Polski?", "paczka z Polski": Poland, not Polish
        before = words[max(0, position - 3):position]
        if any(w in _NEGATION or w.endswith("n't") for w in before):
            return None
        asking = any(w in _ASKING for w in words if w != word)
        if asking or len(words) <= 3:
            return code
    return None


def only_a_request(text: str) -> bool:
    """Whether `text` asks for a language and says nothing else ("could you write in English?"), as against a
    request that comes with a question ("po polsku proszę, ile kosztuje wysyłka do Niemiec?")."""
    if not requested_language(text):
        return False
    words = _WORD.findall(fold(text or ""))
    return sum(word not in _INDEX and word not in _ASKING and word not in _FILLER for word in words) <= 1
