"""Business hours: open now, on a given day or holiday, and when the team is back — in the shop's time zone."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Optional
from zoneinfo import ZoneInfo

from dateutil.easter import easter

from bot import languages
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
                self.week[index] = Opening(time.fromisoformat(span[0]), time.fromisoformat(span[1]))

    # ---- facts ------------------------------------------------------------------------------
    def holiday_on(self, day: date) -> Optional[str]:
        for holiday_id, rule in self.profile.data.get("holidays", {}).items():
            if self._holiday_dates(holiday_id, rule, day.year).__contains__(day):
                return holiday_id
        return None

    @staticmethod
    def _holiday_dates(holiday_id: str, rule: dict, year: int) -> set[date]:
        if "date" in rule:
            month, day_of_month = (int(part) for part in rule["date"].split("-"))
            return {date(year, month, day_of_month)}
        offsets = rule.get("easter_offset", [])
        offsets = offsets if isinstance(offsets, list) else [offsets]
        return {easter(year) + timedelta(days=offset) for offset in offsets}

    def opening_on(self, day: date) -> Optional[Opening]:
        """Hours on `day`, None when closed (weekly closing day or holiday)."""
        if self.holiday_on(day):
            return None
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
        """The day a question names ("on Sunday", "at Christmas", "tomorrow"), or None for "now / in general"."""
        texts = self.profile.texts(language)
        folded = fold_diacritics(text)
        today = self.local(now).date()
        for holiday_id, holiday in texts["holidays"].items():
            if _mentions(folded, holiday["keywords"]):
                return AskedDay(self._next_holiday_date(holiday_id, today), holiday=holiday_id)
        if _mentions(folded, texts["tomorrow_keywords"]):
            return AskedDay(today + timedelta(days=1))
        for index, keywords in enumerate(texts["weekday_keywords"]):
            if _mentions(folded, keywords):
                day = today + timedelta(days=(index - today.weekday()) % 7)
                return AskedDay(day, is_today=day == today)
        return None

    def _next_holiday_date(self, holiday_id: str, today: date) -> date:
        rule = self.profile.data["holidays"][holiday_id]
        candidates = self._holiday_dates(holiday_id, rule, today.year) | self._holiday_dates(
            holiday_id, rule, today.year + 1
        )
        return min(day for day in candidates if day >= today)

    # ---- answers ----------------------------------------------------------------------------
    def answer(self, text: str, language: str, now: datetime) -> list[Reply]:
        """The replies to an opening-hours question, as response names with their values."""
        asked = self.asked_day(text, language, now)
        if asked is None or asked.is_today:
            return [self._answer_now(language, now), self.schedule_reply(language)]
        return [self._answer_day(asked, language, now)]

    def _answer_now(self, language: str, now: datetime) -> Reply:
        if self.is_open(now):
            closes = self.opening_on(self.local(now).date()).closes
            return "utter_hours_open_now", {"closes": _clock(closes)}
        return "utter_hours_closed_now", {"next_open": self.back_phrase(language, now, now)}

    def _answer_day(self, asked: AskedDay, language: str, now: datetime) -> Reply:
        texts = self.profile.texts(language)
        day_name = texts["weekdays"][asked.day.weekday()]
        holiday_id = self.holiday_on(asked.day)
        if holiday_id:
            start_of_day = datetime.combine(asked.day, time(0), tzinfo=self.zone)
            return "utter_hours_holiday", {
                "day": day_name,
                "holiday": texts["holidays"][holiday_id]["name"],
                "next_open": self.back_phrase(language, start_of_day, now),
            }
        opening = self.opening_on(asked.day)
        if opening is None:
            start_of_day = datetime.combine(asked.day, time(0), tzinfo=self.zone)
            return "utter_hours_closed_on_day", {"day": day_name, "next_open": self.back_phrase(language, start_of_day, now)}
        return "utter_hours_on_day", {"day": day_name, "opens": _clock(opening.opens), "closes": _clock(opening.closes)}

    def back_phrase(self, language: str, after: datetime, now: datetime) -> str:
        """How "we're back ..." continues after `after`: "today at 09:00", "tomorrow at 09:00", "on Monday at 09:00".

        "today" and "tomorrow" are relative to `now`, the moment the customer asks.
        """
        texts = self.profile.texts(language)
        reopening = self.next_opening(after)
        if reopening is None:
            return ""
        local_after = self.local(now).date()
        clock = _clock(reopening.time())
        if reopening.date() == local_after:
            return texts["back_today"].format(time=clock)
        if reopening.date() == local_after + timedelta(days=1):
            return texts["back_tomorrow"].format(time=clock)
        day = texts["weekdays"][reopening.weekday()]
        if not languages.LANGUAGES.get(language, languages.LANGUAGES["en"]).capitalises_weekdays:
            day = day.lower()
        return texts["back_on_day"].format(day=day, time=clock)

    def schedule_reply(self, language: str) -> Reply:
        return "utter_hours_schedule", {"timezone": self.profile.timezone, "schedule": self.schedule(language)}

    def schedule(self, language: str) -> str:
        """The weekly hours, consecutive days with the same hours grouped: "Mon–Fri: 08:00–20:00"."""
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
            hours = f"{_clock(opening.opens)}–{_clock(opening.closes)}" if opening else texts["closed"]
            lines.append(f"{days}: {hours}")
            index = end + 1
        return "\n".join(lines)


def _clock(moment: time) -> str:
    return moment.strftime("%H:%M")


def _mentions(folded_text: str, keywords: list[str]) -> bool:
    """Whether any keyword stands in the text as a whole word; keywords of 5+ letters also match as stems."""
    for keyword in map(str, keywords):
        word = re.escape(fold_diacritics(keyword))
        tail = r"\w*" if len(keyword) >= 5 and " " not in keyword else ""
        if re.search(rf"(?<!\w){word}{tail}(?!\w)", folded_text):
            return True
    return False
