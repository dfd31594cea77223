"""The earliest day the terminal's clock can honestly show: the day its software was built.

A terminal whose clock is behind that (a flat clock battery, no time server reached yet)
would date vouchers in the past and hand out serials of a day that already has them, so it
issues none until the time is set. The image writes the build date into a small file
(`build_date=2026-12-03T10:00:00Z` among other `key=value` lines), named by `build_info`.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path


def software_date(build_info: Path) -> date:
    """The build day in `build_info`; ValueError (or OSError) when it cannot be told."""
    for line in build_info.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "build_date":
            stamp = value.strip().replace("Z", "+00:00")
            return datetime.fromisoformat(stamp).date()
    raise ValueError(f"{build_info} has no build_date= line")


def clock_problem(today: date, not_before: date | None) -> str | None:
    """Why the clock cannot be trusted to date a voucher, or None when it can."""
    if not_before is not None and today < not_before:
        return (f"the clock says {today:%Y-%m-%d}, before this software was built ({not_before:%Y-%m-%d}): "
                "the time is not set (check the time server or the clock battery)")  # fmt: skip
    return None
