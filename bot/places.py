"""Place names of each market (cities and towns customers name) in the spellings and grammatical cases people
write, mapped to the market's country. Matched on the folded form (lower case, no diacritics, Cyrillic and Greek
in Latin letters), so `Niš`, `Nis`, `Нишу` and `Nišu` are all Niš.

Used as language evidence between neighbours that share most words (a Serbian or a Croatian city, a Norwegian or a
Danish one) and by anyone who needs the country a customer's town is in (`market_of_place`).
"""
from __future__ import annotations

import functools
import re
from typing import Optional

from bot.text import fold_diacritics, greek_to_latin
from bot.transliterate import cyrillic_to_latin

# Country -> place names; each entry lists the forms (cases, spellings) of one place separated by "|".
PLACES: dict[str, tuple[str, ...]] = {
    "RS": (
        "beograd|beograda|beogradu|beogradom|bg", "novi sad|novog sada|novom sadu|novim sadom|novi sadu",
        "nis|nisa|nisu|nisom", "kragujevac|kragujevca|kragujevcu|kragujevcem",
        "subotica|subotice|subotici|suboticu|suboticom", "cacak|cacka|cacku|cackom",
        "zrenjanin|zrenjanina|zrenjaninu", "pancevo|panceva|pancevu", "kraljevo|kraljeva|kraljevu",
        "novi pazar|novog pazara|novom pazaru", "smederevo|smedereva|smederevu", "leskovac|leskovca|leskovcu",
        "valjevo|valjeva|valjevu", "krusevac|krusevca|krusevcu", "vranje|vranja|vranju", "sabac|sapca|sapcu",
        "uzice|uzica|uzicu", "sombor|sombora|somboru", "pozarevac|pozarevca|pozarevcu", "pirot|pirota|pirotu",
        "zajecar|zajecara|zajecaru", "kikinda|kikinde|kikindi|kikindu", "sremska mitrovica|sremske mitrovice|"
        "sremskoj mitrovici", "jagodina|jagodine|jagodini|jagodinu", "vrsac|vrsca|vrscu", "loznica|loznice|loznici",
        "zemun|zemuna|zemunu", "cukarica|cukarice|cukarici", "indjija|indjije|indjiji", "ruma|rume|rumi",
        "arandjelovac|arandjelovca|arandjelovcu", "gornji milanovac|gornjem milanovcu|gornjeg milanovca",
        "obrenovac|obrenovca|obrenovcu", "paracin|paracina|paracinu", "prokuplje|prokuplja|prokuplju",
    ),
    # Montenegro: answered in Serbian (see README, "Bosnian and Montenegrin").
    "ME": ("podgorica|podgorice|podgorici|podgoricu", "niksic|niksica|niksicu", "budva|budve|budvi|budvu",
           "herceg novi|herceg novog|herceg novom", "kotor|kotora|kotoru"),
    "HR": (
        "zagreb|zagreba|zagrebu|zagrebom", "split|splita|splitu|splitom", "rijeka|rijeke|rijeci|rijeku|rijekom",
        "osijek|osijeka|osijeku|osijekom", "zadar|zadra|zadru|zadrom", "pula|pule|puli|pulu|pulom",
        "slavonski brod|slavonskog broda|slavonskom brodu", "karlovac|karlovca|karlovcu",
        "varazdin|varazdina|varazdinu", "sibenik|sibenika|sibeniku", "sisak|siska|sisku",
        "dubrovnik|dubrovnika|dubrovniku", "velika gorica|velike gorice|velikoj gorici|veliku goricu",
        "vinkovci|vinkovaca|vinkovcima", "vukovar|vukovara|vukovaru", "bjelovar|bjelovara|bjelovaru",
        "koprivnica|koprivnice|koprivnici|koprivnicu", "cakovec|cakovca|cakovcu", "pozega|pozege|pozegi|pozegu",
        "makarska|makarske|makarskoj|makarsku", "trogir|trogira|trogiru", "porec|poreca|porecu",
        "rovinj|rovinja|rovinju", "samobor|samobora|samoboru", "krk|krka|krku", "hvar|hvara|hvaru",
        "korcula|korcule|korculi|korculu", "opatija|opatije|opatiji|opatiju", "solin|solina|solinu",
        "kastela|kastelima", "zapresic|zapresica|zapresicu", "sesvete|sesveta|sesvetama",
    ),
    "NO": (
        "oslo|oslos", "bergen|bergens", "trondheim|trondheims", "stavanger|stavangers", "drammen|drammens",
        "fredrikstad", "kristiansand", "sandnes", "tromso|tromsoe|tromsø", "sarpsborg", "skien",
        "alesund|aalesund", "sandefjord", "haugesund", "tonsberg|toensberg", "porsgrunn", "bodo|bodoe",
        "arendal", "hamar", "larvik", "halden", "lillehammer", "molde", "harstad", "gjovik", "kongsberg",
        "narvik", "honefoss", "elverum", "steinkjer", "floro", "baerum", "asker", "lillestrom", "jessheim",
        "grimstad", "mandal", "kristiansund", "hammerfest", "kirkenes", "lofoten", "grunerlokka", "majorstuen",
    ),
    "DK": (
        "kobenhavn|koebenhavn|kbh|kobenhavns", "aarhus|arhus|aarhus c", "odense", "aalborg|alborg", "esbjerg",
        "randers", "kolding", "horsens", "vejle", "roskilde", "herning", "silkeborg", "naestved", "fredericia",
        "viborg", "koge", "holstebro", "taastrup", "slagelse", "hillerod", "sonderborg", "svendborg", "hjorring",
        "frederikshavn", "norresundby", "ringsted", "haderslev", "skive", "helsingor", "frederiksberg", "amager",
        "vesterbro", "norrebro", "osterbro", "valby", "lyngby", "gentofte", "hvidovre", "ballerup", "glostrup",
        "brondby", "hellerup", "aabenraa|abenraa", "thisted", "nyborg", "nakskov", "bornholm", "ronne",
    ),
    "GR": (
        "athina|athinas|athens|athena|athine|athinon", "thessaloniki|thessalonikis|salonika|saloniki|thessalonica",
        "patra|patras|patron", "irakleio|irakleiou|iraklio|heraklion|iraklion", "larisa|larisas|larissa",
        "volos|volou|volo", "ioannina|ioanninon|giannena|giannina", "chania|xania|chanion|xanion",
        "rodos|rodou|rhodes", "kerkyra|kerkiras|kerkyras|kerkira|corfu", "kalamata|kalamatas",
        "kavala|kavalas", "peiraias|pirea|piraeus|pireas", "serres|serron", "chalkida|xalkida|chalkidas",
        "alexandroupoli|alexandroupolis", "katerini|katerinis", "trikala|trikalon", "lamia|lamias",
        "agrinio|agriniou", "komotini|komotinis", "veria|verias|veroia",
    ),
    "CY": ("lefkosia|lefkosias|nicosia", "lemesos|lemesou|limassol", "larnaka|larnakas|larnaca",
           "pafos|pafou|paphos", "ammochostos|famagusta", "paralimni|paralimniou", "agia napa|ayia napa"),
    "PL": (
        "warszawa|warszawy|warszawie|warszawe|warszawa|warsaw|wawa", "krakow|krakowa|krakowie|krakowem|cracow",
        "lodz|lodzi", "wroclaw|wroclawia|wroclawiu", "poznan|poznania|poznaniu", "gdansk|gdanska|gdansku",
        "szczecin|szczecina|szczecinie", "bydgoszcz|bydgoszczy", "lublin|lublina|lublinie",
        "bialystok|bialegostoku|bialymstoku", "katowice|katowic|katowicach", "gdynia|gdyni|gdynie",
        "czestochowa|czestochowy|czestochowie", "radom|radomia|radomiu", "torun|torunia|toruniu",
        "rzeszow|rzeszowa|rzeszowie", "kielce|kielc|kielcach", "olsztyn|olsztyna|olsztynie", "opole|opola|opolu",
        "sopot|sopotu", "zakopane|zakopanego|zakopanem", "gliwice|gliwic|gliwicach", "zabrze|zabrza|zabrzu",
        "bielsko-biala|bielska-bialej|bielsku-bialej",
    ),
    "GB": ("london|londons", "manchester", "birmingham", "leeds", "glasgow", "liverpool", "edinburgh", "bristol",
           "cardiff", "belfast", "sheffield", "newcastle", "nottingham", "leicester", "brighton", "southampton"),
    "IE": ("dublin", "cork", "galway", "limerick"),
}

