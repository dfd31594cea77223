"""Working days in the Chinese statutory calendar, for the time limits printed on vouchers.

Where the published schedule is known (the `chinese-calendar` package, 2004-2026) it is used
as is: statutory holidays and the adjusted working days (调休) the State Council announces
each year. Past its data the calendar does not crash and does not pretend that only weekends
are days off: it applies the national rules (《全国年节及纪念日放假办法》, as amended in 2024,
in force from 2025):
- 元旦 Jan 1; 春节 lunar New Year's Eve and lunar 1-1..1-3; 清明 the Qingming solar term;
  劳动节 May 1-2; 端午 lunar 5-5; 中秋 lunar 8-15; 国庆 Oct 1-3 (13 days);
- a holiday falling on a Saturday or Sunday is made up on the next working day (Art. 6);
- the 调休 swaps are not invented: they are unknown until published.
Results that depend on such a year are marked as estimates and say why.

A region policy's `[calendar]` table (CalendarOverrides) wins over everything, so an
operator can load the State Council's schedule as soon as it is published.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from chinese_calendar import holidays as PUBLISHED_HOLIDAYS
from chinese_calendar import workdays as PUBLISHED_WORKDAYS

from kiosk.i18n import Bilingual, bi

DATA_FIRST_YEAR = min(PUBLISHED_HOLIDAYS).year
DATA_LAST_YEAR = max(PUBLISHED_HOLIDAYS).year
MAX_DAYS = 3660  # ten years: more than any time limit, and a typo cannot loop for long
MAX_RANGE_DAYS = 366
ONE_DAY = timedelta(days=1)

NEW_YEAR = bi("元旦", "New Year's Day")
SPRING_FESTIVAL = bi("春节", "Spring Festival")
QINGMING = bi("清明节", "Qingming Festival")
LABOUR_DAY = bi("劳动节", "Labour Day")
DRAGON_BOAT = bi("端午节", "Dragon Boat Festival")
MID_AUTUMN = bi("中秋节", "Mid-Autumn Festival")
NATIONAL_DAY = bi("国庆节", "National Day")


class TimeUnit(StrEnum):
    """What a policy's time limit counts (the policy schema lists the same values)."""

    WORKING_DAYS = "working_days"
    NATURAL_DAYS = "natural_days"
    HOURS = "hours"
    ON_SITE = "on_site"  # done while the resident waits


@dataclass(frozen=True)
class DayCount:
    date: date
    estimated: bool
    note: str = ""
    estimated_years: tuple[int, ...] = ()


