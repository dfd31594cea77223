"""Voucher costs, each as a ratio to a baseline measured in the same run:
- a serial number (fresh connection, IMMEDIATE transaction, synchronous=FULL) against one
  durable commit on a connection kept open: what the per-call connection costs;
- signing and verifying a QR payload (HMAC-SM3) against HMAC-SHA256 of the same text;
- loading a region policy (TOML + schema + checks) against parsing its TOML alone."""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
import tomllib
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import hashes, hmac  # noqa: E402

from kiosk.domain.policy import loader as policy_module  # noqa: E402
from kiosk.domain.voucher import Voucher, verify_payload  # noqa: E402
from kiosk.keys import TerminalKey  # noqa: E402
from kiosk.offline.sequence import SerialCounter  # noqa: E402


def per_call(fn, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def report(name: str, ours: float, baseline: float, unit: str = "ms") -> None:
    scale = 1000 if unit == "ms" else 1_000_000
    print(f"{name:<28} {ours * scale:9.3f} {unit}  baseline {baseline * scale:9.3f} {unit}  ratio {ours / baseline:6.2f}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        counter = SerialCounter(tmp)
        day = date(2026, 11, 23)
        counter.next("CS-01", "T01", day)
        ours = per_call(lambda: counter.next("CS-01", "T01", day), 200)
        conn = sqlite3.connect(Path(tmp) / "baseline.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE c (k INTEGER PRIMARY KEY, n INTEGER)")
        conn.execute("INSERT INTO c VALUES (1, 0)")

        def durable_increment():
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE c SET n = n + 1 WHERE k = 1")
            conn.execute("COMMIT")

        baseline = per_call(durable_increment, 200)
        conn.close()
        report("serial number", ours, baseline)

    key = TerminalKey(bytes(range(32)))
    policy = policy_module.load_policy("chongqing-changshou")
    voucher = Voucher.issue(
        serial="CS01-T01-20261123-0007", service="apply", issued_at=datetime(2026, 11, 23, 14, 5),
        holder_name="张三", id_number="11010519491231002X", outlet=policy.outlet("CS-01"), policy=policy,
    )
    payload = voucher.qr_payload(key)
    body = payload.rsplit("/", 1)[0].encode()

    def sha256_tag():
        mac = hmac.HMAC(key.voucher_mac_key, hashes.SHA256())
        mac.update(body)
        return mac.finalize()

    report("sign + verify payload", per_call(lambda: verify_payload(voucher.qr_payload(key), key), 2000), per_call(sha256_tag, 2000) * 2, "us")
    print(f"{'payload length':<28} {len(payload):9d} chars")

    path = policy_module.policy_path("chongqing-changshou")
    text = path.read_text(encoding="utf-8")
    report("load policy (uncached)", per_call(lambda: policy_module._load_cached.__wrapped__(path, 0, 0), 20), per_call(lambda: tomllib.loads(text), 20))


if __name__ == "__main__":
    main()
