"""Evidence between neighbour languages (Serbian/Croatian, Norwegian/Danish), the market gazetteer, unsupported
languages named from their own words, and the detector reporting what a message fits."""
from __future__ import annotations

import pytest

from bot.nlu.evidence import balance, clues
from bot.nlu.foreign import foreign_evidence
from bot.places import market_of_place, places_in


def verdict(text: str, pair: tuple[str, str]) -> str:
    net = balance(clues(text), pair)
    return pair[0] if net > 0 else pair[1] if net < 0 else "either"


@pytest.mark.parametrize(
    "text, expected",
    [("Baš lepo, hvala", "sr"), ("Baš lijepo, hvala", "hr"), ("Koliko mleka ide u paket?", "sr"),
     ("Tko mi može pomoći?", "hr"), ("Ko mi može pomoći?", "sr"), ("Šta je sa mojom porudžbinom?", "sr"),
     ("treba mi kruh i mlijeko", "hr"), ("koliko košta hleb", "sr"), ("plaćam tisuću kuna", "hr"),
     ("dve hiljade dinara", "sr"), ("stiže vlakom", "hr"), ("došao vozom", "sr"), ("za tjedan dana", "hr"),
     ("za sedmicu dana", "sr"), ("Da li mogu da platim karticom?", "sr"), ("Mogu li platiti karticom?", "hr"),
     ("naručio sam 3. ožujka", "hr"), ("poručio sam 3. marta", "sr"), ("platiću sutra", "sr"),
     ("platit ću sutra", "hr"), ("šaljete li za Čačak?", "sr"), ("dostava do Zadra?", "hr"),
     ("dostava u Novi Sad", "sr"), ("dostava u Novom Sadu", "sr"), ("a u Rijeci?", "hr"), ("šaljete li u Niš", "sr"),
     ("hvala", "either"), ("koliko košta dostava?", "either"), ("može", "either")],
)
def test_serbian_and_croatian_evidence(text, expected):
    assert verdict(text, ("sr", "hr")) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("Hva koster frakten?", "nb"), ("Hvad koster fragten?", "da"), ("tusen takk", "nb"), ("tusind tak", "da"),
     ("jeg vil ha den andre jakken", "nb"), ("jeg vil have den anden jakke", "da"), ("varene kom ikke", "nb"),
     ("varerne kom ikke", "da"), ("sender dere til Tromsø?", "nb"), ("levering til Aarhus?", "da"),
     ("kan jeg hente i Bergen", "nb"), ("bor i Odense", "da"), ("kommer pakken i morgen?", "either"),
     ("ja", "either"), ("Venter I nye varer?", "da"), ("informasjon om levering", "nb")],
)
def test_norwegian_and_danish_evidence(text, expected):
    assert verdict(text, ("nb", "da")) == expected


def test_the_evidence_names_its_kind_and_words():
    found = {(clue.language, clue.kind, clue.words) for clue in clues("Gde je paket za Split?")}
    assert ("sr", "ekavian", "gde") in found and ("hr", "place", "split") in found


@pytest.mark.parametrize(
    "text, country",
    [("Niš", "RS"), ("u Nišu", "RS"), ("из Ниша", "RS"), ("Novi Sad", "RS"), ("iz Novog Sada", "RS"),
     ("u Splitu", "HR"), ("Rijeka", "HR"), ("iz Rijeke", "HR"), ("Tromsø", "NO"), ("Tromso", "NO"),
     ("Bergen", "NO"), ("Aarhus", "DK"), ("Århus", "DK"), ("Odense", "DK"), ("København", "DK"),
     ("Θεσσαλονίκη", "GR"), ("Thessaloniki", "GR"), ("στη Θεσσαλονίκη", "GR"), ("Kraków", "PL"),
     ("do Krakowa", "PL"), ("w Krakowie", "PL"), ("Λεμεσός", "CY"), ("Podgorica", "ME")],
)
def test_the_gazetteer_knows_each_market_in_every_spelling_and_case(text, country):
    assert market_of_place(text) == country


def test_a_word_that_only_contains_a_place_name_is_no_place():
    assert places_in("splitting the payment, nisam siguran") == []


@pytest.mark.parametrize(
    "text, code",
    [("Hallo, wie lange dauert der Versand nach Deutschland?", "de"), ("Hej, jag undrar när mitt paket kommer", "sv"),
     ("Živjo, kdaj bo prišel moj paket?", "sl"), ("Dobrý den, kdy dorazí moje objednávka?", "cs"),
     ("Ďakujem pekne", "sk"), ("Здравствуйте, где мой заказ?", "ru"), ("Скільки коштує доставка?", "uk"),
     ("Здравейте, къде е поръчката ми?", "bg"), ("Колку чини доставата?", "mk"),
     ("Bonjour, je voudrais retourner ma commande", "fr"), ("¿Cuánto cuesta el envío?", "es"),
     ("Quanto costa la spedizione?", "it"), ("Ik wil de jas terugsturen", "nl"), ("Merhaba, siparişim nerede?", "tr"),
     ("Mikor érkezik a csomagom?", "hu"), ("Când ajunge coletul meu?", "ro"), ("Ku është porosia ime?", "sq")],
)
def test_unsupported_languages_are_named_by_their_own_words(text, code):
    best = foreign_evidence(text).best()
    assert best is not None and best[0] == code


@pytest.mark.parametrize(
    "text",
    ["Gdzie jest moja paczka?", "Hvor er pakken min?", "Hvor bliver min pakke af?", "Gdje je moja narudžba?",
     "Gde je moja porudžbina?", "Where is my parcel?", "Πού είναι η παραγγελία μου;", "pou einai h paraggelia mou",
     "Где је моја поруџбина?", "do you sell café au lait mugs?"],
)
def test_our_languages_show_no_unsupported_language(text):
    best = foreign_evidence(text).best()
    assert best is None or best[1] < 1


def test_place_phrases_after_a_preposition_in_the_croatian_or_serbian_case():
    from bot.places import south_slavic_place_phrases

    assert south_slavic_place_phrases("dostava do Zadra?") == [("do zadra", "HR")]
    assert south_slavic_place_phrases("iz Niša") == [("iz nisa", "RS")]
    assert south_slavic_place_phrases("u Zagreb") == [("u zagreb", "HR")]  # Polish writes "w", never "u"
    assert south_slavic_place_phrases("do Zagreb") == []  # uninflected after a Polish preposition: no telling
    assert south_slavic_place_phrases("do Zadaru") == []  # Polish declension