class InvalidCalendarTable(ValueError):
    """A region policy's [calendar] table with mistakes; `.problems` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class CalendarOverrides:
    """Days an operator declares: they win over the published data and the rules.

    `published_years` are years whose complete official schedule is in these overrides:
    counting in them is no longer an estimate, and the made-up-day guess is not applied.
    """

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()
    published_years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        both = self.holidays & self.workdays
        if both:
            days = ", ".join(d.isoformat() for d in sorted(both))
            raise InvalidCalendarTable([f"{days}: listed both as holiday and as working day"])

    @classmethod
    def from_table(cls, table: Mapping[str, object] | None) -> CalendarOverrides:
        """Parse a policy's [calendar] table:
        {holidays = ["2027-01-01", "2027-02-05..2027-02-11"], workdays = ["2027-02-20"],
         published_years = [2027]}. Dates may be TOML dates or strings; a..b is inclusive."""
        if table is None:
            return cls()
        if not isinstance(table, Mapping):
            raise InvalidCalendarTable([f"calendar: must be a table, not {type(table).__name__}"])
        problems: list[str] = []
        known = ("holidays", "workdays", "published_years")
        for key in table:
            if key not in known:
                problems.append(f"calendar.{key}: unknown key (known: {', '.join(known)})")
        holidays = _parse_days("holidays", table.get("holidays", []), problems)
        workdays = _parse_days("workdays", table.get("workdays", []), problems)
        years = _parse_years(table.get("published_years", []), problems)
        both = holidays & workdays
        if both:
            days = ", ".join(d.isoformat() for d in sorted(both))
            problems.append(f"calendar: {days} listed both in holidays and in workdays")
        if problems:
            raise InvalidCalendarTable(problems)
        return cls(frozenset(holidays), frozenset(workdays), frozenset(years))


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_days(key: str, items: object, problems: list[str]) -> set[date]:
    if not isinstance(items, list):
        problems.append(f"calendar.{key}: must be a list of dates")
        return set()
    days: set[date] = set()
    for i, item in enumerate(items):
        where = f"calendar.{key}[{i}]"
        if isinstance(item, datetime):
            problems.append(f"{where}: {item} has a time of day; give a date")
        elif isinstance(item, date):
            days.add(item)
        elif isinstance(item, str) and ".." in item:
            first, _, last = (s.strip() for s in item.partition(".."))
            a, b = _iso_date(first, where, problems), _iso_date(last, where, problems)
            if a and b:
                if b < a:
                    problems.append(f"{where}: range {item!r} ends before it starts")
                elif (b - a).days >= MAX_RANGE_DAYS:
                    problems.append(f"{where}: range {item!r} is longer than a year")
                else:
                    days.update(a + timedelta(days=k) for k in range((b - a).days + 1))
        elif isinstance(item, str):
            if d := _iso_date(item.strip(), where, problems):
                days.add(d)
        else:
            problems.append(f"{where}: must be a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD)")
    return days


def _iso_date(text: str, where: str, problems: list[str]) -> date | None:
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    problems.append(f"{where}: {text!r} is not a date (YYYY-MM-DD)")
    return None


def _parse_years(items: object, problems: list[str]) -> set[int]:
    if not isinstance(items, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in items):
        problems.append("calendar.published_years: must be a list of years such as [2027]")
        return set()
    bad = [y for y in items if not 1900 <= y <= 9999]
    if bad:
        problems.append(f"calendar.published_years: {bad} are not plausible years")
    return set(items)


# --- the national rules, for years without a published schedule ------------------------


def _solar_of(lunar) -> date:  # a lunar_python Lunar
    s = lunar.getSolar()
    return date(s.getYear(), s.getMonth(), s.getDay())


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> dict[date, Bilingual]:
    """The 13 statutory holiday days of `year` under the rules in force since 2025."""
    # Imported here: it takes ~0.1 s and only years past the published data need it.
    from lunar_python import Lunar, Solar

    lunar_new_year = _solar_of(Lunar.fromYmd(year, 1, 1))
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    days: dict[date, Bilingual] = {date(year, 1, 1): NEW_YEAR}
    for offset in range(-1, 3):  # New Year's Eve (the last day of the old lunar year) .. 1-3
        days[lunar_new_year + timedelta(days=offset)] = SPRING_FESTIVAL
    days[date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = QINGMING
    days[date(year, 5, 1)] = days[date(year, 5, 2)] = LABOUR_DAY
    days.setdefault(_solar_of(Lunar.fromYmd(year, 5, 5)), DRAGON_BOAT)
    days.setdefault(_solar_of(Lunar.fromYmd(year, 8, 15)), MID_AUTUMN)
    for d in (1, 2, 3):
        days[date(year, 10, d)] = NATIONAL_DAY
    return days


@lru_cache(maxsize=64)
def estimated_rest_days(year: int) -> dict[date, Bilingual]:
    """Statutory holidays plus a made-up day for each that falls on a weekend (Art. 6)."""
    holidays = statutory_holidays(year)
    rest = dict(holidays)
    for day in sorted(holidays):
        if day.weekday() < 5:
            continue
        makeup = day + ONE_DAY
        while makeup.weekday() >= 5 or makeup in rest:
            makeup += ONE_DAY
        name = holidays[day]
        rest[makeup] = bi(f"{name.zh}补假", f"{name.en} (made-up day)")
    return rest


def _estimate_note(years: Iterable[int]) -> str:
    years = sorted(years)
    if not years:
        return ""
    listed = ", ".join(str(y) for y in years)
    return (
        f"{listed}: no published holiday schedule (chinese-calendar has {DATA_FIRST_YEAR}-{DATA_LAST_YEAR}); "
        "counted the statutory holidays of the national rules (New Year's Day, Spring Festival from New "
        "Year's Eve, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day) with a made-up day for each "
        "on a weekend; adjusted working days (调休) are not known yet. Load the State Council's schedule into "
        "the region policy's [calendar] table to make this exact."
    )


class WorkingCalendar:
    """Counts days the way the card centre does: published schedule, else the rules; overrides first."""

    def __init__(self, overrides: CalendarOverrides | None = None) -> None:
        self.overrides = overrides or CalendarOverrides()

    def is_workday(self, day: date) -> bool:
        day = _as_date(day)
        if day in self.overrides.workdays:
            return True
        if day in self.overrides.holidays:
            return False
        if DATA_FIRST_YEAR <= day.year <= DATA_LAST_YEAR:
            # chinese_calendar.is_workday's own rule; calling it scans its whole table per call
            return day in PUBLISHED_WORKDAYS or (day.weekday() < 5 and day not in PUBLISHED_HOLIDAYS)
        if day.weekday() >= 5:
            return False
        if day.year in self.overrides.published_years:
            return day not in statutory_holidays(day.year)
        return day not in estimated_rest_days(day.year)

    def is_estimated(self, day: date) -> bool:
        """Whether `day`'s status is a guess from the rules rather than a published fact."""
        day = _as_date(day)
        return not (
            DATA_FIRST_YEAR <= day.year <= DATA_LAST_YEAR
            or day.year in self.overrides.published_years
            or day in self.overrides.workdays
            or day in self.overrides.holidays
        )

    def add_workdays(self, start: date, n: int) -> DayCount:
        """The n-th working day after `start` (start itself not counted; n = 0 gives start)."""
        day, remaining = _as_date(start), _days(n, "working days")
        guessed: set[int] = set()
        try:
            while remaining:
                day += ONE_DAY
                if self.is_estimated(day):
                    guessed.add(day.year)
                if self.is_workday(day):
                    remaining -= 1
        except OverflowError:
            raise ValueError(f"{n} working days after {start} is past the last date the calendar knows") from None
        return DayCount(day, bool(guessed), _estimate_note(guessed), tuple(sorted(guessed)))

    def add_natural_days(self, start: date, n: int) -> DayCount:
        """`start` + n calendar days (自然日): holidays do not matter, so never an estimate."""
        try:
            return DayCount(_as_date(start) + timedelta(days=_days(n, "natural days")), False)
        except OverflowError:
            raise ValueError(f"{n} days after {start} is past the last date the calendar knows") from None

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """`start` + hours, e.g. the 96 hours after batch pickup before social security functions start."""
        if not isinstance(start, datetime):
            raise ValueError("counting hours needs a date and a time of day, not only a date")
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 <= hours <= MAX_DAYS * 24:
            raise ValueError(f"hours must be a number from 0 to {MAX_DAYS * 24}, not {hours!r}")
        return start + timedelta(hours=hours)

    def due(self, start: datetime, amount: int, unit: TimeUnit | str) -> DayCount:
        """The day a time limit from a region policy ends, counted from `start`."""
        try:
            unit = TimeUnit(unit)
        except ValueError:
            raise ValueError(f"unknown time unit {unit!r} (known: {', '.join(TimeUnit)})") from None
        match unit:
            case TimeUnit.WORKING_DAYS:
                return self.add_workdays(start.date(), amount)
            case TimeUnit.NATURAL_DAYS:
                return self.add_natural_days(start.date(), amount)
            case TimeUnit.HOURS:
                return DayCount(self.add_hours(start, amount).date(), False)
            case TimeUnit.ON_SITE:
                return DayCount(start.date(), False)


def _as_date(day: date) -> date:
    if isinstance(day, datetime):
        return day.date()
    if not isinstance(day, date):
        raise ValueError(f"a date is needed, not {type(day).__name__}")
    return day


def _days(n: int, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_DAYS:
        raise ValueError(f"the number of {what} must be a whole number from 0 to {MAX_DAYS}, not {n!r}")
    return n
