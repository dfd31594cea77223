"""`kiosk sim centre [--port N] [--state-dir D] [--fleet-every S] [--metrics-port N]`: run the
card-centre simulator in the foreground; it prints its fleet view (each terminal's last
heartbeat) every S seconds and serves it to Prometheus on 127.0.0.1:N."""

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
    p.add_argument("--fleet-every", type=float, default=60.0, metavar="S", help="print the fleet view (terminals' last heartbeats) every S seconds; 0 = never (default 60)")
    p.add_argument("--metrics-port", type=int, metavar="N", help="serve the fleet's heartbeat ages to Prometheus on 127.0.0.1:N (default: not served)")
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
        show_fleet(sim, args.fleet_every, args.metrics_port)

    try:
        serve(port, state_dir, speed, ready, enrol=(cfg.terminal_id, cfg.tls_dir))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(f"port {port} is in use: is another centre simulator running? (`kiosk sim list`)", file=sys.stderr)
            return exitcodes.FAILED
        raise
    return exitcodes.OK


def show_fleet(sim, every_s: float, metrics_port: int | None) -> None:
    """The fleet view printed every `every_s` seconds (when it changed), and served on
    `metrics_port` to Prometheus; both on daemon threads that end with the simulator."""
    import threading
    import time

    from prometheus_client import CollectorRegistry, start_http_server

    from hwsim.centre.fleet import FleetCollector, fleet_lines

    if metrics_port is not None:
        registry = CollectorRegistry(auto_describe=False)
        registry.register(FleetCollector(sim.fleet))
        start_http_server(metrics_port, "127.0.0.1", registry)
        print(f"  fleet metrics on http://127.0.0.1:{metrics_port}/metrics", flush=True)
    if every_s > 0:

        def print_fleet() -> None:
            seen: list = []
            while True:
                terminals = sim.fleet.terminals()
                heard = [(t["terminal_id"], t["received_at"]) for t in terminals]
                if heard != seen:
                    seen = heard
                    print("fleet:\n  " + "\n  ".join(fleet_lines(terminals)), flush=True)
                time.sleep(every_s)

        threading.Thread(target=print_fleet, name="fleet-view", daemon=True).start()
