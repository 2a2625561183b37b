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
    assert replies == [("utter_hours_closed_on_day", {"day": "Niedziela", "next_open": hours.back_phrase(
        "pl", datetime(2026, 11, 29, tzinfo=hours.zone), utc(2026, 11, 23, 10, 0))})]
    assert "poniedziałek" in replies[0][1]["next_open"]


def test_weekday_in_greek_greeklish_and_serbian_cyrillic(hours):
    monday = utc(2026, 11, 23, 10, 0)
    assert hours.answer("είστε ανοιχτά το Σάββατο;", "el", monday)[0][1]["day"] == "Σάββατο"
    assert hours.answer("anoixta to savvato?", "el", monday)[0][1]["opens"] == "09:00"
    assert hours.answer("да ли радите у суботу", "sr", monday)[0][1]["closes"] == "15:00"


def test_christmas_is_a_holiday(hours):
    replies = hours.answer("open at christmas?", "en", utc(2026, 12, 1, 10, 0))
    name, values = replies[0]
    assert name == "utter_hours_holiday"
    assert values["holiday"] == "Christmas" and values["day"] == "Friday"
    # 26 December (a Saturday) is Boxing Day, so the team is back on Monday 28th.
    assert values["next_open"] == "on Monday at 08:00"


def test_easter_follows_the_moving_date(hours):
    assert hours.holiday_on(datetime(2027, 3, 29).date()) == "easter"  # Easter Monday 2027
    assert hours.holiday_on(datetime(2026, 4, 6).date()) == "easter"  # Easter Monday 2026
    assert hours.holiday_on(datetime(2026, 4, 7).date()) is None


def test_closed_today_on_a_holiday_points_to_the_next_working_day(hours):
    replies = hours.answer("are you open today?", "nb", utc(2026, 12, 25, 10, 0))
    assert replies[0][0] == "utter_hours_closed_now"
    assert "mandag" in replies[0][1]["next_open"]


def test_weekly_schedule_groups_days(hours):
    assert hours.schedule("en") == "Mon–Fri: 08:00–20:00\nSat: 09:00–15:00\nSun: closed"
    assert hours.schedule("da").startswith("Man–Fre: 08:00–20:00") or "08:00–20:00" in hours.schedule("da")
