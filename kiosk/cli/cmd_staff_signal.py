"""`kiosk devices staff-signal`: switch the outlet's staff-call light on for a moment, so a
technician sees the wiring works.

Exit codes: 0 the board took the frames (the light should have blinked: the board cannot say);
4 (NO_DEVICE) no such port, or it vanished.
"""

from __future__ import annotations

import argparse
import time

from kiosk.cli import exitcodes
from kiosk.cli.device_commands import device_url, devices_command, port_argument, report_failure, terminal
from kiosk.cli.main import CLI, emit
from kiosk.drivers.status import ResultCode

EXIT_CODES = {ResultCode.SUCCESS: exitcodes.OK, ResultCode.NO_DEVICE: exitcodes.NO_DEVICE}


def register(cli: CLI) -> None:
    p = devices_command(cli, "staff-signal", "Light the staff-call light for a few seconds, then switch it off", staff_signal)
    port_argument(p, "serial:///dev/ttyUSB1?baud=9600, sim://staff-signal", "staff_signal")
    p.add_argument("--seconds", type=float, default=3.0, help="how long it stays on (default 3)")


def staff_signal(args: argparse.Namespace) -> int:
    from kiosk.drivers.factory import build_staff_signal

    cfg, hooks = terminal(args)
    url = device_url(args.port, cfg.devices.staff_signal)
    if not url:
        print("this terminal has no staff-call light (devices.staff_signal); give one with --port", flush=True)
        return exitcodes.NO_DEVICE
    light = build_staff_signal(url, hooks)
    try:
        done = light.call()
        if not done.ok:
            return report_failure(args, "staff signal", done, EXIT_CODES)
        time.sleep(max(0.0, args.seconds))
        done = light.clear()
        if not done.ok:
            return report_failure(args, "staff signal", done, EXIT_CODES)
    finally:
        light.close()
    emit(args, {"ok": True, "url": url, "status": light.status().to_dict()}, f"staff-call light on for {args.seconds:g} s, then off ({url})")
    return exitcodes.OK
