"""Evidence that separates supported languages which share most of their words: Serbian from Croatian, Norwegian
Bokmål from Danish. Each clue names the language it speaks for, what kind of evidence it is and the words that
showed it; a message without clues is left to the n-gram model and, when that cannot tell either, reported as
fitting both.

Word lists hold forms a native speaker of the other language would not write (ekavian `lepo` against ijekavian
`lijepo`, `tko` against `ko`, `hvad` against `hva`); they are matched on lower-cased words, most also without
diacritics, since customers often type without them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.places import MARKET_LANGUAGE, places_in
from bot.text import fold_diacritics
from bot.transliterate import cyrillic_to_latin

# The neighbour pairs: a clue for one language counts against the other.
PAIRS: tuple[tuple[str, str], ...] = (("sr", "hr"), ("nb", "da"))
NEIGHBOUR = {a: b for pair in PAIRS for a, b in (pair, pair[::-1])}


@dataclass(frozen=True)
class Clue:
    language: str
    kind: str
    words: str
    weight: float = 1.0

    def as_dict(self) -> dict:
        return {"language": self.language, "kind": self.kind, "words": self.words, "weight": self.weight}


def _words(text: str) -> set[str]:
    return set(text.split())


# ---- Serbian / Croatian (matched without diacritics, Cyrillic read as Latin) --------------------------------
_EKAVIAN = _words("""
lepo lep lepa lepe lepi lepu mleko mleka dete deteta deca dece decu vreme mesto mesta mestu mesec meseca meseci
mesecno cena cene ceni cenu cenom cenama gde ovde onde negde nigde svugde posle pre uvek belo bela beli belu bele
dve devojka devojku ceo cela celo celu celog celu cele obavestenje obavestiti obavestite obavestili obavesten
verovatno mera promena promene promenu zamena zamenu zamene zameniti zamenite zamenio zamenila menjati menjam
izmeniti izmena primeniti hteo htela hteli htele videti videla videli leto cvet deo delovi delove delova svet sveta
nedelja nedelje nedelju nedeljom nedeljno srecno uslovi uslov uslova mleko primer primera pesma reka reke reku sused
susedi lekar lekove razumeli razumela razumem razumete razumes najlepse najlepsa ponedeljak ponedeljka coveka covek
coveku zvezdica zvezdice reseno resen resiti resili
""")
_IJEKAVIAN = _words("""
lijepo lijep lijepa lijepe lijepi lijepu mlijeko mlijeka dijete djeteta djeca djece djecu vrijeme mjesto mjesta
mjestu mjesec mjeseca mjeseci mjesecno cijena cijene cijeni cijenu cijenom cijenama gdje ovdje ondje negdje nigdje
posvuda poslije prije uvijek bijelo bijela bijeli bijelu bijele dvije djevojka djevojku cijeli cijela cijelo cijelu
cijelog cijele obavijest obavijesti obavijestiti obavijestite obavijestili obavijesten vjerojatno mjera promjena
promjene promjenu zamjena zamjenu zamjene zamijeniti zamijenite zamijenio zamijenila mijenjati mijenjam izmijeniti
izmjena primijeniti htio htjela htjeli htjele vidjeti vidjela vidjeli ljeto cvijet dio dijelovi dijelove dijelova
svijet svijeta nedjelja nedjelje nedjelju nedjeljom sretno uvjeti uvjet uvjeta primjer primjera pjesma rijeka rijeke
rijeku susjed susjedi lijecnik lijekove razumjeli razumjela razumijem razumijete razumijes najljepse najljepsa
ponedjeljak ponedjeljka covjeka covjek covjeku zvjezdica zvjezdice rijeseno rijesen rijesiti rijesili naljepnicu
naljepnica
""")
_SERBIAN_WORDS = _words("""
sta hleb hleba hiljada hiljadu hiljade voz voza vozom sedmica sedmicu sedmice kafa kafu pasos tacno tacan tacna
tacka uopste opste opsti takodje bezbedno bezbednost prodavnica prodavnicu prodavnici radnja radnju kupovina
kupovinu kupovine pantalone patike naocare sprat primalac primaoca nalog naloga kes pare bre juce uvece ujutru
porudzbina porudzbinu porudzbine porudzbini porudzbinom poruciti porucio porucila porucili porucim porucujem
porucivanje isporuka isporuku isporuke isporuci mobilni racunar kompjuter tokom fudbal hemija lekar ko dinara dinar
din rsd januar januara februar februara mart marta maj maja jun juna jul jula avgust avgusta septembar septembra
oktobar oktobra novembar novembra decembar decembra momenat zdravo evra evro evrima pocepana pocepan pocepao solja
solju solje inostranstvo inostranstva kesom nemacka nemacku nemackoj funkcionise funkcionisu prihvatate nalepnicu
nalepnica kais kaisa ranac ranca pegla peglu pegle kurs kursa veče vece mejl mejla
""")
_CROATIAN_WORDS = _words("""
kruh kruha tisuca tisucu tisuce vlak vlaka vlakom tjedan tjedna tjednu tjedno tjedana kava kavu putovnica tocno
tocan tocna tocka uopce opce opci opcenito takoder sigurnost trgovina trgovinu trgovini ducan ducanu kupnja kupnju
kupnje hlace tenisice naocale primatelj primatelja jucer navecer ujutro narudzba narudzbu narudzbe narudzbi
narudzbom mobitel racunalo tijekom nogomet kemija tko netko nitko itko bok kuna kune kuna kn hrk sijecanj sijecnja
veljaca veljace ozujak ozujka travanj travnja svibanj svibnja lipanj lipnja srpanj srpnja kolovoz kolovoza rujan
rujna listopad listopada studeni studenoga studenog prosinac prosinca trebam trebas zbilja tjedni vecer bokic adio
krivo krivu krivi kriva mobitela mobitelu blagdan blagdane blagdanima inozemstvo inozemstva funkcionira
funkcioniraju prihvacate salica salicu remen remena susilo susila ruksak ruksaka nadopunjavate glacalo glacala
djelatnik djelatnika djelatnikom zadaca zadacom zadacu cura curu tecaj zivotopis trgovine njemacka njemacku
njemackoj
""")
_SERBIAN_PATTERNS = (
    (re.compile(r"\bda li\b"), "da li + verb", 1.0),
    (re.compile(r"\b(?:mogu|mozete|moze|mozes|hocu|hocete|hoces|zelim|zelite|treba|trebalo|moram|morate|bih|biste|"
                r"pokusavam|planiram|volela|voleo)\s+da\s+(?!li\b)\w+"), "da + present (not the infinitive)", 1.0),
)
_SERBIAN_RAW = (re.compile(r"\b\w{2,}[ia]ću\b"), "fused future (platiću)", 1.0)
_CROATIAN_RAW = (
    (re.compile(r"\b\w{2,}[ia]t ću\b"), "split future (platit ću)", 1.0),
    (re.compile(r"\bšto\b"), "što", 0.7),
    (re.compile(r"(?<!\bda )\b(?:je|mogu|moze|može|imate|imam|ima|mozete|možete|bi|biste|jeste|hocete|hoćete|"
                r"smijem|trebam)\s+li\b"), "question with li (not da li)", 0.7),
)

# ---- Norwegian Bokmål / Danish (matched on lower-case words, æøå kept) ------------------------------------
_NORWEGIAN_WORDS = _words("""
hva takk tusen hei nei meg deg seg kjøpe kjøpt kjøp kjøpte penger noen noe mye ennå enda gjøre gjør fått vært hatt
blitt spørsmål spørre genser litt uke uker uken ukers dager åpen åpent åpningstider åpningstid åpner stengt kveld
kvelden helg helgen frakt frakten fikk ble hadde lenge enn etter igjen av ut opp hjelp hjelpe trenger feil feilen
e-post epost eposten ansatt medarbeider prate bra flott greit dessverre unnskyld vennlig fortsatt fremdeles gikk gi
gir ta tar tatt dere vår våre vårt mitt ditt sitt annen annet sånn slik kanskje gjerne veldig kostnad angrerett
reklamasjon informasjon sjekke sjekk sjekket kjøre kjære gjennom gjelder vipps mottatt motta mottar mottok tilbake
tilbakebetaling refusjon skjer lurer arbeidsdager arbeid klokka skjerf lue votter hvit sier sa bok vei mat hverdager
heisann halla heia hadet jepp gjore ryggsekk apningstider stenger fredager bankoverforing returfrakten lappen pakka
buksa lampa eska esken funker glidelas glidelasen hull genseren vannkokeren oppdatering kundebehandler ekte
ubrukelig evigheter opplevelsen opplevd nettbutikk vits oppskrift pannekaker fotballkampen sann riktig interessert
hodetelefoner fraktpris ekspresslevering betalingsmuligheter returrett kikket innen passet laderen lekker bruke
bruker brukt brukte overhodet
""")
_DANISH_WORDS = _words("""
hvad tak tusind hej nej mig dig sig købe købt køb købte penge nogen noget meget endnu gøre gør fået været haft
blevet spørgsmål spørge lidt uge uger ugen ugers dage åben åbent åbningstider åbningstid åbner aften aftenen fragt
fragten fik blev havde hvornår længe end efter igen af ud op hjælp hjælpe brug fejl fejlen ansat medarbejder flot
desværre undskyld venlig stadig fortsat gik give giver tage tager taget jer jeres vores mit dit sit anden andet
sådan måske gerne omkostning fortrydelsesret reklamation information tjekke tjek tjekket køre kære gennem gælder
mobilepay dkk modtaget modtage modtager modtog tilbage tilbagebetaling refusion sker arbejdsdage arbejde tørklæde
hue vanter hvid siger sagde bog vej mad hverdage lige sige hejsa goddag godmorgen godnat jep rigtig rigtigt rigtige
kør nu interesseret rygsæk høretelefoner abent abningstider paasken fragtpris fragtfirma ekspreslevering pakkeshop
betalingsmuligheder returret kigget kigge kigger inden passede opladeren aesken æsken elkedlen lækker bruge bruger
brugt brugte hvornar opdatering ubrugelig evighed oplevelsen oplevet overhovedet sikke vejret vittighed opskrift
pandekager vandt fodboldkampen intet paa bankoverforsel afbetaling returfragten lynlås lynlåsen hul trøje trøjen
trøjer
""")
_NORWEGIAN_PATTERNS = (
    (re.compile(r"\b\w{3,}(?:ene)\b"), "definite plural -ene", 0.5),
    (re.compile(r"\bden andre\b"), "den andre", 1.0),
    (re.compile(r"\b\w+sjon(?:en|er|ene)?\b"), "-sjon", 1.0),
    (re.compile(r"\bnok\b"), "NOK", 0.5),
)
_DANISH_PATTERNS_CASED = (
    (re.compile(r"\b(?:[Hh]ar|[Kk]an|[Ss]ender|[Ll]everer|[Vv]enter|[Ee]r|[Tt]ager|[Bb]ruger|[Ff]år|[Hh]vis) I\b"),
     "I (you, plural)", 1.0),
    (re.compile(r"\b[Tt]ale med\b"), "tale med", 0.7),
)
_DANISH_PATTERNS = (
    (re.compile(r"\b\w{3,}erne\b"), "definite plural -erne", 0.7),
    (re.compile(r"\b\w+tion(?:en|er|erne)?\b"), "-tion", 0.7),
)
# Words the two lists share by accident of the list-making are dropped from both.
_NB_ONLY = _NORWEGIAN_WORDS - _DANISH_WORDS
_DA_ONLY = _DANISH_WORDS - _NORWEGIAN_WORDS
_SR_ONLY = (_EKAVIAN | _SERBIAN_WORDS) - (_IJEKAVIAN | _CROATIAN_WORDS)
_HR_ONLY = (_IJEKAVIAN | _CROATIAN_WORDS) - (_EKAVIAN | _SERBIAN_WORDS)

# Words that lean one way without settling it (also written by the other side now and then).
_WEAK = {"ko": 0.5, "zdravo": 0.5, "pre": 0.7, "isporuka": 0.5, "isporuku": 0.5, "isporuke": 0.5, "trebam": 0.7,
         "trebas": 0.7, "sa": 0.5, "end": 0.5, "af": 0.7, "give": 0.7, "nei": 0.7, "hei": 0.7}

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.UNICODE)


def _kind(word: str, language: str) -> str:
    if language == "sr":
        return "ekavian" if word in _EKAVIAN else "Serbian word"
    if language == "hr":
        return "ijekavian" if word in _IJEKAVIAN else "Croatian word"
    return "Norwegian spelling" if language == "nb" else "Danish spelling"


def clues(text: str) -> list[Clue]:
    """Every piece of evidence in `text` for one language of a neighbour pair against the other."""
    raw = text.lower()
    latin = cyrillic_to_latin(raw)
    folded = fold_diacritics(latin)
    found: list[Clue] = []
    folded_words = _WORD.findall(folded)
    raw_words = _WORD.findall(raw)
    for word in folded_words:
        if word in _SR_ONLY:
            found.append(Clue("sr", _kind(word, "sr"), word, _WEAK.get(word, 1.0)))
        elif word in _HR_ONLY:
            found.append(Clue("hr", _kind(word, "hr"), word, _WEAK.get(word, 1.0)))
    for pattern, kind, weight in _SERBIAN_PATTERNS:
        found += [Clue("sr", kind, match, weight) for match in pattern.findall(folded)]
    found += [Clue("sr", _SERBIAN_RAW[1], match, _SERBIAN_RAW[2]) for match in _SERBIAN_RAW[0].findall(latin)]
    for pattern, kind, weight in _CROATIAN_RAW:
        found += [Clue("hr", kind, match, weight) for match in pattern.findall(latin)]
    for word in raw_words:
        if word in _NB_ONLY:
            found.append(Clue("nb", _kind(word, "nb"), word, _WEAK.get(word, 1.0)))
        elif word in _DA_ONLY:
            found.append(Clue("da", _kind(word, "da"), word, _WEAK.get(word, 1.0)))
    for pattern, kind, weight in _NORWEGIAN_PATTERNS:
        found += [Clue("nb", kind, match, weight) for match in pattern.findall(raw)]
    for pattern, kind, weight in _DANISH_PATTERNS:
        found += [Clue("da", kind, match, weight) for match in pattern.findall(raw)]
    for pattern, kind, weight in _DANISH_PATTERNS_CASED:
        found += [Clue("da", kind, match, weight) for match in pattern.findall(text)]
    for place, country in places_in(text):
        language = MARKET_LANGUAGE.get(country)
        if language in NEIGHBOUR:
            found.append(Clue(language, "place", place))
    return found


def balance(found: list[Clue], pair: tuple[str, str]) -> float:
    """The weight of the evidence for the pair's first language minus that for its second."""
    first, second = pair
    return sum(c.weight for c in found if c.language == first) - sum(c.weight for c in found if c.language == second)
