"""Receipt printer: how big a voucher is and how long it takes, native QR against image QR.

0. The voucher in each language (the test voucher: bank, pickup, not yet uploaded): its bytes
   and their wire time at 9600 baud, against the baseline of its bare text measured in the
   same run (the printed lines as GB18030 with a line feed each: no commands, no QR), the
   least any layout of the same words could send. The goal is 1 KB (issue 13 §5).
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
from hwsim.printer.model import PrinterModel  # noqa: E402
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


def bare_text_bytes(job: bytes) -> int:
    """The bytes of the job's printed lines alone, as the printer simulator reads them back."""
    jobs = []
    PrinterModel(sink=jobs.append).receive(job)
    return sum(len(line.encode("gb18030")) + 1 for line in jobs[0].lines)


def main() -> None:
    cfg = load_config()
    key = read_key_file(cfg.key_file)
    for language in ("zh", "en"):
        job = voucher_job(issue_test_voucher(cfg, language=language), key).job
        bare = bare_text_bytes(job)
        print(f"voucher ({language})      {len(job):6d} B  {wire_time(len(job), BAUD):5.2f} s at {BAUD} baud   "
              f"bare text {bare:6d} B  {wire_time(bare, BAUD):5.2f} s   ratio {len(job) / bare:5.2f}   goal <= 1024 B")
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
