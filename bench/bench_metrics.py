"""The exporter's scrape with 10,000 items in the outbox (goal: ≤ 5 ms median).

Every number the scrape shows about the outbox is counted by SQLite (kiosk/offline/depth.py:
the state index, min(id), one row), never by loading items into Python, so an outage's backlog
costs a scrape about what an empty outbox does. Measured in the same run:
- a scrape over HTTP of the health registry (snapshot + exposition), 10,000 items: 9,000
  pending (a day's outage), 800 sent, 150 dead, 50 rejected;
- the same with an empty outbox;
- baselines: a scrape over HTTP of an empty registry served the same way (prometheus_client's
  own cost), and a bare `SELECT 1` on a SQLite connection.
Run: bench/run metrics
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "hardware-sim"))

from prometheus_client import CollectorRegistry, start_http_server  # noqa: E402

from kiosk.config import load_config  # noqa: E402
from kiosk.drivers.status import DeviceKind, DeviceState, DeviceStatus, SupplyState  # noqa: E402
from kiosk.health.exporter import MetricsServer, exposition  # noqa: E402
from kiosk.health.snapshot import HealthSources  # noqa: E402
from kiosk.keys import read_key_file  # noqa: E402
from kiosk.offline.database import open_database  # noqa: E402
from kiosk.offline.outbox import Kind, Outbox  # noqa: E402

ITEMS = 10_000
SCRAPES = 300
GOAL_MS = 5.0
PAYLOAD = {"service": "apply", "outlet_id": "CS-01", "note": "x" * 600}  # about an application's sealed size
PRINTER = DeviceStatus(DeviceKind.PRINTER, DeviceState.ONLINE, supplies={"paper": SupplyState.LOW})


def fill(config, n: int) -> None:
    """`n` items, then states set in bulk as an outage and its aftermath leave them."""
    with Outbox.open(config.data_dir, read_key_file(config.key_file)) as outbox:
        with outbox.transaction() as tx:
            for i in range(n):
                tx.enqueue(Kind.STAFF_CALL if i % 50 == 0 else Kind.APPLICATION, PAYLOAD)
    db = open_database(config.data_dir)
    with db.conn:
        db.execute("UPDATE outbox_items SET state = 'sent', sent_at = created_at WHERE id % 100 < 8")
        db.execute("UPDATE outbox_items SET state = 'dead' WHERE id % 100 BETWEEN 8 AND 9 AND id % 3 = 0")
        db.execute("UPDATE outbox_items SET state = 'rejected' WHERE id % 200 = 11")
    counts = dict(db.execute("SELECT state, count(*) FROM outbox_items GROUP BY state").fetchall())
    db.close()
    print(f"outbox: {sum(counts.values())} items {counts}")


def timed(call, n: int = SCRAPES) -> list[float]:
    call()  # warm: the first scrape opens the connection and reads the certificate
    times = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def scrape(url: str) -> None:
    with urllib.request.urlopen(url, timeout=5) as response:
        response.read()


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def line(label: str, samples: list[float], base: list[float] | None = None, base_label: str = "") -> float:
    m, p = stats(samples)
    text = f"{label:<44} median {m * 1e3:6.2f} ms  p99 {p * 1e3:6.2f} ms"
    if base is not None:
        bm, _ = stats(base)
        text += f"   | {base_label} median {bm * 1e3:6.3f} ms   ratio {m / bm:6.2f}x"
    print(text)
    return m


def served(sources: HealthSources) -> list[float]:
    server = MetricsServer(sources, "127.0.0.1", 0)
    try:
        return timed(lambda: scrape(f"http://127.0.0.1:{server.port}/metrics"))
    finally:
        server.stop()


def main() -> int:
    import sqlite3

    with tempfile.TemporaryDirectory() as work:
        config = load_config()
        full = dataclasses.replace(config, data_dir=Path(work) / "full")
        empty = dataclasses.replace(config, data_dir=Path(work) / "empty")
        fill(full, ITEMS)
        fill(empty, 0)

        httpd, thread = start_http_server(0, "127.0.0.1", CollectorRegistry(auto_describe=False))
        try:
            bare_http = timed(lambda: scrape(f"http://127.0.0.1:{httpd.server_address[1]}/metrics"))
        finally:
            httpd.shutdown()
            httpd.server_close()
        conn = sqlite3.connect(":memory:")
        select_one = timed(lambda: conn.execute("SELECT 1").fetchone(), n=2000)

        full_sources = HealthSources(full, lambda: [PRINTER])
        empty_sources = HealthSources(empty, lambda: [PRINTER])
        snapshot_full = timed(full_sources.take)
        exposition_full = timed(lambda: exposition(full_sources))
        http_full = served(full_sources)
        http_empty = served(empty_sources)
        full_sources.close()
        empty_sources.close()

    print(f"{'bare SELECT 1':<44} median {stats(select_one)[0] * 1e3:6.3f} ms")
    line("snapshot alone, 10,000 items", snapshot_full, select_one, "SELECT 1")
    line("snapshot and exposition, 10,000 items", exposition_full, select_one, "SELECT 1")
    line("scrape over HTTP, empty outbox", http_empty, bare_http, "empty registry")
    median = line("scrape over HTTP, 10,000 items", http_full, bare_http, "empty registry")
    ok = median * 1e3 <= GOAL_MS
    print(f"goal: scrape median ≤ {GOAL_MS:g} ms with {ITEMS:,} items: {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
