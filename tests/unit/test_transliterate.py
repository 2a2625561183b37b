from bot.transliterate import cyrillic_to_latin, latin_to_cyrillic


def test_digraphs_become_single_cyrillic_letters():
    assert latin_to_cyrillic("Njegova ljubav, džemper") == "Његова љубав, џемпер"
    assert latin_to_cyrillic("Ljiljana i Džon") == "Љиљана и Џон"


def test_diacritics_map_to_their_letters():
    assert latin_to_cyrillic("ćao, čaj, šal, žuto, đak") == "ћао, чај, шал, жуто, ђак"


def test_urls_placeholders_brands_and_codes_stay_latin():
    text = "Platite karticom Visa ili PayPal, pratite na https://track.example.rs/A-2291 do {time}, DHL 10482."
    assert latin_to_cyrillic(text, keep=["Visa"]) == (
        "Платите картицом Visa или PayPal, пратите на https://track.example.rs/A-2291 до {time}, DHL 10482."
    )


def test_round_trip_keeps_serbian_text():
    latin = "Gde je moja porudžbina? Hvala vam, vidimo se u ponedeljak."
    assert cyrillic_to_latin(latin_to_cyrillic(latin)) == latin


def test_order_ticket_and_return_numbers_stay_latin_in_cyrillic():
    assert latin_to_cyrillic("Povraćaj R-10482-1 za porudžbinu A-2291, zahtev T-12.") == \
        "Повраћај R-10482-1 за поруџбину A-2291, захтев T-12."
