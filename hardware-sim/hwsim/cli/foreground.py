"""How `kiosk sim …` commands run a simulator in the foreground, written once: start it,
say where to connect (the same way for every simulator), wait for Ctrl-C or SIGTERM, stop
it cleanly (so it unregisters and its pty or port disappears)."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from typing import Callable, TypeVar

from kiosk.cli import exitcodes

T = TypeVar("T")


def run_until_stopped(start: Callable[[], T], announce: Callable[[T], None], stop: Callable[[T], None]) -> int:
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    running = start()
    try:
        announce(running)
        while not stopping.wait(0.5):
            pass
    finally:
        stop(running)
    return exitcodes.OK


def announce_simulator(args: argparse.Namespace, what: str, info: dict, details: list[str], steer: list[str]) -> None:
    """A simulator is up: its facts as one JSON line with --json, else where it is, how it is
    set up (`details`) and the `kiosk sim ctl` lines that steer it."""
    if args.json:
        print(json.dumps(info, ensure_ascii=False), flush=True)
        return
    lines = [
        f"{what} simulator running (pid {info['pid']})",
        f"  port: {info['port']}",
        f"  url:  {info['url']}",
        *(f"  {line}" for line in details),
        "Steer it from another terminal:",
        *(f"  {line}" for line in steer),
        "Ctrl-C stops it.",
    ]
    print("\n".join(lines), flush=True)
