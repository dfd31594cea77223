"""`kiosk service out|in|status`: the technician's out-of-service switch.

The switch is a file in the terminal's data directory (kiosk.availability.out_of_service);
the running kiosk sees a change within its availability poll and shows the reason on its
attract screen. Exit codes: `out` and `in` 0 once written (2 for an unknown reason);
`status` 0 in service, 1 out of service or the switch's file is damaged (the kiosk then
stays in service, and the message says so).
"""

from __future__ import annotations

import argparse
import sys

from kiosk.availability.out_of_service import BY_CLI, OutOfServiceReason, OutOfServiceSwitch, SwitchChange
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit

REASONS = [str(r) for r in OutOfServiceReason]


def register(cli: CLI) -> None:
    cli.group("service", "Take this kiosk out of service for residents, or put it back")
    p = cli.command("service", "out", "Out of service: the attract screen shows the reason and starts no session", take_out, json_output=True)
    p.add_argument("--reason", required=True, choices=REASONS, help="what residents are told, in their words")
    p.add_argument("--by", default=BY_CLI, help=f"staff id of who does it (default {BY_CLI!r})")
    p = cli.command("service", "in", "Back in service", put_in, json_output=True)
    p.add_argument("--by", default=BY_CLI, help=f"staff id of who does it (default {BY_CLI!r})")
    cli.command("service", "status", "In or out of service, why, since when and by whom", status, json_output=True)


def _switch(args: argparse.Namespace) -> OutOfServiceSwitch:
    return OutOfServiceSwitch(load_config_or_exit(args).data_dir)


def _describe(change: SwitchChange) -> str:
    if change.out_of_service:
        return f"out of service ({change.reason}: {change.words.zh} / {change.words.en}) since {change.at:%Y-%m-%d %H:%M} by {change.by}"
    return f"in service since {change.at:%Y-%m-%d %H:%M} by {change.by}"


def _write(args: argparse.Namespace, write) -> int:
    try:
        change = write()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    except OSError as exc:
        print(f"error: cannot write the switch: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    emit(args, change.to_dict(), _describe(change))
    return exitcodes.OK


def take_out(args: argparse.Namespace) -> int:
    switch = _switch(args)
    return _write(args, lambda: switch.take_out(OutOfServiceReason(args.reason), args.by))


def put_in(args: argparse.Namespace) -> int:
    switch = _switch(args)
    return _write(args, lambda: switch.put_in(args.by))


def status(args: argparse.Namespace) -> int:
    reading = _switch(args).read()
    data = {
        "out_of_service": reading.out_of_service,
        "last_change": reading.change.to_dict() if reading.change else None,
        "problem": reading.problem or None,
    }
    if reading.problem:
        human = f"in service: {reading.problem}"
    elif reading.change is None:
        human = "in service (never switched)"
    else:
        human = _describe(reading.change)
    emit(args, data, human)
    return exitcodes.FAILED if reading.out_of_service or reading.problem else exitcodes.OK
