"""`kiosk sim centre [--port N] [--state-dir D]`: run the card-centre simulator in the foreground."""

from __future__ import annotations

import argparse
import errno
import logging
import sys
from pathlib import Path
from urllib.parse import urlsplit

from hwsim.cli import sim_command
from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, load_config_or_exit


def register(cli: CLI) -> None:
    p = sim_command(cli, "centre", "Run the card-centre simulator (HTTPS with mutual TLS on 127.0.0.1) until Ctrl-C", run)
    p.add_argument("--port", type=int, help="TCP port (default: the port of centre_url in the config; 0 = any free port)")
    p.add_argument("--state-dir", type=Path, help="where it keeps what it received (default: $KIOSK_SIM_DIR/centre)")
    p.add_argument("--clock-speed", type=float, help="how much faster than real time applications advance (default: the config's simulator.centre_clock_speed)")


def run(args: argparse.Namespace) -> int:
    from hwsim.centre.server import DEFAULT_PORT, run as serve
    from hwsim.control import sim_dir
    from kiosk.logs import setup_logging

    cfg = load_config_or_exit(args)
    port = args.port if args.port is not None else (urlsplit(cfg.centre_url).port or DEFAULT_PORT)
    speed = args.clock_speed or (cfg.simulator.centre_clock_speed if cfg.simulator else 1.0)
    state_dir = args.state_dir or sim_dir() / "centre"
    setup_logging(logging.INFO)

    def ready(sim) -> None:
        print(f"card-centre simulator listening on {sim.url}", flush=True)
        print(f"  state in {state_dir}, clock x{speed:g}; steer it with `kiosk sim ctl centre help`; Ctrl-C stops it", flush=True)

    try:
        serve(port, state_dir, speed, ready, enrol=(cfg.terminal_id, cfg.tls_dir))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"port {port} is in use: is another centre simulator running? (`kiosk sim list`)", file=sys.stderr)
            return exitcodes.FAILED
        raise
    return exitcodes.OK
