"""Counting working days past the published data (lunar rules, made-up days) against counting
inside it (chinese-calendar's tables), measured in the same run as a ratio."""

from __future__ import annotations

import time
from datetime import date

from kiosk.domain.workdays import WorkingCalendar, estimated_rest_days, statutory_holidays

COUNTS = 2_000
DAYS = 20  # a typical time limit is 4 to 10 working days


def counts_per_second(start: date) -> float:
    calendar = WorkingCalendar()
    begin = time.perf_counter()
    for _ in range(COUNTS):
        calendar.add_workdays(start, DAYS)
    return COUNTS / (time.perf_counter() - begin)


def first_year_seconds(year: int) -> float:
    """Cold cost of a year's rules: lunar conversion and solar terms, before the cache helps."""
    statutory_holidays.cache_clear()
    estimated_rest_days.cache_clear()
    begin = time.perf_counter()
    estimated_rest_days(year)
    return time.perf_counter() - begin


def main() -> None:
    published = counts_per_second(date(2026, 9, 20))
    estimated = counts_per_second(date(2027, 9, 20))
    print(f"add_workdays(.., {DAYS}) per second, published year 2026: {published:,.0f}")
    print(f"add_workdays(.., {DAYS}) per second, estimated year 2027: {estimated:,.0f}")
    print(f"ratio (estimated / published time per count): {published / estimated:.2f}x")
    print(f"first use of a year's rules (cold cache): {first_year_seconds(2031) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
