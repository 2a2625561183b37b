from datetime import datetime, timezone

import pytest

from bot.hours import BusinessHours
from bot.profile import load_profile


@pytest.fixture(scope="module")
def hours() -> BusinessHours:
    return BusinessHours(load_profile())  # Mon-Fri 08-20, Sat 09-15, Europe/Warsaw


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def test_open_now_uses_the_shops_time_zone(hours):
    # 18:30 UTC in November is 19:30 in Warsaw: open until 20:00.
    assert hours.answer("are you open now?", "en", utc(2026, 11, 23, 18, 30))[0] == (
        "utter_hours_open_now", {"closes": "20:00"}
    )
    # 19:30 UTC is 20:30 in Warsaw: closed, back tomorrow.
    assert hours.answer("are you open now?", "en", utc(2026, 11, 23, 19, 30))[0] == (
        "utter_hours_closed_now", {"next_open": "tomorrow at 08:00"}
    )


def test_daylight_saving_time(hours):
    # Summer time starts on 29 March 2026: 06:30 UTC is 08:30 in Warsaw on Monday 30 March (open)...
    assert hours.is_open(utc(2026, 3, 30, 6, 30))
    # ...but 07:30 in Warsaw on Friday 27 March, still winter time (closed).
    assert not hours.is_open(utc(2026, 3, 27, 6, 30))


def test_a_closed_weekday_says_when_the_team_is_back(hours):
    replies = hours.answer("czy jesteście otwarci w niedzielę?", "pl", utc(2026, 11, 23, 10, 0))
    assert replies == [("utter_hours_closed_on_day", {"day": "Niedziela, 29 listopada", "next_open": hours.back_phrase(
        "pl", datetime(2026, 11, 29, tzinfo=hours.zone), utc(2026, 11, 23, 10, 0))})]
    assert "poniedziałek" in replies[0][1]["next_open"]


def test_weekday_in_greek_greeklish_and_serbian_cyrillic(hours):
    monday = utc(2026, 11, 23, 10, 0)
    assert hours.answer("είστε ανοιχτά το Σάββατο;", "el", monday)[0][1]["day"] == "Σάββατο 28 Νοεμβρίου"
    assert hours.answer("anoixta to savvato?", "el", monday)[0][1]["opens"] == "09:00"
    assert hours.answer("да ли радите у суботу", "sr", monday)[0][1]["closes"] == "15:00"


def test_christmas_is_a_holiday(hours):
    replies = hours.answer("open at christmas?", "en", utc(2026, 12, 1, 10, 0))
    name, values = replies[0]
    assert name == "utter_hours_holiday"
    assert values["holiday"] == "Christmas Day" and values["day"] == "Friday, 25 December"
    # 26 December (a Saturday) is Boxing Day, so the team is back on Monday 28th.
    assert values["next_open"] == "on Monday at 08:00"


def test_easter_follows_the_moving_date(hours):
    assert hours.holiday_on(datetime(2027, 3, 29).date()) == "easter_monday"  # Easter Monday 2027
    assert hours.holiday_on(datetime(2026, 4, 6).date()) == "easter_monday"  # Easter Monday 2026
    assert hours.holiday_on(datetime(2026, 4, 5).date()) == "easter"
    assert hours.holiday_on(datetime(2026, 4, 7).date()) is None
    assert hours.holiday_on(datetime(2027, 5, 2).date()) == "orthodox_easter"  # Orthodox Easter 2027: 2 May


def test_closed_today_on_a_holiday_points_to_the_next_working_day(hours):
    replies = hours.answer("are you open today?", "nb", utc(2026, 12, 25, 10, 0))
    assert replies[0][0] == "utter_hours_closed_now"
    assert "mandag" in replies[0][1]["next_open"]


def test_weekly_schedule_groups_days(hours):
    assert hours.schedule("en") == "Mon–Fri: 08:00–20:00\nSat: 09:00–15:00\nSun: closed"
    assert hours.schedule("da").startswith("Man–Fre: 08:00–20:00") or "08:00–20:00" in hours.schedule("da")


DECEMBER = utc(2026, 12, 2, 10, 0)  # a Wednesday
CHRISTMAS_EVE = {
    "en": ("Are you open on Christmas Eve?", "Thursday, 24 December"),
    "el": ("είστε ανοιχτά την παραμονή των Χριστουγέννων;", "Πέμπτη 24 Δεκεμβρίου"),
    "pl": ("czy pracujecie w Wigilię?", "czwartek, 24 grudnia"),
    "sr": ("da li radite 24. decembra?", "četvrtak, 24. decembar"),
    "hr": ("radite li na Badnjak?", "četvrtak, 24. prosinca"),
    "nb": ("har dere åpent på julaften?", "torsdag, 24. desember"),
    "da": ("har I åbent juleaften?", "torsdag, 24. december"),
}


