"""The demo shop's data: customers in the seven markets, ~60 orders in every status, a small catalogue.

Times are kept as offsets from "now" (days ago, days ahead) and turned into dates when read (`dated_order`,
`dated_product`), so a delivered order stays "delivered six days ago" and a restock stays "in twelve days"
whenever the demo runs. `SCENARIOS` names the orders and products tests use instead of hard-coded numbers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Mapping, Optional

from bot.orders.model import Order, OrderItem, OrderStatus, Product
from bot.transliterate import latin_to_cyrillic


@dataclass(frozen=True)
class Customer:
    name: str
    email: str
    phone: str  # international form
    country: str
    language: str


@dataclass(frozen=True)
class SeedProduct:
    sku: str
    name: str
    in_stock: int
    restock_in_days: Optional[int]
    names: dict[str, tuple[str, ...]]
    returnable: bool = True
    not_returnable_reason: str = ""  # why not: hygiene, gift_card, made_to_order, final_sale


@dataclass(frozen=True)
class SeedOrder:
    scenario: str
    number: str
    customer: Customer
    status: OrderStatus
    items: tuple[tuple[str, int, int], ...]  # (sku, quantity, returned quantity)
    placed_days_ago: float
    delivered_days_ago: Optional[float] = None
    carrier: str = ""
    tracking_number: str = ""
    expected_in_days: Optional[int] = None


def _names(en: str, el: str, pl: str, sr: str, hr: str, nb: str, da: str) -> dict[str, tuple[str, ...]]:
    """Names per language ("a|b" gives two); Serbian in both scripts."""
    split = lambda names: tuple(names.split("|"))  # noqa: E731
    serbian = split(sr)
    return {"en": split(en), "el": split(el), "pl": split(pl),
            "sr": serbian + tuple(latin_to_cyrillic(name) for name in serbian),
            "hr": split(hr), "nb": split(nb), "da": split(da)}


PRODUCTS: tuple[SeedProduct, ...] = (
    SeedProduct("NV-RJ-01", "Rain jacket", 0, 12, _names(
        "rain jacket|raincoat", "αδιάβροχο μπουφάν|αδιάβροχο", "kurtka przeciwdeszczowa", "kišna jakna", "kišna jakna",
        "regnjakke", "regnjakke")),
    SeedProduct("NV-DJ-02", "Denim jacket", 0, None, _names(
        "denim jacket|jean jacket", "τζιν μπουφάν", "kurtka jeansowa", "teksas jakna", "traper jakna",
        "dongerijakke|jeansjakke", "cowboyjakke|denimjakke")),
    SeedProduct("NV-JE-03", "Jeans", 14, None, _names(
        "jeans", "τζιν παντελόνι", "dżinsy|jeansy", "farmerke", "traperice", "jeans|olabukse", "jeans|cowboybukser")),
    SeedProduct("NV-WS-04", "Wool sweater", 23, None, _names(
        "wool sweater|wool jumper", "μάλλινο πουλόβερ", "wełniany sweter", "vuneni džemper", "vuneni džemper",
        "ullgenser", "uldsweater|uldtrøje")),
    SeedProduct("NV-SN-05", "Sneakers", 8, None, _names(
        "sneakers|trainers", "αθλητικά παπούτσια", "sneakersy|trampki", "patike", "tenisice", "joggesko|sneakers",
        "sneakers")),
    SeedProduct("NV-HB-06", "Hiking boots", 0, 30, _names(
        "hiking boots", "ορειβατικά μποτάκια", "buty trekkingowe", "planinarske cipele", "planinarske cipele",
        "fjellstøvler|tursko", "vandrestøvler")),
    SeedProduct("NV-SS-07", "Swimsuit (hygiene seal)", 5, None, _names(
        "swimsuit|swimming costume", "μαγιό", "strój kąpielowy", "kupaći kostim", "kupaći kostim", "badedrakt",
        "badedragt"), returnable=False, not_returnable_reason="hygiene"),
    SeedProduct("NV-ER-08", "Silver earrings", 11, None, _names(
        "silver earrings", "ασημένια σκουλαρίκια", "srebrne kolczyki", "srebrne minđuše", "srebrne naušnice",
        "sølvøredobber", "sølvøreringe"), returnable=False, not_returnable_reason="hygiene"),
    SeedProduct("NV-GC-09", "Gift card", 999, None, _names(
        "gift card", "δωροκάρτα", "karta podarunkowa", "poklon kartica", "poklon bon", "gavekort", "gavekort"),
        returnable=False, not_returnable_reason="gift_card"),
    SeedProduct("NV-TS-10", "Cotton T-shirt", 40, None, _names(
        "cotton t-shirt|t-shirt", "βαμβακερό μπλουζάκι", "koszulka bawełniana", "pamučna majica", "pamučna majica",
        "t-skjorte", "t-shirt")),
    SeedProduct("NV-LB-11", "Leather belt", 0, None, _names(
        "leather belt", "δερμάτινη ζώνη", "skórzany pasek", "kožni kaiš", "kožni remen", "skinnbelte", "læderbælte")),
    SeedProduct("NV-BP-12", "Backpack", 6, None, _names(
        "backpack|rucksack", "σακίδιο πλάτης", "plecak", "ranac", "ruksak", "ryggsekk", "rygsæk")),
    SeedProduct("NV-BE-13", "Beanie", 0, 5, _names(
        "beanie|winter hat", "σκούφος", "czapka zimowa", "zimska kapa", "zimska kapa", "lue", "hue")),
    SeedProduct("NV-SC-14", "Scarf", 17, None, _names(
        "scarf", "κασκόλ", "szalik", "šal", "šal", "skjerf", "halstørklæde|tørklæde")),
    SeedProduct("NV-UM-15", "Umbrella", 9, None, _names(
        "umbrella", "ομπρέλα", "parasol", "kišobran", "kišobran", "paraply", "paraply")),
    SeedProduct("NV-TM-16", "Travel mug", 3, None, _names(
        "travel mug|thermos mug", "θερμός", "kubek termiczny", "termos šolja", "termo šalica", "termokopp",
        "termokrus")),
)
_CATALOGUE = {product.sku[3:5]: product for product in PRODUCTS}

CUSTOMERS: dict[str, Customer] = {
    "oliver": Customer("Oliver Bennett", "oliver.bennett@example.com", "+447700900123", "GB", "en"),
    "amelia": Customer("Amelia Hughes", "amelia.hughes@example.com", "+447700900456", "GB", "en"),
    "siobhan": Customer("Siobhán Murphy", "siobhan.murphy@example.com", "+353851234567", "IE", "en"),
    "giorgos": Customer("Γιώργος Παπαδόπουλος", "giorgos.papadopoulos@example.com", "+306912345678", "GR", "el"),
    "eleni": Customer("Ελένη Γεωργίου", "eleni.georgiou@example.com", "+35799123456", "CY", "el"),
    "katerina": Customer("Κατερίνα Νικολάου", "katerina.nikolaou@example.com", "+306944556677", "GR", "el"),
    "katarzyna": Customer("Katarzyna Wiśniewska", "katarzyna.wisniewska@example.com", "+48600100200", "PL", "pl"),
    "piotr": Customer("Piotr Zieliński", "piotr.zielinski@example.com", "+48512345678", "PL", "pl"),
    "marko": Customer("Marko Jovanović", "marko.jovanovic@example.com", "+381601234567", "RS", "sr"),
    "jelena": Customer("Јелена Петровић", "jelena.petrovic@example.com", "+381641112233", "RS", "sr"),
    "ivana": Customer("Ivana Horvat", "ivana.horvat@example.com", "+385911234567", "HR", "hr"),
    "luka": Customer("Luka Kovačević", "luka.kovacevic@example.com", "+385981234567", "HR", "hr"),
    "ingrid": Customer("Ingrid Hansen", "ingrid.hansen@example.com", "+4791234567", "NO", "nb"),
    "magnus": Customer("Magnus Olsen", "magnus.olsen@example.com", "+4741234567", "NO", "nb"),
    "mette": Customer("Mette Nielsen", "mette.nielsen@example.com", "+4520123456", "DK", "da"),
    "rasmus": Customer("Rasmus Jensen", "rasmus.jensen@example.com", "+4531234567", "DK", "da"),
}

# Carrier -> (tracking link template, a tracking number).
CARRIERS: dict[str, tuple[str, str]] = {
    "Royal Mail": ("https://www.royalmail.com/track-your-item#/tracking-results/{}", "RM{}GB"),
    "An Post": ("https://www.anpost.com/Post-Parcels/Track/History?item={}", "CE{}IE"),
    "ELTA Courier": ("https://www.elta-courier.gr/search?br={}", "EL{}GR"),
    "ACS": ("https://www.acscourier.net/en/track-and-trace/?p={}", "72{}"),
    "InPost": ("https://inpost.pl/sledzenie-przesylek?number={}", "6800{}0124"),
    "Poczta Polska": ("https://emonitoring.poczta-polska.pl/?numer={}", "00659{}7"),
    "Post Express": ("https://www.posta.rs/eng/alati/pracenje-posiljke.aspx?broj={}", "PE{}RS"),
    "D Express": ("https://www.dexpress.rs/rs/pracenje-posiljaka/{}", "DE{}"),
    "Hrvatska pošta": ("https://posiljka.posta.hr/en/tracking/trackingdata?barcode={}", "RR{}HR"),
    "GLS": ("https://gls-group.com/EU/en/parcel-tracking?match={}", "9{}2"),
    "Posten Bring": ("https://sporing.posten.no/sporing/{}", "70702{}5"),
    "PostNord": ("https://www.postnord.dk/en/track-and-trace#shipmentid={}", "00370{}8"),
}

P, K, S, O, D, C, R = (OrderStatus.PENDING, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.OUT_FOR_DELIVERY,
                       OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.RETURNED)

# scenario, number, customer, status, items ("TS" = one cotton T-shirt, "TS*2" = two, "TS*2r2" = two, both
# returned), days since placed, days since delivered (delivered/returned) or until expected (shipped), carrier.
_ORDERS = """
pending_en            10401  oliver    P  TS             0.2
packed_en             10402  amelia    K  SN             1
shipped_en            10403  oliver    S  WS,SC          3     2   Royal Mail
out_for_delivery_en   10404  siobhan   O  BP             4     0   An Post
delivered_returnable_en 10405 amelia   D  SN,TS*2        10    6   Royal Mail
delivered_window_expired_en 10406 oliver D WS            50    45  Royal Mail
cancelled_en          10407  siobhan   C  UM             8
returned_en           10408  amelia    R  JE*1r1         45    40  Royal Mail
non_returnable_item_en A-2291 oliver   D  GC,ER          6     3   Royal Mail
pending_el            10411  giorgos   P  HB             0.5
packed_el             10412  eleni     K  SC             1
shipped_el            10413  katerina  S  SN             2     3   ELTA Courier
out_for_delivery_el   10414  giorgos   O  TS             3     0   ACS
delivered_returnable_el 10415 katerina D  RJ,UM          9     5   ELTA Courier
non_returnable_item_el 10416 eleni     D  SS             12    9   ACS
delivered_window_expired_el 10417 giorgos D BP           75    70  ACS
cancelled_el          10418  katerina  C  WS             4
pending_pl            10421  katarzyna P  BE             0.3
packed_pl             10422  piotr     K  JE,LB          1
shipped_pl            10423  katarzyna S  RJ             2     1   InPost
out_for_delivery_pl   10424  piotr     O  SN             3     0   Poczta Polska
delivered_returnable_pl 10425 katarzyna D WS,SC,BE       5     2   InPost
delivered_window_expired_pl 10426 piotr D JE             38    35  InPost
returned_pl           10427  katarzyna R  SN*1r1         30    25  InPost
item_already_returned_pl 10428 piotr   D  TS*2r2,BP      15    12  Poczta Polska
pending_sr            10431  marko     P  UM             0.4
packed_sr             10432  jelena    K  WS             1
shipped_sr            10433  marko     S  HB             3     2   Post Express
out_for_delivery_sr   10434  jelena    O  SN             2     0   D Express
delivered_returnable_sr 10435 marko    D  JE,TS          7     4   Post Express
non_returnable_item_sr 10436 jelena    D  ER,SC          10    7   D Express
cancelled_sr          10437  marko     C  BP             6
delivered_window_expired_sr 10438 jelena D LB            95    90  Post Express
pending_hr            10441  ivana     P  SN             0.1
packed_hr             10442  luka      K  BP             1
shipped_hr            10443  ivana     S  WS             2     2   Hrvatska pošta
out_for_delivery_hr   10444  luka      O  UM             3     0   GLS
delivered_returnable_hr 10445 ivana    D  RJ,BE          14    10  GLS
cancelled_hr          10446  luka      C  JE             5
returned_hr           10447  ivana     R  SC*1r1         40    33  Hrvatska pošta
non_returnable_item_hr 10448 luka      D  GC             4     2   GLS
pending_nb            10451  ingrid    P  WS             0.6
packed_nb             10452  magnus    K  HB             1
shipped_nb            10453  ingrid    S  RJ,UM          2     3   Posten Bring
out_for_delivery_nb   10454  magnus    O  SN             3     0   PostNord
delivered_returnable_nb 10455 ingrid   D  JE             4     1   Posten Bring
delivered_window_expired_nb 10456 magnus D TS            36    31  PostNord
cancelled_nb          10457  ingrid    C  BE             3
non_returnable_item_nb B-7731 magnus   D  SS             6     3   Posten Bring
pending_da            10461  mette     P  SC             0.2
packed_da             10462  rasmus    K  TS             1
shipped_da            10463  mette     S  BP             2     2   PostNord
out_for_delivery_da   10464  rasmus    O  WS             2     0   GLS
delivered_returnable_da 10465 mette    D  SN,BE          11    8   PostNord
delivered_window_expired_da 10466 rasmus D JE            65    60  GLS
returned_da           10467  mette     R  UM*1r1         28    24  PostNord
cancelled_da          10468  rasmus    C  RJ             9
"""


def _items(spec: str) -> tuple[tuple[str, int, int], ...]:
    items = []
    for part in spec.split(","):
        code, _, counts = part.partition("*")
        quantity, _, returned = counts.partition("r")
        items.append((_CATALOGUE[code].sku, int(quantity or 1), int(returned or 0)))
    return tuple(items)


def _seed_orders() -> tuple[SeedOrder, ...]:
    orders = []
    for index, line in enumerate(_ORDERS.strip().splitlines()):
        scenario, number, customer, status, items, placed, *rest = line.split(None, 7)
        days = float(rest[0]) if rest else None
        carrier = rest[1] if len(rest) > 1 else ""
        status = {"P": P, "K": K, "S": S, "O": O, "D": D, "C": C, "R": R}[status]
        shipped = status in (S, O)
        tracking = CARRIERS[carrier][1].format(f"{4810270 + index * 7919:08d}") if carrier else ""
        orders.append(SeedOrder(
            scenario, number, CUSTOMERS[customer], status, _items(items), float(placed),
            delivered_days_ago=None if shipped else days, carrier=carrier, tracking_number=tracking,
            expected_in_days=int(days) if shipped and days is not None else None))
    return tuple(orders)


ORDERS: tuple[SeedOrder, ...] = _seed_orders()


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def dated_order(seed: SeedOrder, now: datetime, returned: Mapping[str, Optional[int]] | frozenset[str] = frozenset()
                ) -> Order:
    """The order as it stands at `now`; `returned` names items in a return case made since (with the units sent
    back, None for the whole line)."""
    catalogue = {product.sku: product for product in PRODUCTS}
    sent = returned if isinstance(returned, Mapping) else {item_id: None for item_id in returned}

    def back(item_id: str, quantity: int, before: int) -> int:
        if item_id not in sent:
            return before
        units = sent[item_id]
        return quantity if units is None else min(quantity, before + units)

    items = tuple(
        OrderItem(id=f"{seed.number}-{position}", name=catalogue[sku].name, quantity=quantity, sku=sku,
                  returnable=catalogue[sku].returnable, not_returnable_reason=catalogue[sku].not_returnable_reason,
                  returned_quantity=back(f"{seed.number}-{position}", quantity, returned_quantity))
        for position, (sku, quantity, returned_quantity) in enumerate(seed.items, start=1))
    link = CARRIERS[seed.carrier][0].format(seed.tracking_number) if seed.carrier else ""
    return Order(
        number=seed.number, id=f"demo-{seed.number}", status=seed.status, customer_email=seed.customer.email,
        customer_phone=seed.customer.phone, customer_name=seed.customer.name, country=seed.customer.country,
        placed_at=_hour(now - timedelta(days=seed.placed_days_ago)), items=items, carrier=seed.carrier,
        tracking_number=seed.tracking_number, tracking_url=link,
        expected_delivery=None if seed.expected_in_days is None else (now + timedelta(seed.expected_in_days)).date(),
        delivered_at=None if seed.delivered_days_ago is None else _hour(now - timedelta(days=seed.delivered_days_ago)))


def dated_product(seed: SeedProduct, today: date) -> Product:
    restock = None if seed.restock_in_days is None else today + timedelta(days=seed.restock_in_days)
    return Product(sku=seed.sku, name=seed.name, in_stock=seed.in_stock, restock_date=restock, names=seed.names)


def _order_scenario(seed: SeedOrder) -> dict:
    catalogue = {product.sku: product for product in PRODUCTS}
    ids = [f"{seed.number}-{position}" for position in range(1, len(seed.items) + 1)]
    return {
        "number": seed.number, "email": seed.customer.email, "phone": seed.customer.phone,
        "name": seed.customer.name, "language": seed.customer.language, "country": seed.customer.country,
        "status": seed.status.value, "item_ids": ids, "item_skus": [sku for sku, _, _ in seed.items],
        "non_returnable_item_ids": [i for i, (sku, _, _) in zip(ids, seed.items) if not catalogue[sku].returnable],
        "returned_item_ids": [i for i, (_, quantity, back) in zip(ids, seed.items) if back >= quantity],
        "carrier": seed.carrier, "tracking_number": seed.tracking_number,
    }


def _product_scenario(sku: str) -> dict:
    product = next(product for product in PRODUCTS if product.sku == sku)
    return {"sku": product.sku, "name": product.name, "names": product.names, "in_stock": product.in_stock,
            "restock_in_days": product.restock_in_days}


SCENARIOS: dict[str, dict] = {
    **{seed.scenario: _order_scenario(seed) for seed in ORDERS},
    "restock_planned": _product_scenario("NV-RJ-01"),
    "restock_not_planned": _product_scenario("NV-DJ-02"),
    "in_stock": _product_scenario("NV-WS-04"),
}
