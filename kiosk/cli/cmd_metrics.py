"""`kiosk metrics show [--json|--prometheus]` and `kiosk metrics serve`: the terminal's health
as the fleet sees it (kiosk/health; docs/monitoring.md).

`show` asks the devices once and prints the snapshot; `serve` runs the exporter and the
heartbeat of `[metrics]` until stopped, for a terminal whose kiosk app does not (a headless
terminal, a test). Both print enums, counts and times only: never a person.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import Any

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit

DEVICE_CHOICES = ("id_reader", "printer", "card_reader", "usb_drive", "staff_signal")


def register(cli: CLI) -> None:
    cli.group("metrics", "Fleet health: the Prometheus exporter and the heartbeat to the centre")
    p = cli.command("metrics", "show", "The terminal's health now: devices, paper, outbox, journeys, build, certificate", show, json_output=True)
    p.add_argument("--prometheus", action="store_true", help="print what a Prometheus scrape reads")
    _device_option(p)
    p = cli.command("metrics", "serve", "Serve /metrics and send heartbeats by the config's [metrics], until stopped", serve)
    p.add_argument("--bind", help="the address to listen on (default: metrics.bind)")
    p.add_argument("--port", type=int, help="the port to listen on (default: metrics.port; 0 = any free one, printed)")
    p.add_argument("--poll-s", type=float, default=None, help="seconds between asking the devices (default 30)")
    _device_option(p)


def _device_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--device", action="append", choices=DEVICE_CHOICES,
                   help="report (and ask) only this device (repeatable; default: every device fitted)")  # fmt: skip


def _devices(cfg, wanted: list[str] | None) -> list[Any]:
    from kiosk.drivers.factory import build_devices
    from kiosk.drivers.simulation import load_simulator_hooks

    built = build_devices(cfg, load_simulator_hooks(cfg))
    return [getattr(built, name) for name in (wanted or DEVICE_CHOICES) if getattr(built, name) is not None]


def _sources(cfg, devices: list[Any]):
    from kiosk.health.monitor import statuses_of
    from kiosk.health.snapshot import HealthSources

    return HealthSources(cfg, statuses_of(devices))


def _close(devices: list[Any]) -> None:
    for device in devices:
        device.close()


def human(status: dict[str, Any]) -> str:
    lines = [f"terminal {status['terminal_id']} at {status['outlet_id']}, {status['software']['version']} slot {status['software']['slot']}, clock {status['sent_at']}"]
    for name, device in status["devices"].items():
        paper = f", paper {device['paper']}" if "paper" in device else ""
        lines.append(f"  {name:<13} {device['state']}{paper}")
    box = status["outbox"]
    if box["readable"]:
        waiting = "" if box["oldest_waiting_s"] is None else f", oldest waiting {box['oldest_waiting_s']:.0f} s"
        lines.append("  outbox        " + ", ".join(f"{k} {v}" for k, v in box["items"].items()) + waiting)
        lines.append(f"                open alerts {box['open_alerts']}, staff calls waiting {box['staff_calls_waiting']}")
    else:
        lines.append("  outbox        not readable (no database yet?)")
    lines.append(f"  certificate   expires {status['certificate_expires_at'] or '- (not enrolled)'}")
    lines.append(f"  centre        last answered {status['last_centre_contact_at'] or '- (not this process)'}")
    return "\n".join(lines)


def show(args: argparse.Namespace) -> int:
    from kiosk.health.exporter import exposition
    from kiosk.health.monitor import refresh_all

    cfg = load_config_or_exit(args)
    devices = _devices(cfg, args.device)
    sources = _sources(cfg, devices)
    try:
        refresh_all(devices)
        if args.prometheus:
            sys.stdout.write(exposition(sources).decode())
        else:
            status = sources.take().to_dict()
            emit(args, status, human(status))
    finally:
        sources.close()
        _close(devices)
    return exitcodes.OK


def serve(args: argparse.Namespace) -> int:
    import dataclasses

    from kiosk.centre.connect import centre_client
    from kiosk.health.monitor import DEVICE_POLL_S, HealthMonitor
    from kiosk.logs import setup_logging

    cfg = load_config_or_exit(args)
    setup_logging()
    settings = dataclasses.replace(
        cfg.metrics, enabled=True, bind=args.bind or cfg.metrics.bind,
        port=cfg.metrics.port if args.port is None else args.port,
    )  # fmt: skip
    devices = _devices(cfg, args.device)
    centre = centre_client(cfg) if settings.heartbeat_s else None
    monitor = HealthMonitor(_sources(cfg, devices), settings, centre=centre, poll=devices, poll_s=args.poll_s or DEVICE_POLL_S)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        monitor.start()
        if monitor.server is None:
            print(f"cannot listen on {settings.bind}:{settings.port} (in use? see the log)", file=sys.stderr)
            return exitcodes.FAILED
        beat = f", heartbeat every {settings.heartbeat_s} s to {cfg.centre_url}" if monitor.heartbeat else ""
        print(f"metrics on http://{settings.bind}:{monitor.server.port}/metrics{beat}; Ctrl-C stops", flush=True)
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        monitor.stop()
        if centre is not None:
            centre.close()
        _close(devices)
    return exitcodes.OK
