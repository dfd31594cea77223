"""Outbox costs: a durable enqueue, and delivering the queue to the centre simulator.

Each number comes with a baseline measured in the same run on the same disk, and the ratio:
- enqueue (WAL, synchronous=FULL, SM4-GCM, one transaction) against a bare sqlite3 INSERT of
  a row of the same size in its own synchronous=FULL WAL transaction;
- sync throughput (lease, decrypt, POST, ack) against bare httpx POSTs of the same bodies
  with fresh idempotency keys to the same simulator;
- the status query's look at unsent applications (open every unsent payload, the one cost
  that grows with an outage) against listing the same items without opening them.
Run: bench/run outbox
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from kiosk.centre.client import CentreClient, encode_attachments  # noqa: E402
from kiosk.centre.tls import client_context  # noqa: E402
from kiosk.enrolment import TerminalTls  # noqa: E402
from kiosk.config import OutboxSettings  # noqa: E402
from kiosk.keys import TerminalKey  # noqa: E402
from kiosk.offline.outbox import Attachment, Kind, Outbox  # noqa: E402
from kiosk.offline.sync import SyncWorker  # noqa: E402

PHOTO_BYTES = 300 * 1024
APPLICATION = {
    "service": "apply",
    "outlet_id": "CS-01",
    "applicant": {"name": "欧阳秀英", "id_number": "500115195203140021", "phone": "13912345678", "address": "重庆市长寿区凤城街道桃花街19号"},
    "bank": "ICBC",
    "pickup": {"method": "outlet", "outlet_id": "CS-01"},
}  # fmt: skip


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def bare_inserts(path: Path, n: int, size: int) -> list[float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, data BLOB) STRICT")
    times = []
    for _ in range(n):
        blob = os.urandom(size)
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t (k, data) VALUES (?, ?)", [str(uuid.uuid4()), blob])
        conn.execute("COMMIT")
        times.append(time.perf_counter() - start)
    conn.close()
    return times


def enqueues(outbox: Outbox, n: int, photo: bool) -> list[float]:
    times = []
    for _ in range(n):
        attachments = [Attachment("photo", os.urandom(PHOTO_BYTES))] if photo else []
        start = time.perf_counter()
        outbox.enqueue(Kind.APPLICATION, APPLICATION, attachments=attachments)
        times.append(time.perf_counter() - start)
    return times


def report(label: str, ours: list[float], base: list[float]) -> None:
    (m, p), (bm, bp) = percentiles(ours), percentiles(base)
    print(f"{label:<34} median {m * 1e3:7.2f} ms  p99 {p * 1e3:7.2f} ms   | bare INSERT median {bm * 1e3:6.2f} ms"
          f"  p99 {bp * 1e3:6.2f} ms   | ratio median {m / bm:5.2f}x  p99 {p / bp:5.2f}x")  # fmt: skip


def bench_enqueue(work: Path, key: TerminalKey) -> None:
    with Outbox.open(work / "enqueue", key) as outbox:
        small_row = len(repr(APPLICATION).encode()) + 64
        report("enqueue, no attachment (n=200)", enqueues(outbox, 200, False), bare_inserts(work / "b1.db", 200, small_row))
        report("enqueue, 300 KB photo (n=60)", enqueues(outbox, 60, True), bare_inserts(work / "b2.db", 60, PHOTO_BYTES))


def bench_unsent_lookup(work: Path, key: TerminalKey) -> None:
    for n in (10, 100, 1000):
        with Outbox.open(work / f"unsent-{n}", key) as outbox:
            for i in range(n):
                outbox.enqueue(Kind.APPLICATION, {**APPLICATION, "voucher_serial": f"CS01-T01-20261123-{i:04d}"})
            ours, bare = [], []
            for _ in range(20):
                start = time.perf_counter()
                outbox.unsent(Kind.APPLICATION)
                ours.append(time.perf_counter() - start)
                start = time.perf_counter()
                outbox.items()
                bare.append(time.perf_counter() - start)
        m, b = statistics.median(ours), statistics.median(bare)
        print(f"{f'unsent applications, {n} waiting':<34} median {m * 1e3:7.2f} ms             "
              f"| listing them unopened {b * 1e3:6.2f} ms               | ratio {m / b:5.2f}x")  # fmt: skip


def start_centre(work: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "KIOSK_SIM_DIR": str(work / "sim")}
    kiosk = Path(sys.executable).with_name("kiosk")
    proc = subprocess.Popen(
        [str(kiosk), "sim", "centre", "--port", "0", "--state-dir", str(work / "centre")],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True,
    )  # fmt: skip
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        raise SystemExit(f"the centre simulator did not start: {line!r}")
    return proc, line.rsplit(" ", 1)[-1].strip()


def bench_sync(work: Path, key: TerminalKey, url: str, n: int, photo: bool) -> None:
    """Both sides over the same mutual TLS, as the terminal the simulator enrolled."""
    label = f"sync, {'300 KB photo' if photo else 'no attachment'} (n={n})"
    tls = client_context(TerminalTls(work / "sim" / "tls"))
    with Outbox.open(work / f"sync-{photo}", key, OutboxSettings()) as outbox, CentreClient(url, tls=tls) as client:
        for _ in range(n):
            outbox.enqueue(Kind.APPLICATION, APPLICATION, attachments=[Attachment("photo", os.urandom(PHOTO_BYTES))] if photo else [])
        start = time.perf_counter()
        sent = SyncWorker(outbox, client).sync_once().sent
        ours = time.perf_counter() - start
    if sent != n:
        raise SystemExit(f"{label}: only {sent} of {n} were sent")
    bodies = [
        {**APPLICATION, "attachments": encode_attachments([Attachment("photo", os.urandom(PHOTO_BYTES))] if photo else [])}
        for _ in range(n)
    ]
    with httpx.Client(base_url=url, verify=tls) as http:
        start = time.perf_counter()
        for body in bodies:
            http.post("/v1/applications", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}).raise_for_status()
        bare = time.perf_counter() - start
    print(f"{label:<34} {n / ours:7.1f} items/s          | bare httpx POST {n / bare:7.1f} items/s"
          f"              | ratio {ours / bare:5.2f}x the time")  # fmt: skip


def main() -> None:
    key = TerminalKey(os.urandom(32))
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_DIR")) as tmp:
        work = Path(tmp)
        print(f"work directory {work} (set BENCH_DIR to measure on the terminal's own disk)")
        bench_enqueue(work, key)
        bench_unsent_lookup(work, key)
        proc, url = start_centre(work)
        try:
            bench_sync(work, key, url, 200, False)
            bench_sync(work, key, url, 40, True)
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()
