"""Languages we do not support, recognised from their own words and letters rather than left to a model that only
knows ours: German must not look like Danish, Slovenian like Croatian, Russian like Serbian Cyrillic.

Each list holds frequent words a customer writes in that language and that no supported language uses (`ich`,
`jag`, `prosím`, `спасибо`); words shared with a supported language (`hallo`, `hvala`, `paket`, `der`) are left
out on purpose, so a Danish or Croatian message never scores here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Container, Optional

UNSUPPORTED_NAMES = {
    "de": "German", "sv": "Swedish", "sl": "Slovenian", "cs": "Czech", "sk": "Slovak", "ru": "Russian",
    "uk": "Ukrainian", "bg": "Bulgarian", "mk": "Macedonian", "fr": "French", "es": "Spanish", "it": "Italian",
    "nl": "Dutch", "tr": "Turkish", "hu": "Hungarian", "ro": "Romanian", "sq": "Albanian",
}

_MARKERS: dict[str, str] = {
    "de": """ich nicht und ist bitte danke dankeschön mein meine meinen meiner meinem bestellung bestellungen
        lieferung versand wann warum wie können könnten könnt haben habe hab guten nach noch schon auch aber
        oder wir ihr euch uns mich dich kein keine keinen zurück rücksendung geld wo ware waren wurde wird
        werden ein eine einen einem für von zu auf bei heute gestern woche leider genau gibt geht möchte
        möchten würde hätte sind bist grüße gruß freundlichen deutschland österreich schweiz versandkosten
        zahlung bezahlen bezahlt rechnung kaufen gekauft bestellt erhalten bekommen angekommen dauert kostet
        kann nein vielen dank größe grösse umtauschen stornieren hilfe frage sprechen deutsch englisch
        hallöchen servus moin tschüss immer sehr""",
    "sv": """jag inte och är hur vad tack tacksam beställning beställningen beställt beställde leverans
        leveransen någon något några hjälp varför när skicka skickat skickade pengar pengarna också kvitto
        köpt köpa köpte vilken från mycket hälsningar paketet ännu än då sedan vecka veckor dagar imorgon
        igår öppet öppettider stängt butiken storlek byta returnera återbetalning kronor sverige svenska
        svensk hallå tjena hejsan ursäkta förlåt undrar gärna väldigt snälla kanske behöver finns leverera
        leveranstid fraktkostnad kostar kunna varan varorna ordern ordernummer vänta väntar väntat fick hade
        inget någonting är""",
    "sl": """prosim naročilo naročila naročilu naročil plačilo plačati lahko sem smo kje kdaj zakaj živjo lp
        dober tudi ampak že še dostavo nakup vrniti vračilo denar teden tednu tedna jutri včeraj odprto
        zaprto kdo kateri katero kakšen kakšna kakšni kakšno mogoče prejel prejela prejeli nisem slovenija
        slovenijo sloveniji slovensko pošljete plačam povzetju izdelek izdelka izdelke vrnem vrnil vrnila
        soboto nedeljo sledenje številka številko številke zalogi napačno napačen napačna velikost zadrga
        strgala kodo dvakrat naprej pozdravljeni poštnina slovenščini hrvaško opravičujem vedno preklicala
        preklicati spremenim takoj traja dolgo nič božičem prišel prišla poškodovan poškodovana
        stanejo
        brezplačna brezplačno brezplačen brezplačni brezplačne""",
    "cs": """děkuji děkuju dík díky dobrý objednávka objednávku objednávky objednávce zásilka zásilku zásilky
        doprava kdy kde proč kolik stojí mám máte chci chtěl chtěla bych jsem jste není ještě už také
        zaplatit platba vrátit vrácení peníze zboží týden týdne zítra dnes včera otevřeno obchod česko
        čeština česky ahoj nashledanou prosím dobrý dlouho""",
    "sk": """ďakujem ďakujeme vďaka dobrý deň objednávka objednávku objednávky zásielka zásielku kedy kde prečo
        koľko stojí mám máte chcem chcel chcela ešte už tiež zaplatiť platba vrátiť vrátenie peniaze týždeň
        zajtra dnes včera otvorené obchod slovensko slovenčina ahoj dovidenia pekne veľmi prosím doprava
        nerozumiem rozumiem chorvátsky""",
    "ru": """привет спасибо пожалуйста заказ заказа заказе заказал заказала заказу сколько когда почему хочу
        можно здравствуйте что как нет мне это вы мой моя моего моей доставка доставку оплата оплатить
        вернуть возврат деньги неделю завтра сегодня вчера открыто россия русский русском есть уже ещё еще
        тоже помогите помочь срочно добрый день доброе утро получил получила пришел пришла пришёл посылка
        посылку курьер размер подскажите скажите будет было""",
    "uk": """привіт дякую будь ласка замовлення скільки коли чому хочу можна що як ні мені це мій моє доставка
        оплата повернути гроші тиждень завтра сьогодні вчора відкрито україна українською допоможіть отримав
        отримала посилка розмір""",
    "bg": """здравей здравейте благодаря моля поръчка поръчката поръчах доставка доставката колко кога къде защо
        искам мога лв лева съм днес утре вчера плащане наложен платеж куриер еконт спиди пратка пратката
        българия български мерси какво е това вече довиждане седмици седмица разбрах добре безобразие сега
        изпратено изпратихте
        разбирам""",
    "mk": """благодарам ве молам колку кога каде зошто сакам нарачка нарачката нарачав нарачала пратка пратката
        доставата денари утре денес вчера многу ќе дали ние вие македонија македонски скопје битола охрид е
        ама добив разбрав платив уште веднаш мојата вашата големина прашање зборувам зборувате испративте
        кој каков сликата адресата фактурата бојата
        разбирам""",
    "fr": """bonjour bonsoir merci salut s'il svp vous commande livraison colis combien coûte quand pourquoi où
        est-ce pas une avec pour dans mais aussi rembourser remboursement paiement payer argent semaine
        demain aujourd'hui hier ouvert fermé magasin france français francais parlez aide besoin reçu
        toujours encore déjà oui très tres bien beaucoup voudrais veux peux pouvez avez suis c'est j'ai n'ai
        votre vos notre taille échanger annuler arrivé arrive""",
    "es": """hola buenos buenas días dias gracias por pedido envío envio paquete cuánto cuanto cuesta cuándo
        cuando dónde donde qué que está una para también tambien devolver devolución devolucion reembolso
        pago pagar tarjeta dinero semana mañana manana hoy ayer abierto cerrado tienda españa español
        espanol habla hablan ayuda necesito recibido recibí todavía muy quiero puedo puede pueden tengo
        tiene tienen estoy nuestro talla cambiar cancelar llegado llega llegó
        adiós""",
    "it": """buongiorno buonasera grazie prego favore ordine spedizione pacco quanto costa quando perché perche
        dove che è gli della anche rimborso restituire reso pagamento pagare soldi settimana domani oggi
        ieri aperto chiuso negozio italia italiano parla parlate aiuto bisogno ricevuto ancora già sì molto
        vorrei voglio posso può puo potete sono mio mia vostro taglia cambiare annullare arrivato arriva
        salve""",
    "nl": """hoi goedemorgen goedemiddag goedenavond dank bedankt alstublieft alsjeblieft bestelling verzending
        hoeveel wanneer waarom waar het een voor maar ook terugbetaling retourneren betaling betalen geld
        vandaag gisteren gesloten winkel nederland nederlands spreekt spreken hulp nodig ontvangen nog nee
        niet graag wil wilt kunt heb hebt heeft mijn uw jullie onze maat ruilen annuleren aangekomen komt
        geen bij naar ik mij wij zij terugsturen doei kleur twee keer gekregen fijne welke iemand jij zijn""",
    "tr": """merhaba selam teşekkürler teşekkür ederim sağol lütfen lutfen sipariş siparis siparişim siparisim
        kargo kargom zaman neden nerede nasıl nasil kaç kac fiyat ücret bir ve bu için icin iade ödeme odeme
        hafta yarın yarin bugün bugun dün açık acik kapalı kapali mağaza magaza türkiye türkçe turkce yardım
        yardim lazım istiyorum alabilir miyim misiniz mı yok çok cok evet hayır hayir benim sizin beden
        iptal geldi gelmedi hala ürün urun ürünü paketim teslim
        kargoya kargoda kargodan verildi gönderildi gonderildi""",
    "hu": """szia sziasztok jó napot köszönöm köszi koszi kérem kerem légyszi rendelés rendelésem rendeles
        szállítás szallitas csomag csomagom mennyi mennyibe kerül kerul mikor miért hol hogyan az egy és
        hogy visszaküldeni visszatérítés fizetés fizetni kártya pénz hét holnap tegnap nyitva zárva bolt
        üzlet magyarország magyarul beszél segítség segitseg kell megkaptam még már nagyon szeretném
        szeretnék tudok vagyok nincs méret csere lemondani megérkezett
        kupon kuponkód kuponkódjuk kuponkódot kedvezmény kedvezményt""",
    "ro": """bună buna ziua mulțumesc multumesc vă rog comanda comandă livrare livrarea colet coletul cât costă
        când cand unde este și pentru returnare rambursare plată plata plăti bani săptămână saptamana mâine
        maine azi astăzi deschis închis inchis românia română romana vorbiți vorbiti ajutor nevoie primit
        încă inca foarte vreau puteți puteti aveți aveti sunt meu dumneavoastră mărime marime schimb anulare
        ajuns""",
    "sq": """përshëndetje pershendetje tungjatjeta mirëdita miredita faleminderit falemnderit lutem porosi
        porosia porosinë porosine dërgesa dergesa dërgimi pako kushton pse ku është eshte dhe në për edhe
        kthim rimbursim pagesa paguaj kartë javë jave nesër neser sot dje hapur mbyllur dyqan shqipëri
        shqiperi shqip flisni ndihmë ndihme nevojë nevoje akoma shumë shume dua mund kam keni jeni im ime
        juaj ndërroj anuloj ardhur nuk
        mirembrema mirëmbrëma pyetje pyetja pres kosto koston dergese dergeses dërgesës""",
}
# Letters no supported language writes, and the unsupported languages that write them. Acute vowels count half:
# English and Danish borrow a "café" or an "idé" now and then.
_HALF = frozenset("áéíúý")
LETTER_WEIGHT = 2.0  # a letter none of ours writes outweighs a word two of ours tell apart ("av", "hva")
_LETTERS: dict[str, tuple[str, ...]] = {
    "ß": ("de",), "ü": ("de", "tr", "hu"), "ä": ("de", "sv", "sk"), "ö": ("de", "sv", "tr", "hu"),
    "ř": ("cs",), "ů": ("cs",), "ě": ("cs",), "ľ": ("sk",), "ĺ": ("sk",), "ŕ": ("sk",), "ô": ("sk", "fr"),
    "ď": ("cs", "sk"), "ť": ("cs", "sk"), "ň": ("cs", "sk"), "ý": ("cs", "sk"), "ő": ("hu",), "ű": ("hu",),
    "ş": ("tr", "ro"), "ğ": ("tr",), "ı": ("tr",), "ș": ("ro",), "ț": ("ro",), "ă": ("ro",), "î": ("ro", "fr"),
    "â": ("ro", "fr", "tr"), "ë": ("sq", "fr", "nl"), "ç": ("fr", "tr", "sq"), "ñ": ("es",), "¿": ("es",),
    "¡": ("es",), "è": ("fr", "it"), "à": ("fr", "it"), "ù": ("fr", "it"), "ì": ("it",), "ò": ("it",), "œ": ("fr",),
    "ê": ("fr",), "û": ("fr",), "ã": ("pt",), "õ": ("pt",), "ý": ("cs", "sk"), "á": ("cs", "sk", "hu", "es"),
    "í": ("cs", "sk", "hu", "es"), "é": ("cs", "sk", "hu", "fr", "es"), "ú": ("cs", "sk", "hu", "es"),
    "ы": ("ru",), "э": ("ru",), "ё": ("ru",), "ъ": ("bg", "ru"), "щ": ("bg", "ru", "uk"), "й": ("ru", "uk", "bg"),
    "я": ("ru", "uk", "bg"), "ю": ("ru", "uk", "bg"), "ь": ("ru", "uk", "bg"), "і": ("uk",), "ї": ("uk",),
    "є": ("uk",), "ґ": ("uk",), "ѓ": ("mk",), "ќ": ("mk",), "ѕ": ("mk",),
    "\u0307": ("tr",),  # the dot of a lower-cased Turkish "İ"
}
# Phrases whose words are ours one by one but not together: Slovenian "v redu" (Croatian "u redu"), French "non
# merci" ("merci" is Greek customers' word too, "non" English's in "non returnable").
_PHRASES: dict[str, re.Pattern] = {
    "sl": re.compile(r"\bv redu\b"),
    "fr": re.compile(r"\b(?:non|oui),? merci\b|\bmerci (?:beaucoup|bien)\b"),
}
# Turkish present continuous ("bekliyorum", "geliyor", "biliyor musunuz"): vowel harmony no language of ours has.
_TURKISH_CONTINUOUS = re.compile(r"\b\w+[iıuü]yor(?:um|sun|uz|sunuz|lar)?\b")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)?", re.UNICODE)


# Frequent function words of each language (grammar, not customer vocabulary): Slovenian "ki", "ker", "če",
# l-participles ("rekel", "šel") where Croatian writes "rekao", "išao"; Swedish "att", "eller"; Czech "jsou",
# "který"; Slovak "sú", "ktorý"; Dutch "van", "wordt"; Macedonian "во", "дека"; Bulgarian "във", "това". Words one of ours writes too ("bo", "kot" in Polish, "nebo"
# in Croatian, "sa", "ako", "te", "er") are left out.
_FUNCTION_WORDS: dict[str, str] = {
    "hu": "meg volt lesz vagy mert csak ezt azt",
    "es": "cada quien ese esa los las del con muy",
    "ro": "suntem sunteți sunteti acesta aceasta acest această sau cum",
    "ru": "вот чтобы чтоб значит который которые только очень теперь тогда потом сейчас все его если был было",
    "de": "sind zum zur das dass dem des sich einer eines seine seiner sein ihre ihren einige durch wieder gegen über unter zwischen jetzt",
    "sl": "ki ter ker če bodo jaz vendar saj danes zelo gre naj imel imela imeli rekel rekla šel šla vsi vse vseh vsega najprej poleg seveda nato pač brez",
    "sv": "att ett eller hon honom vara utan bara kunde",
    "nl": "van op aan door uit wordt worden werd deze wel tot toe toen echter dat hun hem haar zou moet omdat tussen kunnen hebben heeft veel zeer",
    "cs": "jsou bude jako který která které také podle tento tato toto když nebo může aby jen při",
    "mk": "во дека тоа сите многу уште сум кои кое оваа овој околу кој",
    "bg": "във със че това този тази които който която като също след през между обаче",
    "sk": "sú bol bola bolo ktorý ktorá ktoré pre čo tiež podľa keď alebo môže aj až vo zo",
}
_SETS: dict[str, frozenset[str]] = {
    code: frozenset(words.split()) | frozenset(_FUNCTION_WORDS.get(code, "").split()) for code, words in _MARKERS.items()}


@dataclass(frozen=True)
class ForeignEvidence:
    scores: dict[str, float]
    words: dict[str, list[str]]

    def best(self) -> Optional[tuple[str, float]]:
        if not self.scores:
            return None
        code = max(self.scores, key=self.scores.__getitem__)
        return code, self.scores[code]


def foreign_evidence(text: str, ours: Container[str] = ()) -> ForeignEvidence:
    """How strongly `text` shows each unsupported language: one point per marker word and per letter that
    language writes and ours never do (once per letter). Words in `ours` (our training data's vocabulary:
    Greeklish "para" and "mia", Norwegian "betaling") never count."""
    lowered = text.lower()
    scores: dict[str, float] = {}
    words: dict[str, list[str]] = {}
    for word in _WORD.findall(lowered):
        if word in ours:
            continue
        for code, markers in _SETS.items():
            if word in markers:
                scores[code] = scores.get(code, 0.0) + 1.0
                words.setdefault(code, []).append(word)
    for code, phrase in _PHRASES.items():
        for match in phrase.findall(lowered):
            scores[code] = scores.get(code, 0.0) + 1.0
            words.setdefault(code, []).append(match)
    for match in _TURKISH_CONTINUOUS.findall(lowered):
        scores["tr"] = scores.get("tr", 0.0) + 1.0
        words.setdefault("tr", []).append(match)
    for letter, codes in _LETTERS.items():
        if letter in lowered:
            for code in codes:
                scores[code] = scores.get(code, 0.0) + (0.5 if letter in _HALF else LETTER_WEIGHT)
                words.setdefault(code, []).append(letter)
    return ForeignEvidence(scores, words)
