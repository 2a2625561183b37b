"""Business hours: open now, on a given day or holiday, and when the team is back — in the shop's time zone."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from dateutil.easter import EASTER_ORTHODOX, EASTER_WESTERN, easter

from bot import languages, wording
from bot.profile import WEEKDAYS, BusinessProfile
from bot.text import fold_diacritics

Reply = tuple[str, dict[str, str]]  # a response name and its template values


@dataclass(frozen=True)
class Opening:
    opens: time
    closes: time


@dataclass(frozen=True)
class AskedDay:
    """What day a question is about; `holiday` is set when the customer named one."""

    day: date
    holiday: Optional[str] = None
    is_today: bool = False


class BusinessHours:
    def __init__(self, profile: BusinessProfile) -> None:
        self.profile = profile
        self.zone = ZoneInfo(profile.timezone)
        self.week: dict[int, Opening] = {}
        for index, name in enumerate(WEEKDAYS):
            span = profile.data["opening_hours"].get(name)
            if span:
                self.week[index] = _opening(span)

    # ---- facts ------------------------------------------------------------------------------
    def holiday_on(self, day: date) -> Optional[str]:
        """The holiday or eve the profile names on `day` (closed, short or usual), if any."""
        for holiday_id, rule in self.profile.data.get("holidays", {}).items():
            if day in self._holiday_dates(rule, day.year):
                return holiday_id
        return None

    @staticmethod
    def _holiday_dates(rule: dict, year: int) -> set[date]:
        if "date" in rule:
            month, day_of_month = (int(part) for part in rule["date"].split("-"))
            return {date(year, month, day_of_month)}
        days: set[date] = set()
        for key, method in (("easter_offset", EASTER_WESTERN), ("orthodox_easter_offset", EASTER_ORTHODOX)):
            offsets = rule.get(key, [])
            offsets = offsets if isinstance(offsets, list) else [offsets]
            days |= {easter(year, method) + timedelta(days=offset) for offset in offsets}
        return days

    def _holiday_hours(self, holiday_id: str, day: date) -> Optional[Opening]:
        """A holiday's hours: None when closed, the weekday's for `usual`, or its own short day."""
        hours = self.profile.data["holidays"][holiday_id].get("hours", "closed")
        if hours == "usual":
            return self.week.get(day.weekday())
        if isinstance(hours, list):
            return _opening(hours)
        return None

    def opening_on(self, day: date) -> Optional[Opening]:
        """Hours on `day`, None when closed (weekly closing day or holiday)."""
        holiday_id = self.holiday_on(day)
        if holiday_id:
            return self._holiday_hours(holiday_id, day)
        return self.week.get(day.weekday())

    def local(self, now: datetime) -> datetime:
        return now.astimezone(self.zone)

    def is_open(self, now: datetime) -> bool:
        local = self.local(now)
        opening = self.opening_on(local.date())
        return bool(opening and opening.opens <= local.time() < opening.closes)

    def next_opening(self, after: datetime) -> Optional[datetime]:
        """The next moment the team opens, strictly after `after` (searching a year ahead)."""
        local = self.local(after)
        for offset in range(366):
            day = local.date() + timedelta(days=offset)
            opening = self.opening_on(day)
            if opening is None:
                continue
            start = datetime.combine(day, opening.opens, tzinfo=self.zone)
            if start > local:
                return start
        return None

    # ---- understanding the question ----------------------------------------------------------
    def asked_day(self, text: str, language: str, now: datetime) -> Optional[AskedDay]:
        """The day a question names ("on Sunday", "on Christmas Eve", "tomorrow"), or None for "now / in general".

        Holiday names are looked up in the conversation's language first, then in the others ("Christmas Eve"
        in a Polish chat); the longest name wins ("Easter Monday" over "Easter").
        """
        texts = self.profile.texts(language)
        folded = fold_diacritics(text)
        today = self.local(now).date()
        holiday_id = self._named_holiday(folded, language)
        if holiday_id:
            return AskedDay(self._next_holiday_date(holiday_id, today), holiday=holiday_id)
        if _mentions(folded, texts["tomorrow_keywords"]):
            return AskedDay(today + timedelta(days=1))
        for index, keywords in enumerate(texts["weekday_keywords"]):
            if _mentions(folded, keywords):
                day = today + timedelta(days=(index - today.weekday()) % 7)
                return AskedDay(day, is_today=day == today)
        return None

    def _named_holiday(self, folded_text: str, language: str) -> Optional[str]:
        others = [code for code in self.profile.data["texts"] if code != language]
        for code in [language, *others]:
            named = [(len(keyword), holiday_id)
                     for holiday_id, holiday in self.profile.texts(code)["holidays"].items()
                     if holiday_id in self.profile.data.get("holidays", {})
                     for keyword in map(str, holiday["keywords"]) if _mentions(folded_text, [keyword])]
            if named:
                return max(named)[1]
        return None

    def _next_holiday_date(self, holiday_id: str, today: date) -> date:
        rule = self.profile.data["holidays"][holiday_id]
        candidates = self._holiday_dates(rule, today.year) | self._holiday_dates(rule, today.year + 1)
        return min(day for day in candidates if day >= today)

    # ---- answers ----------------------------------------------------------------------------
    def answer(self, text: str, language: str, now: datetime, customer_zone: Optional[str] = None) -> list[Reply]:
        """The replies to an opening-hours question, as response names with their values.

        Times are the shop's; with `customer_zone` (an IANA id) in a different offset, the customer's time follows.
        """
        asked = self.asked_day(text, language, now)
        if asked is None or (asked.is_today and asked.holiday is None):
            return [self._answer_now(language, now, customer_zone), self.schedule_reply(language, customer_zone)]
        return [self._answer_day(asked, language, now, customer_zone)]

    def _answer_now(self, language: str, now: datetime, customer_zone: Optional[str]) -> Reply:
        if self.is_open(now):
            local = self.local(now)
            closes = datetime.combine(local.date(), self.opening_on(local.date()).closes, tzinfo=self.zone)
            return "utter_hours_open_now", {"closes": self.clock(closes, language, customer_zone)}
        return "utter_hours_closed_now", {"next_open": self.back_phrase(language, now, now, customer_zone)}

    def day_phrase(self, day: date, language: str, mid_sentence: bool = False) -> str:
        """"Thursday, 24 December", "czwartek, 24 grudnia", "Πέμπτη 24 Δεκεμβρίου": weekday and date, so the
        customer can check them."""
        texts = self.profile.texts(language)
        weekday = texts["weekdays"][day.weekday()]
        if mid_sentence and not languages.LANGUAGES.get(language, languages.LANGUAGES["en"]).capitalises_weekdays:
            weekday = weekday.lower()
        dated = format_skeleton("MMMMd", day, locale=wording.locale_of(language))
        return f"{weekday} {dated}" if language == "el" else f"{weekday}, {dated}"

    def _answer_day(self, asked: AskedDay, language: str, now: datetime, customer_zone: Optional[str]) -> Reply:
        texts = self.profile.texts(language)
        day = self.day_phrase(asked.day, language)
        holiday_id = self.holiday_on(asked.day)
        start_of_day = datetime.combine(asked.day, time(0), tzinfo=self.zone)
        opening = self.opening_on(asked.day)
        if holiday_id and opening is None and asked.day.weekday() in self.week:
            return "utter_hours_holiday", {
                "day": day, "holiday": texts["holidays"][holiday_id]["name"],
                "next_open": self.back_phrase(language, start_of_day, now, customer_zone),
            }
        if holiday_id and opening is not None:
            response = "utter_hours_holiday_open" if opening == self.week.get(asked.day.weekday()) else (
                "utter_hours_holiday_short")
            return response, {"day": self.day_phrase(asked.day, language, mid_sentence=True),
                              "holiday": texts["holidays"][holiday_id]["name"],
                              **self._span(asked.day, opening, language, customer_zone)}
        if holiday_id:  # a named day that falls on a weekly closing day
            day = f"{day} ({texts['holidays'][holiday_id]['name']})"
        if opening is None:
            return "utter_hours_closed_on_day", {
                "day": day, "next_open": self.back_phrase(language, start_of_day, now, customer_zone)}
        return "utter_hours_on_day", {"day": day, **self._span(asked.day, opening, language, customer_zone)}

    def _span(self, day: date, opening: Opening, language: str, customer_zone: Optional[str]) -> dict[str, str]:
        opens = datetime.combine(day, opening.opens, tzinfo=self.zone)
        closes = datetime.combine(day, opening.closes, tzinfo=self.zone)
        return {"opens": _clock(opening.opens), "closes": self.clock(closes, language, customer_zone)}

    def clock(self, moment: datetime, language: str, customer_zone: Optional[str] = None) -> str:
        """"20:00", or "20:00 (21:00 Eastern European Time)" for a customer in another offset."""
        shop = self.local(moment)
        if not customer_zone:
            return _clock(shop.time())
        theirs = moment.astimezone(ZoneInfo(customer_zone))
        if theirs.utcoffset() == shop.utcoffset():
            return _clock(shop.time())
        return f"{_clock(shop.time())} ({_clock(theirs.time())} {wording.zone_name(customer_zone, language)})"

    def back_phrase(self, language: str, after: datetime, now: datetime, customer_zone: Optional[str] = None) -> str:
        """How "we're back ..." continues after `after`: "today at 09:00", "tomorrow at 09:00", "on Monday at 09:00".

        "today" and "tomorrow" are relative to `now`, the moment the customer asks.
        """
        texts = self.profile.texts(language)
        reopening = self.next_opening(after)
        if reopening is None:
            return ""
        local_after = self.local(now).date()
        clock = self.clock(reopening, language, customer_zone)
        if reopening.date() == local_after:
            return texts["back_today"].format(time=clock)
        if reopening.date() == local_after + timedelta(days=1):
            return texts["back_tomorrow"].format(time=clock)
        day = texts["weekdays"][reopening.weekday()]
        if not languages.LANGUAGES.get(language, languages.LANGUAGES["en"]).capitalises_weekdays:
            day = day.lower()
        return texts["back_on_day"].format(day=day, time=clock)

    def schedule_reply(self, language: str, customer_zone: Optional[str] = None) -> Reply:
        """The weekly hours with the shop's time zone in words, and in the customer's time when it differs."""
        local_times = ""
        shift = self._shift(customer_zone)
        if shift:
            texts = self.profile.texts(language)
            local_times = "\n" + texts["your_time"].format(zone=wording.zone_name(customer_zone, language),
                                                            schedule=self.schedule(language, shift, "; "))
        return "utter_hours_schedule", {"timezone": wording.zone_name(self.profile.timezone, language),
                                        "schedule": self.schedule(language), "local_times": local_times}

    def _shift(self, customer_zone: Optional[str]) -> timedelta:
        """How far the customer's clock is ahead of the shop's right now (zero when unknown)."""
        if not customer_zone:
            return timedelta(0)
        now = datetime.now(self.zone)
        return now.astimezone(ZoneInfo(customer_zone)).utcoffset() - now.utcoffset()

    def schedule(self, language: str, shift: timedelta = timedelta(0), separator: str = "\n") -> str:
        """The weekly hours, consecutive days with the same hours grouped: "Mon–Fri: 08:00–20:00" (moved by
        `shift` for another time zone)."""
        texts = self.profile.texts(language)
        lines: list[str] = []
        index = 0
        while index < 7:
            end = index
            while end + 1 < 7 and self.week.get(end + 1) == self.week.get(index):
                end += 1
            days = texts["weekdays_short"][index]
            if end > index:
                days += "–" + texts["weekdays_short"][end]
            opening = self.week.get(index)
            hours = (f"{_shifted(opening.opens, shift)}–{_shifted(opening.closes, shift)}" if opening
                     else texts["closed"])
            lines.append(f"{days}: {hours}")
            index = end + 1
        return separator.join(lines)


def _clock(moment: time) -> str:
    return moment.strftime("%H:%M")


def _shifted(moment: time, shift: timedelta) -> str:
    return _clock((datetime.combine(date(2000, 1, 1), moment) + shift).time())


def _opening(span: list[str]) -> Opening:
    return Opening(time.fromisoformat(span[0]), time.fromisoformat(span[1]))


def _mentions(folded_text: str, keywords: list[str]) -> bool:
    """Whether any keyword stands in the text as a whole word; keywords of 5+ letters also match as stems."""
    for keyword in map(str, keywords):
        word = re.escape(fold_diacritics(keyword))
        tail = r"\w*" if len(keyword) >= 5 and " " not in keyword else ""
        if re.search(rf"(?<!\w){word}{tail}(?!\w)", folded_text):
            return True
    return False
