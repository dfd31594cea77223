"""`kiosk sim ctl NAME VERB [key=value …]` and `kiosk sim list`: steer running simulators.

Each simulator (`kiosk sim id-reader`, `printer`, `camera`, `card`, `centre`) registers
itself with a control socket (hwsim.control); these commands talk to it from another
terminal, e.g. `kiosk sim ctl printer paper_out` or `kiosk sim ctl id-reader insert person=elder`.
"""

from __future__ import annotations

import argparse
import json
import sys

from hwsim.cli import sim_command
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit


def register(cli: CLI) -> None:
    p = sim_command(cli, "ctl", "Send a command to a running simulator", ctl, json_output=True)
    p.add_argument("name", help="simulator name: id-reader, printer, camera, card, centre")
    p.add_argument("verb", help="what to do; `help` lists the simulator's verbs")
    p.add_argument("params", nargs="*", metavar="key=value", help="arguments (numbers and true/false are typed)")
    sim_command(cli, "list", "List the simulators running in $KIOSK_SIM_DIR", list_sims, json_output=True)


def parse_params(items: list[str]) -> dict:
    params = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"argument {item!r} is not key=value")
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


def ctl(args: argparse.Namespace) -> int:
    from hwsim.control import send

    try:
        params = parse_params(args.params)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return exitcodes.USAGE
    try:
        result = send(args.name, args.verb, **params)
    except LookupError as exc:
        print(exc, file=sys.stderr)
        return exitcodes.NO_DEVICE
    except (RuntimeError, OSError) as exc:
        print(f"{args.name}: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    emit(args, result, json.dumps(result, ensure_ascii=False, indent=2) if not isinstance(result, str) else result)
    return exitcodes.OK


def list_sims(args: argparse.Namespace) -> int:
    from hwsim.control import Registration, sim_dir

    rows = []
    for path in sorted(sim_dir().glob("*.json")):
        try:
            reg = Registration.read(path.stem)
            rows.append({"name": reg.name, "pid": reg.pid, "address": reg.address, "running": True})
        except (LookupError, ValueError, TypeError):
            rows.append({"name": path.stem, "running": False})
    human = "\n".join(
        f"{r['name']:<10} pid {r['pid']:<7} {r['address']}" if r["running"] else f"{r['name']:<10} (stale registration)"
        for r in rows
    ) or f"no simulators registered in {sim_dir()}"
    emit(args, rows, human)
    return exitcodes.OK
