"""Working days: the published schedule, the rules past it, overrides, and the policy table."""

import tomllib
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from lunar_python import Lunar

from kiosk.domain.workdays import (
    DATA_FIRST_YEAR,
    DATA_LAST_YEAR,
    DRAGON_BOAT,
    MID_AUTUMN,
    QINGMING,
    SPRING_FESTIVAL,
    CalendarOverrides,
    DayCount,
    InvalidCalendarTable,
    WorkingCalendar,
    estimated_rest_days,
    statutory_holidays,
)

calendar = WorkingCalendar()


# --- the published schedule ----------------------------------------------------------------


def test_national_day_2026_and_its_adjusted_saturday():
    result = calendar.add_workdays(date(2026, 9, 30), 5)
    assert result == DayCount(date(2026, 10, 13), False, "", ())
    assert calendar.is_workday(date(2026, 10, 10))  # Saturday made a working day (调休)


def test_every_published_day_matches_chinese_calendar():
    day = date(DATA_FIRST_YEAR, 1, 1)
    while day.year <= DATA_LAST_YEAR:
        assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day
        assert not calendar.is_estimated(day)
        day += timedelta(days=1)


def test_weekends_are_not_working_days():
    assert calendar.add_workdays(date(2026, 3, 6), 1).date == date(2026, 3, 9)  # Friday -> Monday


def test_start_day_is_not_counted():
    assert calendar.add_workdays(date(2026, 3, 9), 1).date == date(2026, 3, 10)
    assert calendar.add_workdays(date(2026, 3, 9), 0).date == date(2026, 3, 9)


def test_datetime_start_counts_from_its_day():
    assert calendar.add_workdays(datetime(2026, 9, 30, 16, 45), 5).date == date(2026, 10, 13)


# --- past the published data -----------------------------------------------------------------


def test_span_into_2027_is_an_estimate_without_new_years_day():
    result = calendar.add_workdays(date(2026, 12, 24), 10)
    assert result.date == date(2027, 1, 8)
    assert result.estimated and result.estimated_years == (2027,)
    assert "2027" in result.note and "调休" in result.note
    assert not calendar.is_workday(date(2027, 1, 1))


def test_spring_festival_2027_is_estimated_from_new_years_eve():
    # 2027-02-05 is lunar New Year's Eve (腊月廿九: the twelfth month has 29 days that year).
    for day in (5, 6, 7, 8):
        assert statutory_holidays(2027)[date(2027, 2, day)] == SPRING_FESTIVAL
    # Saturday and Sunday inside the festival are made up on Tuesday and Wednesday.
    assert not calendar.is_workday(date(2027, 2, 9)) and not calendar.is_workday(date(2027, 2, 10))
    result = calendar.add_workdays(date(2027, 2, 4), 1)
    assert result.date == date(2027, 2, 11) and result.estimated


def test_thirteen_statutory_days_every_year():
    """One day fewer only in years when Mid-Autumn falls inside National Day."""
    for year in range(2027, 2080):
        mid_autumn = Lunar.fromYmd(year, 8, 15).getSolar()
        inside_national_day = (mid_autumn.getMonth(), mid_autumn.getDay()) in ((10, 1), (10, 2), (10, 3))
        assert len(statutory_holidays(year)) == 13 - inside_national_day, year


def test_far_future_does_not_crash_and_is_estimated():
    result = calendar.add_workdays(date(2099, 12, 20), 30)
    assert result.estimated and result.estimated_years == (2099, 2100)


def test_before_the_published_data_is_estimated_too():
    assert calendar.add_workdays(date(2003, 9, 30), 1).estimated


def test_rules_agree_with_the_published_schedules_of_2025_and_2026():
    """The rules (with made-up days) must never call a published rest day a working day."""
    for year in (2025, 2026):
        for day in estimated_rest_days(year):
            assert not chinese_calendar.is_workday(day), (year, day)


def test_lunar_holidays_agree_with_the_published_schedules_since_2008():
    for year in range(2008, DATA_LAST_YEAR + 1):
        holidays = statutory_holidays(year)
        lunar = [d for d, n in holidays.items() if n in (QINGMING, DRAGON_BOAT, MID_AUTUMN)]
        new_year_day = sorted(d for d, n in holidays.items() if n == SPRING_FESTIVAL)[1]
        for day in lunar + [new_year_day]:
            assert not chinese_calendar.is_workday(day), (year, day)


# --- overrides ---------------------------------------------------------------------------------


def test_override_holiday_wins_over_the_published_schedule():
    cal = WorkingCalendar(CalendarOverrides(holidays=frozenset({date(2026, 10, 10)})))
    assert not cal.is_workday(date(2026, 10, 10))  # published as an adjusted working Saturday
    assert cal.add_workdays(date(2026, 9, 30), 5).date == date(2026, 10, 14)


def test_override_workday_wins_over_the_published_schedule():
    cal = WorkingCalendar(CalendarOverrides(workdays=frozenset({date(2026, 10, 7)})))
    assert cal.is_workday(date(2026, 10, 7))  # published as the last day of the National Day holiday
    assert cal.add_workdays(date(2026, 9, 30), 5).date == date(2026, 10, 12)


