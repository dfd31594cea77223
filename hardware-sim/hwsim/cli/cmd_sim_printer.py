"""`kiosk sim printer`: the receipt printer simulator (ESC/POS on a pty) in the foreground."""

from __future__ import annotations

import argparse
import os
import sys

from hwsim.cli import sim_command
from hwsim.cli.foreground import announce_simulator, run_until_stopped
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI


def register(cli: CLI) -> None:
    p = sim_command(cli, "printer", "Run the receipt printer simulator (ESC/POS on a pty) until Ctrl-C", run_simulator, json_output=True)
    p.add_argument("--paper-mm", type=float, default=50_000.0, metavar="N", help="paper left on the roll (default 50000 mm)")
    p.add_argument("--near-end-mm", type=float, default=1_000.0, metavar="N", help="paper near-end sensor point (default 1000 mm)")
    p.add_argument("--pace", action="store_true", help="take in bytes no faster than a real serial line (see --baud)")
    p.add_argument("--baud", type=int, default=9600, help="baud rate for --pace (default 9600)")
    p.add_argument("--out", metavar="DIR", help="where job PNG and JSON files go (default $KIOSK_SIM_DIR/printer/jobs)")
    p.add_argument("--name", default="printer", help="simulator name for sim://NAME (default printer)")
    p.add_argument(
        "--code-page-at-power-up", action="store_true",
        help="power up with Chinese mode off, like printers that need FS & before GB18030 text",
    )


def run_simulator(args: argparse.Namespace) -> int:
    from hwsim.printer import PrinterSimulator

    if args.paper_mm < 0 or args.near_end_mm < 0 or args.baud <= 0:
        print("--paper-mm and --near-end-mm must be >= 0, --baud > 0", file=sys.stderr)
        return exitcodes.USAGE

    def announce(simulator) -> None:
        info = {"pid": os.getpid(), "port": simulator.port, "url": f"sim://{args.name}", "jobs_dir": str(simulator.jobs_dir),
                "paper_mm": args.paper_mm, "paced_baud": simulator.baud}  # fmt: skip
        announce_simulator(
            args, "receipt printer", info,
            [
                f"jobs: {info['jobs_dir']} (one PNG + JSON per job)",
                f"paper: {args.paper_mm:g} mm, near end at {args.near_end_mm:g} mm; "
                f"pacing: {f'{args.baud} baud' if args.pace else 'off'}",
            ],
            [
                f"kiosk sim ctl {args.name} paper_out | paper_low | load_paper meters=50 | cover state=open|closed",
                f"kiosk sim ctl {args.name} unplug | plug | power state=off|on | status | jobs",
            ],
        )  # fmt: skip

    return run_until_stopped(
        lambda: PrinterSimulator(
            name=args.name,
            paper_mm=args.paper_mm,
            near_end_mm=args.near_end_mm,
            jobs_dir=args.out,
            baud=args.baud if args.pace else None,
            chinese_at_power_up=not args.code_page_at_power_up,
        ).start(),
        announce,
        lambda simulator: simulator.stop(),
    )
