"""`kiosk calendar add-workdays DATE N`: when a time limit counted in working days ends."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit


def register(cli: CLI) -> None:
    cli.group("calendar", "Working days in the Chinese statutory holiday calendar")
    p = cli.command(
        "calendar",
        "add-workdays",
        "The N-th working day after DATE (DATE itself not counted), with the region's holiday overrides",
        add_workdays,
        json_output=True,
    )
    p.add_argument("date", metavar="DATE", help="the start day, YYYY-MM-DD")
    p.add_argument("days", metavar="N", help="how many working days (0 or more)")
    p.add_argument("--region", help="region policy whose [calendar] overrides apply (default: the configuration's region)")


def add_workdays(args: argparse.Namespace) -> int:
    from kiosk.domain.policy import PolicyError, available_regions, load_policy
    from kiosk.domain.workdays import MAX_DAYS, WorkingCalendar

    try:
        start = date.fromisoformat(args.date)
    except ValueError:
        return _usage(f"bad date {args.date!r}: give it as YYYY-MM-DD, e.g. 2026-09-30")
    try:
        days = int(args.days)
    except ValueError:
        return _usage(f"bad N {args.days!r}: give a whole number of working days, e.g. 5")
    if not 0 <= days <= MAX_DAYS:
        return _usage(f"bad N {days}: the number of working days must be from 0 to {MAX_DAYS}")
    region = args.region or load_config_or_exit(args).region
    if region not in available_regions():
        return _usage(f"unknown region {region!r} (known: {', '.join(available_regions())})")
    try:
        policy = load_policy(region)
    except PolicyError as exc:
        for problem in exc.problems:
            print(f"policy error: {problem}", file=sys.stderr)
        return exitcodes.FAILED
    try:
        result = WorkingCalendar(policy.calendar).add_workdays(start, days)
    except ValueError as exc:
        return _usage(str(exc))

    unit = "working day" if days == 1 else "working days"
    human = f"{result.date.isoformat()} ({days} {unit} after {start.isoformat()}, {region})"
    if result.estimated:
        human += f"\nestimate: {result.note}"
    data = {
        "start": start.isoformat(),
        "days": days,
        "region": region,
        "date": result.date.isoformat(),
        "estimated": result.estimated,
        "note": result.note,
    }
    emit(args, data, human)
    return exitcodes.OK


def _usage(message: str) -> int:
    print(f"kiosk calendar add-workdays: {message}", file=sys.stderr)
    return exitcodes.USAGE
