"""`python -m kiosk.ui.scripted --script MODULE:FUNCTION --out DIR`: one scripted run of the kiosk.

Each run is its own process because Kivy opens one window per process. The script (an
async function taking a `ScriptedResident`) drives the real app; the run writes
DIR/report.json (what the script recorded, its error if any) and DIR/*.png, and exits
0 when the script finished, 1 when it failed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from kiosk.config import ConfigError, load_config
from kiosk.ui.bootstrap import WindowPlan
from kiosk.ui.runner import RunOptions, run

REPORT = "report.json"


def load_script(spec: str):
    module_name, _, function = spec.partition(":")
    if not function:
        raise SystemExit(f"--script wants MODULE:FUNCTION, not {spec!r}")
    return getattr(importlib.import_module(module_name), function)


def parse_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"size must be WIDTHxHEIGHT such as 1080x1920, not {text!r}")
    return int(width), int(height)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.ui.scripted", description=__doc__.splitlines()[0])
    parser.add_argument("--script", required=True, help="MODULE:FUNCTION, an async function(resident)")
    parser.add_argument("--out", required=True, type=Path, help="folder for report.json and screenshots")
    parser.add_argument("--config", help="terminal configuration (default: the simulator config)")
    parser.add_argument("--idle-timeout", type=float, help="seconds, overriding the config")
    parser.add_argument("--idle-warning", type=float, help="seconds of countdown before the timeout")
    parser.add_argument("--window", type=parse_size, help="a plain window of this size instead of full screen")
    parser.add_argument("--no-device-watch", action="store_true",
                        help="no service closes for a device or centre fault (scripts that run with no device at all)")
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 1
    plan = WindowPlan(fullscreen=not args.window, size=args.window, multisamples=0)
    options = RunOptions(window=plan, idle_timeout_s=args.idle_timeout, idle_warning_s=args.idle_warning,
                         watch_devices=not args.no_device_watch)
    args.out.mkdir(parents=True, exist_ok=True)
    result = run(config, options, lambda: load_script(args.script), args.out)
    result.write(args.out / REPORT)
    if not result.ok:
        print(result.error, file=sys.stderr)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
