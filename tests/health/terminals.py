"""Simulated terminals' outboxes in the states the alert rules look for, shared by the health
tests, the live Prometheus test and bench/bench_metrics.py."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from kiosk.config import Config, OutboxSettings, load_config
from kiosk.keys import read_key_file
from kiosk.offline.outbox import Kind, Outbox

PAYLOAD = {"outlet_id": "CS-01", "note": "health test"}


def terminal_config(data_dir: Path, **changes) -> Config:
    """The simulator config with its own data directory (and any other field changed)."""
    return dataclasses.replace(load_config(), data_dir=data_dir, **changes)


def open_outbox(config: Config, max_attempts: int = 8, clock=time.time) -> Outbox:
    settings = OutboxSettings(max_attempts=max_attempts)
    return Outbox.open(config.data_dir, read_key_file(config.key_file), settings, clock=clock)


def with_waiting(config: Config, count: int, kind: Kind = Kind.APPLICATION, created_at: float | None = None) -> None:
    """`count` items waiting for the centre, made at `created_at` (default: now)."""
    clock = (lambda: created_at) if created_at is not None else time.time
    with open_outbox(config, clock=clock) as outbox:
        with outbox.transaction() as tx:
            for _ in range(count):
                tx.enqueue(kind, PAYLOAD)


def with_dead_item(config: Config, kind: Kind = Kind.LOSS_REPORT) -> None:
    """One item whose only attempt failed: dead, with its staff alert."""
    with open_outbox(config, max_attempts=1) as outbox:
        outbox.enqueue(kind, PAYLOAD)
        delivery = outbox.lease("health-test", 60.0)
        outbox.fail(delivery, "offline")