@pytest.mark.parametrize("language", sorted(CHRISTMAS_EVE))
def test_christmas_eve_is_a_short_thursday_in_every_language(hours, language):
    question, day = CHRISTMAS_EVE[language]
    [(name, values)] = hours.answer(question, language, DECEMBER)
    assert name == "utter_hours_holiday_short"  # the profile: 08:00-14:00
    assert values["day"] == day and (values["opens"], values["closes"]) == ("08:00", "14:00")
    assert values["holiday"] == hours.profile.texts(language)["holidays"]["christmas_eve"]["name"]


def test_eves_and_easter_monday_are_told_apart_from_the_holiday(hours):
    assert hours.asked_day("open on new year's eve?", "en", DECEMBER).holiday == "new_years_eve"
    assert hours.asked_day("open on new year's day?", "en", DECEMBER).holiday == "new_year"
    assert hours.asked_day("czynne w sylwestra?", "pl", DECEMBER).holiday == "new_years_eve"
    monday = hours.asked_day("open on easter monday?", "en", DECEMBER)
    assert monday.holiday == "easter_monday" and monday.day == datetime(2027, 3, 29).date()
    assert hours.asked_day("åpent 2. påskedag?", "nb", DECEMBER).holiday == "easter_monday"


def test_greek_easter_is_orthodox_easter_and_the_profile_keeps_the_usual_hours(hours):
    asked = hours.asked_day("είστε ανοιχτά τη Δευτέρα του Πάσχα;", "el", DECEMBER)
    assert asked.holiday == "orthodox_easter_monday" and asked.day == datetime(2027, 5, 3).date()
    [(name, values)] = hours.answer("anoixta deutera tou pasxa?", "el", DECEMBER)
    assert name == "utter_hours_holiday_open" and values["day"] == "Δευτέρα 3 Μαΐου"
    assert (values["opens"], values["closes"]) == ("08:00", "20:00")
    # Orthodox Easter Sunday is a Sunday: closed like every Sunday, and the answer names the day.
    [(name, values)] = hours.answer("είστε ανοιχτά το Πάσχα;", "el", DECEMBER)
    assert name == "utter_hours_closed_on_day" and values["day"] == "Κυριακή 2 Μαΐου (Πάσχα)"


def test_a_holiday_named_in_another_language_is_answered_in_the_conversations(hours):
    [(name, values)] = hours.answer("are you open on Christmas Eve?", "pl", DECEMBER)
    assert name == "utter_hours_holiday_short" and values["holiday"] == "Wigilia"
    assert values["day"] == "czwartek, 24 grudnia"
    # An unknown name is no holiday: the general answer, no crash.
    assert hours.answer("open on Diwali?", "sr", DECEMBER)[0][0] in ("utter_hours_open_now", "utter_hours_closed_now")


ZONE_WORDS = {"en": "Central European Time", "el": "Ώρα Κεντρικής Ευρώπης", "pl": "czas środkowoeuropejski",
              "sr": "srednjeevropsko vreme", "hr": "srednjoeuropsko vrijeme", "nb": "sentraleuropeisk tid",
              "da": "centraleuropæisk tid"}


@pytest.mark.parametrize("language", sorted(ZONE_WORDS))
def test_the_time_zone_is_named_in_words(hours, language):
    name, values = hours.schedule_reply(language)
    assert values["timezone"] == ZONE_WORDS[language] and "/" not in values["timezone"]
    assert values["local_times"] == ""


def test_greek_and_cypriot_customers_get_their_own_time_too(hours):
    # 10:00 UTC on a Wednesday in December: 11:00 in Warsaw (open until 20:00), 12:00 in Athens and Nicosia.
    for zone in ("Europe/Athens", "Asia/Nicosia"):
        replies = hours.answer("είστε ανοιχτά τώρα;", "el", DECEMBER, zone)
        assert replies[0] == ("utter_hours_open_now", {"closes": "20:00 (21:00 Ώρα Ανατολικής Ευρώπης)"})
        assert "Δευ–Παρ: 09:00–21:00" in replies[1][1]["local_times"]
    # The same offset as the shop (a Polish or Serbian customer): nothing converted.
    assert hours.answer("are you open now?", "en", DECEMBER, "Europe/Belgrade")[0][1] == {"closes": "20:00"}
    # A British customer an hour behind: the reopening time in theirs as well.
    evening = utc(2026, 12, 2, 20, 0)
    assert hours.answer("are you open now?", "en", evening, "Europe/London")[0][1]["next_open"] == (
        "tomorrow at 08:00 (07:00 United Kingdom Time)")


def test_a_cypriot_phone_gets_the_cyprus_time_zone_named_in_words(hours):
    """+357 is Cyprus: its zone is Asia/Nicosia, which CLDR names, not Asia/Famagusta (listed first, unnamed)."""
    from bot import countries, wording

    metadata = {"phone": "+35799123456"}
    zone = wording.customer_zone(metadata, countries.channel_country(metadata), "el")
    assert zone == "Asia/Nicosia"
    replies = hours.answer("είστε ανοιχτά τώρα;", "el", DECEMBER, zone)
    assert replies[0][1]["closes"] == "20:00 (21:00 Ώρα Ανατολικής Ευρώπης)"
