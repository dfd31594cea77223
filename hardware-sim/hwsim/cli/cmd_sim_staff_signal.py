"""`kiosk sim staff-signal`: the outlet's staff-call light (a USB relay board) on a pty, in the foreground."""

from __future__ import annotations

import argparse
import os

from hwsim.cli import sim_command
from hwsim.cli.foreground import announce_simulator, run_until_stopped
from kiosk.cli.main import CLI


def register(cli: CLI) -> None:
    p = sim_command(cli, "staff-signal", "Run the staff-call light simulator (USB relay on a pty) until Ctrl-C", run_simulator, json_output=True)
    p.add_argument("--name", default="staff-signal", help="simulator name for sim://NAME (default staff-signal)")


def run_simulator(args: argparse.Namespace) -> int:
    from hwsim.staff_signal import StaffSignalSimulator

    def show(on: bool) -> None:
        print("● 呼叫工作人员  the staff-call light is ON" if on else "○ the staff-call light is off", flush=True)

    def announce(simulator) -> None:
        info = {"pid": os.getpid(), "port": simulator.port, "url": f"sim://{args.name}"}
        announce_simulator(
            args, "staff-call light", info, ["relay board: A0 <channel> <state> <checksum>, 9600 8N1; the light is relay 1"],
            [f"kiosk sim ctl {args.name} status | history | acknowledge | unplug | plug"],
        )

    return run_until_stopped(lambda: StaffSignalSimulator(name=args.name, on_change=show).start(), announce, lambda s: s.stop())