# The supported language each market's place names speak for, between neighbours that share most words.
MARKET_LANGUAGE = {"RS": "sr", "ME": "sr", "HR": "hr", "NO": "nb", "DK": "da", "GR": "el", "CY": "el", "PL": "pl",
                   "GB": "en", "IE": "en"}


def fold(text: str) -> str:
    """The form places (and evidence words) are matched on: lower case, no diacritics, Latin letters."""
    return greek_to_latin(fold_diacritics(cyrillic_to_latin(text)))


@functools.lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern, dict[str, str]]:
    country_of: dict[str, str] = {}
    for country, places in PLACES.items():
        for place in places:
            for form in place.split("|"):
                country_of.setdefault(fold(form), country)
    forms = sorted(country_of, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(form) for form in forms) + r")(?!\w)"), country_of


def places_in(text: str) -> list[tuple[str, str]]:
    """(place as written in the folded form, country) for every place named in `text`."""
    pattern, country_of = _pattern()
    return [(match, country_of[match]) for match in pattern.findall(fold(text))]


@functools.lru_cache(maxsize=1)
def _nominatives() -> frozenset[str]:
    """The first form of every place: its name as it stands, uninflected."""
    return frozenset(fold(place.split("|")[0]) for places in PLACES.values() for place in places)


# Prepositions that take a place in Croatian and Serbian ("do Zadra", "iz Niša", "u Splitu", "za Čačak").
_SOUTH_SLAVIC_PREPOSITIONS = ("do", "iz", "u", "za", "od", "kod", "prema", "ka", "po")
# Of those, the ones Polish also writes: there the place's Croatian/Serbian case ending has to tell.
_POLISH_TOO = frozenset({"do", "za", "od", "po"})


def south_slavic_place_phrases(text: str) -> list[tuple[str, str]]:
    """(phrase, country) for a Serbian, Montenegrin or Croatian place after a preposition the way those languages
    write it: inflected ("do Zadra", "iz Čačka") or after a preposition Polish does not have ("u Zagreb"). Polish
    declines the same towns otherwise ("do Zadaru", "z Belgradu"), so such a phrase is not Polish."""
    pattern, country_of = _pattern()
    nominatives = _nominatives()
    found = []
    prepositions = "|".join(_SOUTH_SLAVIC_PREPOSITIONS)
    phrase = re.compile(r"(?<!\w)(" + prepositions + r")\s+" + pattern.pattern)
    for preposition, place in phrase.findall(fold(text)):
        country = country_of[place]
        if country in ("RS", "ME", "HR") and (place not in nominatives or preposition not in _POLISH_TOO):
            found.append((f"{preposition} {place}", country))
    return found


def market_of_place(text: str) -> Optional[str]:
    """The country of the first place named in `text`, or None."""
    found = places_in(text)
    return found[0][1] if found else None
