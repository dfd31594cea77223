"""The centre's fleet view in the simulator: the last heartbeat of each terminal
(docs/centre-api.yaml, `postHeartbeat`, `fleetStatus`), how long ago it came, and the
terminal's clock against the centre's when it did.

Heartbeat ages are real seconds (time.time), not the simulated production clock, which may run
60 times faster: "no heartbeat for 10 minutes" means ten minutes of a technician's day. The
same view is served to Prometheus (`kiosk sim centre --metrics-port N`) as
`sscard_centre_heartbeat_age_seconds{terminal_id}` for the fleet's "no heartbeat" alert.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any, Callable, Iterator

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from hwsim.centre.contract import Reply, error
from hwsim.centre.extension import StoreExtension
from hwsim.centre.store import CentreStore, iso

SCHEMA = """
CREATE TABLE IF NOT EXISTS fleet (
    terminal_id TEXT PRIMARY KEY, received_at REAL NOT NULL, clock_skew_s REAL NOT NULL,
    status TEXT NOT NULL) STRICT;
"""


class Fleet(StoreExtension):
    SCHEMA = SCHEMA

    def __init__(self, store: CentreStore, clock: Callable[[], float] = time.time) -> None:
        super().__init__(store)
        self.clock = clock

    def heartbeat(self, body: dict[str, Any], terminal_id: str) -> Reply:
        """Runs inside the store's idempotent transaction: the terminal's last heartbeat replaced."""
        if body["terminal_id"] != terminal_id:
            return error(422, "wrong_terminal", "terminal_id is not the terminal of the client certificate")
        now = self.clock()
        try:
            skew = datetime.fromisoformat(body["sent_at"]).timestamp() - now
        except (ValueError, OverflowError):  # the pattern lets through a year 0000 or a 31 February
            return error(422, "impossible_time", "sent_at is not a moment a calendar has")
        self._db.execute(
            "INSERT INTO fleet VALUES (?, ?, ?, ?) ON CONFLICT (terminal_id) DO UPDATE SET"
            " received_at = excluded.received_at, clock_skew_s = excluded.clock_skew_s, status = excluded.status",
            [terminal_id, now, skew, json.dumps(body, sort_keys=True)],
        )
        return 201, {"status": "received", "received_at": iso(now)}

    def terminals(self) -> list[dict[str, Any]]:
        """Every terminal that sent a heartbeat, by terminal id, with its age now."""
        now = self.clock()
        with self.store._lock:
            rows = self._db.execute("SELECT * FROM fleet ORDER BY terminal_id").fetchall()
        return [
            {
                "terminal_id": r["terminal_id"],
                "received_at": iso(r["received_at"]),
                "age_s": round(max(0.0, now - r["received_at"]), 3),
                "clock_skew_s": round(r["clock_skew_s"], 3),
                "status": json.loads(r["status"]),
            }
            for r in rows
        ]

    def listed(self) -> Reply:
        return 200, {"terminals": self.terminals()}


def fleet_lines(terminals: list[dict[str, Any]]) -> list[str]:
    """The fleet view as a technician reads it: one line per terminal."""
    if not terminals:
        return ["no heartbeat from any terminal yet"]
    lines = []
    for t in terminals:
        status = t["status"]
        paper = status["devices"].get("printer", {}).get("paper", "-")
        items = status["outbox"]["items"]
        lines.append(
            f"{t['terminal_id']:<8} {status['outlet_id']:<8} last {t['age_s']:>7.0f} s ago  skew {t['clock_skew_s']:+6.0f} s"
            f"  paper {paper:<7} waiting {items['pending'] + items['in_flight']:>4}  dead {items['dead']:>3}"
            f"  rejected {items['rejected']:>3}  {status['software']['version']} slot {status['software']['slot']}"
        )
    return lines


class FleetCollector(Collector):
    """The fleet view for Prometheus: each terminal's heartbeat age and clock skew."""

    def __init__(self, fleet: Fleet) -> None:
        self.fleet = fleet

    def collect(self) -> Iterator[Metric]:
        terminals = self.fleet.terminals()
        age = GaugeMetricFamily("sscard_centre_heartbeat_age_seconds", "Seconds since the terminal's last heartbeat",
                                labels=["terminal_id", "outlet_id"])  # fmt: skip
        skew = GaugeMetricFamily("sscard_centre_terminal_clock_skew_seconds",
                                 "The terminal's clock minus the centre's when its last heartbeat arrived",
                                 labels=["terminal_id", "outlet_id"])  # fmt: skip
        for t in terminals:
            labels = [t["terminal_id"], t["status"]["outlet_id"]]
            age.add_metric(labels, t["age_s"])
            skew.add_metric(labels, t["clock_skew_s"])
        yield age
        yield skew
