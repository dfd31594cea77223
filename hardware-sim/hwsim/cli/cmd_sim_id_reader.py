"""`kiosk sim id-reader`: the ID card reader simulator (GA 467 on a pty) in the foreground."""

from __future__ import annotations

import argparse
import os
import sys

from hwsim.cli import sim_command
from hwsim.cli.foreground import announce_simulator, run_until_stopped
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit


def register(cli: CLI) -> None:
    p = sim_command(
        cli, "id-reader", "Run the ID card reader simulator (GA 467 on a pty) until Ctrl-C", run_simulator,
        json_output=True,
    )  # fmt: skip
    p.add_argument("--person", metavar="KEY", help="start with this person's card on the reader (see --list)")
    p.add_argument("--pace", action="store_true", help="send replies at the real speed of 115200 baud")
    p.add_argument("--list", action="store_true", help="list the people whose cards it can hold, then exit")
    p.add_argument("--people", metavar="FILE", help="a people file other than the shipped one")


def run_simulator(args: argparse.Namespace) -> int:
    from hwsim.control import Registration
    from hwsim.id_reader import IdReaderSimulator, load_people
    from hwsim.id_reader.people import PEOPLE_FILE, FixtureError
    from hwsim.id_reader.simulator import NAME

    try:
        people = load_people(args.people or PEOPLE_FILE)
    except (OSError, FixtureError, ValueError) as exc:
        print(f"cannot load the people file: {exc}", file=sys.stderr)
        return exitcodes.USAGE
    if args.list:
        listing = {key: {"doc_type": str(p.kind), "note": p.note} for key, p in people.items()}
        emit(args, listing, "\n".join(f"{key:<12} {p.kind:<28} {p.note}" for key, p in people.items()))
        return exitcodes.OK
    if args.person and args.person not in people:
        print(f"no person {args.person!r}; try --list", file=sys.stderr)
        return exitcodes.USAGE

    try:
        running = Registration.read(NAME)
    except (LookupError, ValueError, TypeError):
        pass  # not running, or a stale registration the new one replaces
    else:
        print(f"an ID reader simulator is already running (pid {running.pid}, {running.address})", file=sys.stderr)
        return exitcodes.FAILED

    def announce(simulator) -> None:
        info = {"pid": os.getpid(), "port": simulator.port, "url": simulator.url, "person": args.person,
                "paced_baud": simulator.baud}  # fmt: skip
        announce_simulator(
            args, "ID card reader", info,
            [f"card: {args.person or 'none'}; pacing: {'115200 baud' if args.pace else 'off'}"],
            ["kiosk sim ctl id-reader insert person=KEY | remove | fault name=checksum | clear | unplug | plug"],
        )  # fmt: skip

    return run_until_stopped(
        lambda: IdReaderSimulator(person=args.person, pace=args.pace, people=people).start(),
        announce,
        lambda simulator: simulator.stop(),
    )