def test_a_day_cannot_be_both_holiday_and_workday():
    with pytest.raises(InvalidCalendarTable):
        CalendarOverrides(holidays=frozenset({date(2027, 1, 1)}), workdays=frozenset({date(2027, 1, 1)}))


def test_a_published_schedule_in_the_overrides_ends_the_estimate():
    table = {
        "holidays": ["2027-02-05..2027-02-11"],
        "workdays": ["2027-02-20"],
        "published_years": [2027],
    }
    cal = WorkingCalendar(CalendarOverrides.from_table(table))
    result = cal.add_workdays(date(2027, 2, 4), 1)
    assert (result.date, result.estimated) == (date(2027, 2, 12), False)
    assert cal.is_workday(date(2027, 2, 20))  # a Saturday made a working day
    assert not cal.is_workday(date(2027, 1, 1))  # statutory days hold even when not listed
    assert cal.is_workday(date(2027, 5, 3))  # no made-up-day guess in a published year


def test_override_holiday_in_an_estimated_year_is_honoured():
    cal = WorkingCalendar(CalendarOverrides.from_table({"holidays": ["2027-03-01"]}))
    assert cal.add_workdays(date(2027, 2, 26), 1).date == date(2027, 3, 2)


# --- the [calendar] table ------------------------------------------------------------------------


def test_table_accepts_toml_dates_strings_and_ranges():
    table = tomllib.loads(
        'holidays = [2027-01-01, "2027-10-01..2027-10-03"]\nworkdays = ["2027-09-26"]\npublished_years = [2027]'
    )
    overrides = CalendarOverrides.from_table(table)
    assert overrides.holidays == {date(2027, 1, 1), date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)}
    assert overrides.workdays == {date(2027, 9, 26)} and overrides.published_years == {2027}


def test_empty_or_missing_table_means_no_overrides():
    assert CalendarOverrides.from_table(None) == CalendarOverrides.from_table({}) == CalendarOverrides()


def problems_of(table) -> list[str]:
    with pytest.raises(InvalidCalendarTable) as info:
        CalendarOverrides.from_table(table)
    assert isinstance(info.value, ValueError)
    return info.value.problems


def test_table_bad_date_is_reported():
    assert problems_of({"holidays": ["2027-02-30"]}) == ["calendar.holidays[0]: '2027-02-30' is not a date (YYYY-MM-DD)"]


def test_table_reversed_range_is_reported():
    assert "ends before it starts" in problems_of({"holidays": ["2027-10-07..2027-10-01"]})[0]


def test_table_range_longer_than_a_year_is_reported():
    assert "longer than a year" in problems_of({"holidays": ["2027-01-01..2028-12-31"]})[0]


def test_table_unknown_key_is_reported():
    assert "unknown key" in problems_of({"holiday": ["2027-01-01"]})[0]


def test_table_day_both_holiday_and_workday_is_reported():
    assert "both" in problems_of({"holidays": ["2027-02-20"], "workdays": ["2027-02-20"]})[0]


def test_table_datetime_is_reported():
    assert "time of day" in problems_of({"holidays": [datetime(2027, 1, 1, 9, 0)]})[0]


def test_table_reports_every_problem_at_once():
    assert len(problems_of({"holidays": ["x", "2027-13-01"], "workdays": "2027-01-01", "published_years": ["2027"]})) == 4


# --- counts and other units ----------------------------------------------------------------------


def test_negative_days_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="from 0 to"):
        calendar.add_workdays(date(2026, 9, 30), -1)


@pytest.mark.parametrize("bad", [1.5, True, "5", None])
def test_non_whole_days_are_refused(bad):
    with pytest.raises(ValueError, match="whole number"):
        calendar.add_workdays(date(2026, 9, 30), bad)


def test_counting_past_the_last_date_is_refused_not_crashed():
    with pytest.raises(ValueError, match="past the last date"):
        calendar.add_workdays(date(9999, 12, 20), 30)


def test_natural_days_ignore_holidays():
    assert calendar.add_natural_days(date(2026, 9, 30), 5) == DayCount(date(2026, 10, 5), False)


def test_96_hours_after_batch_pickup():
    assert calendar.add_hours(datetime(2026, 9, 30, 15, 30), 96) == datetime(2026, 10, 4, 15, 30)


def test_hours_need_a_time_of_day():
    with pytest.raises(ValueError, match="time of day"):
        calendar.add_hours(date(2026, 9, 30), 96)


def test_negative_hours_are_refused():
    with pytest.raises(ValueError, match="hours"):
        calendar.add_hours(datetime(2026, 9, 30, 15, 30), -1)


def test_due_counts_each_policy_unit():
    issued = datetime(2026, 9, 30, 15, 30)
    assert calendar.due(issued, 5, "working_days").date == date(2026, 10, 13)
    assert calendar.due(issued, 30, "natural_days").date == date(2026, 10, 30)
    assert calendar.due(issued, 24, "hours").date == date(2026, 10, 1)
    assert calendar.due(issued, 0, "on_site").date == date(2026, 9, 30)
    with pytest.raises(ValueError, match="unknown time unit"):
        calendar.due(issued, 5, "fortnights")


def test_region_policies_give_calendar_overrides():
    from kiosk.domain.policy import available_regions, load_policy

    for region in available_regions():
        assert isinstance(load_policy(region).calendar, CalendarOverrides)
