"""`kiosk config check [FILE]` (the key commands are kiosk/cli/cmd_keys.py)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit


def register(cli: CLI) -> None:
    cli.group("config", "Check a terminal configuration file")
    p = cli.command("config", "check", "Load a configuration and report every problem in it", check, json_output=True)
    p.add_argument("file", nargs="?", help="the file to check (default: --config, $KIOSK_CONFIG or the simulator config)")


def check(args: argparse.Namespace) -> int:
    from kiosk.config import ConfigError, config_path, load_config
    from kiosk.config.clock import clock_problem

    path = config_path(args.file or getattr(args, "config", None))
    try:
        cfg = load_config(path)
    except ConfigError as exc:
        problems = [{"file": p.file, "key": p.key, "reason": p.reason} for p in exc.problems]
        if args.json:
            emit(args, {"ok": False, "file": str(path), "problems": problems}, "")
        else:
            print(f"{path}: {len(problems)} problem(s)", file=sys.stderr)
            for p in exc.problems:
                print(f"  {p}", file=sys.stderr)
        return exitcodes.FAILED
    summary = {
        "ok": True,
        "file": str(path),
        "production": cfg.production,
        "outlet_id": cfg.outlet_id,
        "terminal_id": cfg.terminal_id,
        "region": cfg.region,
        "centre_url": cfg.centre_url,
        "data_dir": str(cfg.data_dir),
        "tls_dir": None if cfg.tls_dir is None else str(cfg.tls_dir),
        "devices": vars(cfg.devices),
    }
    clock = clock_problem(date.today(), cfg.not_before)
    summary["clock_problem"] = clock  # a warning: the time server may set it any moment
    if clock and not args.json:
        print(f"warning: {clock}; no voucher is issued until it is set", file=sys.stderr)
    mode = "production" if cfg.production else "simulator"
    emit(args, summary, f"{path}: ok ({mode}, outlet {cfg.outlet_id}, terminal {cfg.terminal_id}, region {cfg.region})")
    return exitcodes.OK

