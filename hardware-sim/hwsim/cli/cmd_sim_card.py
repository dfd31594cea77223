"""Simulated social security cards behind pcscd (vpcd), at the technician's bench.

  kiosk sim card insert --profile P [--slot N] [--fresh]         put a simulated card in
  kiosk sim card remove [--slot N] [--during-next-command]      pull it out (now, or mid-APDU)
  kiosk sim card status | profiles | trace [--slot N]           look at the simulator
  kiosk sim card serve [--profile P]                            run the card simulator in this terminal
  kiosk sim card stop                                           stop a card simulator running in the background
  kiosk sim pcscd                                               is pcscd running, and vpcd listening?

`sim card insert` starts the card simulator in the background when none runs (log in
$KIOSK_SIM_DIR/card.log); it starts pcscd too if needed and stops it again on exit.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from hwsim.cli import sim_command
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit

CARD_SIM = "card"


def register(cli: CLI) -> None:
    card = sim_command(cli, "card", "Simulated social security cards behind pcscd (vpcd)", _usage)
    sub = card.add_subparsers(dest="card_command", metavar="COMMAND", required=True)
    p = _sub(sub, "insert", "Put a card in a vpcd slot (starts the card simulator if needed)", sim_insert)
    p.add_argument("--profile", required=True, help="card profile name (see `kiosk sim card profiles`) or a .toml file")
    p.add_argument("--slot", type=int, default=0, help="vpcd slot: 0 or 1 (default 0)")
    p.add_argument("--fresh", action="store_true", help="a new card from the profile, not the one already used (PIN tries)")
    p = _sub(sub, "remove", "Pull the card out of a slot", sim_remove)
    p.add_argument("--slot", type=int, default=0)
    p.add_argument("--during-next-command", action="store_true", help="pull it out in the middle of the next APDU")
    _sub(sub, "status", "pcscd and what is in each slot", lambda a: _sim_call(a, "status"))
    _sub(sub, "profiles", "The card profiles on offer", sim_profiles)
    p = _sub(sub, "trace", "The last APDUs a card answered (PIN data masked)", sim_trace)
    p.add_argument("--slot", type=int, default=0)
    p = _sub(sub, "serve", "Run the card simulator in this terminal until Ctrl-C", sim_serve)
    p.add_argument("--profile", help="insert this card at start")
    p.add_argument("--slot", type=int, default=0)
    p.add_argument("--no-quickack", action="store_true", help="answer like a naive card (~44 ms per APDU)")
    _sub(sub, "stop", "Stop the card simulator running in the background", sim_stop)
    sim_command(cli, "pcscd", "Is pcscd running, started by whom, with vpcd listening?", pcscd_status, json_output=True)


def _sub(sub: argparse._SubParsersAction, name: str, help: str, run) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=help)
    CLI.add_common(parser)
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(run=run)
    return parser


def _usage(args: argparse.Namespace) -> int:
    print("usage: kiosk sim card {insert,remove,status,profiles,trace,serve,stop} ...", file=sys.stderr)
    return exitcodes.USAGE


def _sim_running() -> bool:
    from hwsim.control import Registration

    try:
        Registration.read(CARD_SIM)
    except (LookupError, ValueError, TypeError):
        return False
    return True


def _start_sim_in_background(timeout_s: float = 15.0) -> int | None:
    """Start `python -m hwsim.card` detached; its pid once it has registered, else None."""
    from hwsim.control import Registration, sim_dir

    directory = sim_dir()
    directory.mkdir(parents=True, exist_ok=True)
    log_path = directory / "card.log"
    with open(log_path, "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "hwsim.card"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    print(f"starting the card simulator in the background (pid {proc.pid}, log {log_path}) ...", file=sys.stderr)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            print(f"the card simulator exited ({proc.returncode}); see {log_path}", file=sys.stderr)
            return None
        try:
            if Registration.read(CARD_SIM).pid == proc.pid:
                return proc.pid
        except (LookupError, ValueError, TypeError):
            pass
        time.sleep(0.05)
    print(f"the card simulator did not come up within {timeout_s:g} s; see {log_path}", file=sys.stderr)
    return None


def _sim_call(args: argparse.Namespace, verb: str, human=None, **params) -> int:
    from hwsim.control import send

    try:
        result = send(CARD_SIM, verb, _timeout=10.0, **params)
    except LookupError:
        print("the card simulator is not running: `kiosk sim card insert --profile NAME` starts it", file=sys.stderr)
        return exitcodes.NO_DEVICE
    except (RuntimeError, OSError) as exc:
        print(f"card simulator: {exc}", file=sys.stderr)
        return exitcodes.FAILED
    emit(args, result, human(result) if human else _pretty(result))
    return exitcodes.OK


def _pretty(result) -> str:
    import json

    return result if isinstance(result, str) else json.dumps(result, ensure_ascii=False, indent=2)


def _slot_line(slot: dict) -> str:
    card = slot.get("card")
    if not card:
        return f"slot {slot['slot']} (port {slot['port']}): empty"
    pin = "PIN blocked" if card["pin_blocked"] else f"PIN tries {card['pin_tries_left']}/{card['pin_retry_limit']}"
    seen = "" if slot.get("seen_by_reader") else " (not yet seen by pcscd)"
    return f"slot {slot['slot']} (port {slot['port']}): {card['profile']} ({card['spec_version']}, {pin}){seen}"


def sim_insert(args: argparse.Namespace) -> int:
    if not _sim_running() and _start_sim_in_background() is None:
        return exitcodes.NO_DEVICE
    return _sim_call(args, "insert", _slot_line, profile=args.profile, slot=args.slot, fresh=args.fresh)


def sim_remove(args: argparse.Namespace) -> int:
    return _sim_call(args, "remove", _slot_line, slot=args.slot, during_next_command=args.during_next_command)


def sim_profiles(args: argparse.Namespace) -> int:
    def human(rows: list[dict]) -> str:
        return "\n".join(
            f"{r['profile']:<14} {r['spec_version']}  {r['centre_status']:<14} {r['holder']:<8} {r['description']}" for r in rows
        )

    if _sim_running():
        return _sim_call(args, "profiles", human)
    from hwsim.card.simulator import CardSimulator

    rows = CardSimulator.profiles()
    emit(args, rows, human(rows))
    return exitcodes.OK


def sim_trace(args: argparse.Namespace) -> int:
    return _sim_call(args, "trace", lambda lines: "\n".join(lines) or "(no APDUs yet)", slot=args.slot)


def sim_serve(args: argparse.Namespace) -> int:
    from hwsim.card.__main__ import main as serve

    argv = []
    if args.profile:
        argv += ["--profile", args.profile, "--slot", str(args.slot)]
    if args.no_quickack:
        argv.append("--no-quickack")
    return serve(argv)


def sim_stop(args: argparse.Namespace) -> int:
    import os

    from hwsim.control import Registration

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    try:
        pid = Registration.read(CARD_SIM).pid
    except (LookupError, ValueError, TypeError):
        print("the card simulator is not running", file=sys.stderr)
        return exitcodes.OK
    code = _sim_call(args, "shutdown")
    deadline = time.monotonic() + 10
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return code


def pcscd_status(args: argparse.Namespace) -> int:
    from hwsim.card.pcscd import Pcscd

    state = Pcscd().state().to_dict()
    if state["running"]:
        human = f"pcscd running (pid {state['pid']}); vpcd listening on {state['vpcd_ports_listening'] or 'no port'}"
    else:
        human = "pcscd is not running" + (" (stale files in /run/pcscd)" if state["stale_files"] else "")
    emit(args, state, human)
    return exitcodes.OK if state["running"] else exitcodes.NO_DEVICE
