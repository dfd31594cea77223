"""`kiosk sim usb-drive`: the removable-drive simulator in the foreground."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hwsim.cli import sim_command
from hwsim.cli.foreground import run_until_stopped
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI


def register(cli: CLI) -> None:
    p = sim_command(cli, "usb-drive", "Run the removable-drive simulator (a FAT image at a fixed path) until Ctrl-C", run_simulator)
    p.add_argument("--insert", type=Path, metavar="PATH", help="start with a drive in: a folder (made into FAT) or an image file")


def run_simulator(args: argparse.Namespace) -> int:
    from hwsim.control import sim_dir
    from hwsim.usb_drive import UsbDriveSimulator

    sim = UsbDriveSimulator()

    def start() -> UsbDriveSimulator:
        sim.start()
        if args.insert is not None:
            sim.insert(args.insert)
        return sim

    def announce(sim: UsbDriveSimulator) -> None:
        print(f"usb-drive simulator: {sim.url} ({'a drive is in' if sim.inserted else 'empty'}), "
              f"registered as sim://usb-drive in {sim_dir()}", flush=True)
        print("steer it from another terminal: kiosk sim ctl usb-drive insert path=FOLDER_OR_IMAGE | pull | files | "
              "fetch path=/x.xlsx to=OUT", flush=True)

    if args.insert is not None and not args.insert.exists():
        print(f"{args.insert}: no such folder or image file", file=sys.stderr)
        return exitcodes.USAGE
    return run_until_stopped(start, announce, lambda sim: sim.stop())
