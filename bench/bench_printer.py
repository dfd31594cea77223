"""Receipt printer: how big a voucher is and how long it takes, native QR against image QR.

1. Building the voucher's bytes (layout + python-escpos), native `GS ( k` QR against the
   raster-image fallback: bytes and milliseconds, as ratios to native.
2. Sending it to the simulator paced at 9600 baud (a real serial printer's speed), status
   checks before and after included, against the bare wire time of its bytes (10 bits per
   byte): the ratio is the driver's overhead.

Run: bench/run printer
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "hardware-sim")]
os.environ["KIOSK_SIM_DIR"] = tempfile.mkdtemp(prefix="bench-printer-sim-")
os.environ["KIOSK_DATA_DIR"] = tempfile.mkdtemp(prefix="bench-printer-data-")

from hwsim.printer import PrinterSimulator  # noqa: E402
from hwsim.pty_device import wire_time  # noqa: E402
from kiosk.config import PrinterSettings, load_config  # noqa: E402
from kiosk.drivers.printer import ReceiptPrinter  # noqa: E402
from kiosk.keys import read_key_file  # noqa: E402
from kiosk.printing.test_voucher import issue_test_voucher  # noqa: E402
from kiosk.printing.voucher_layout import voucher_job  # noqa: E402

BAUD = 9600
BUILD_RUNS = 30


def build_stats(voucher, key, native: bool) -> tuple[int, float]:
    settings = PrinterSettings(native_qr=native)
    times = []
    for _ in range(BUILD_RUNS):
        started = time.perf_counter()
        job = voucher_job(voucher, key, settings).job
        times.append(time.perf_counter() - started)
    return len(job), statistics.median(times) * 1000


def send_seconds(job: bytes) -> float:
    with PrinterSimulator(baud=BAUD) as sim:
        printer = ReceiptPrinter(f"serial://{sim.port}?baud={BAUD}", PrinterSettings())
        try:
            started = time.perf_counter()
            done = printer.print_job(job)
            elapsed = time.perf_counter() - started
        finally:
            printer.close()
    if not done.ok:
        raise SystemExit(f"print failed: {done.code}: {done.reason}")
    return elapsed


def main() -> None:
    cfg = load_config()
    key = read_key_file(cfg.key_file)
    voucher = issue_test_voucher(cfg)
    native_bytes, native_ms = build_stats(voucher, key, native=True)
    image_bytes, image_ms = build_stats(voucher, key, native=False)
    print(f"voucher bytes     native QR {native_bytes:6d} B   image QR {image_bytes:6d} B   ratio image/native {image_bytes / native_bytes:5.2f}")
    print(f"build time        native QR {native_ms:6.2f} ms  image QR {image_ms:6.2f} ms  ratio image/native {image_ms / native_ms:5.2f}  (median of {BUILD_RUNS})")
    for name, native in (("native QR", True), ("image QR", False)):
        job = voucher_job(voucher, key, PrinterSettings(native_qr=native)).job
        wire = wire_time(len(job), BAUD)
        sent = send_seconds(job)
        print(f"send at {BAUD} baud  {name:<9} {sent:6.2f} s   wire time {wire:6.2f} s   ratio send/wire {sent / wire:5.2f}")


if __name__ == "__main__":
    main()
