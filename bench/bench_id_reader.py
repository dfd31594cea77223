"""One ID card read (find + select + read text and photo) against the simulated reader.

Measured twice in the same run: unpaced (the driver's own cost over a pty) and paced at
115200 baud as a real line would be. The paced median is compared with the time the
bytes need on the wire, as a ratio: 1.0 would mean the driver adds nothing to the line.
The simulator paces only what it sends (the pty does not slow the kiosk's 30 request
bytes), so the ratio against the replies' wire time is the meaningful one.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "hardware-sim")]

from hwsim import kiosk_hooks  # noqa: E402
from hwsim.id_reader import IdReaderSimulator  # noqa: E402
from hwsim.pty_device import wire_time  # noqa: E402
from kiosk.drivers.id_reader import IdCardReader  # noqa: E402
from kiosk.drivers.id_reader.frames import PREAMBLE, Command, FrameParser, Reply, Request  # noqa: E402

READS = int(os.environ.get("BENCH_READS", "25"))
BAUD = 115200
# bytes on the wire for one read: three 10-byte requests; replies 15 (find), 19 (select), 1295 (read)
REQUEST_BYTES = sum(len(Request.of(c).encode()) for c in (Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO))
REPLY_BYTES = 15 + 19 + 1295


def median_read_seconds(pace: bool) -> float:
    with IdReaderSimulator(person="resident", pace=pace) as sim:
        reader = IdCardReader(sim.url, resolve=kiosk_hooks.resolve)
        try:
            assert reader.read_card().ok  # opens the port; not timed
            times = []
            for _ in range(READS):
                started = time.perf_counter()
                done = reader.read_card()
                times.append(time.perf_counter() - started)
                if not done.ok:
                    raise SystemExit(f"read failed: {done.code}: {done.reason}")
        finally:
            reader.close()
    return statistics.median(times)


def hostile_noise(size: int) -> bytes:
    """Preambles each followed by a plausible length and junk: resynchronisation's worst case."""
    unit = PREAMBLE + b"\x09\x00" + bytes(range(11))
    return (unit * (size // len(unit) + 1))[:size]


def parse_seconds(data: bytes, piece: int = 4096) -> float:
    started = time.process_time()
    parser = FrameParser()
    for i in range(0, len(data), piece):
        parser.feed(data[i : i + piece])
    return time.process_time() - started


def resync_figures() -> None:
    """100 KB of hostile noise before and after a read, against 200 KB of valid frames (the
    baseline: what the parser must at least cost per byte), CPU time of this process."""
    frame = Reply(0x00, 0x00, 0x90, bytes(1286)).encode()
    clean = frame * (200_000 // len(frame))
    noisy = hostile_noise(100_000) + frame + hostile_noise(100_000)
    base = min(parse_seconds(clean) for _ in range(3))
    noise = min(parse_seconds(noisy) for _ in range(3))
    print(f"parse 200 KB of valid frames:     {base * 1000:7.1f} ms CPU  (baseline)")
    print(f"parse 100 KB noise+read+100 KB:   {noise * 1000:7.1f} ms CPU")
    print(f"ratio noise / valid, per byte:    {noise / len(noisy) / (base / len(clean)):7.3f}")


def main() -> None:
    resync_figures()
    os.environ["KIOSK_SIM_DIR"] = tempfile.mkdtemp(prefix="bench-id-reader-")
    replies = wire_time(REPLY_BYTES, BAUD)  # the simulator paces what it sends
    both = wire_time(REQUEST_BYTES + REPLY_BYTES, BAUD)  # a real line also carries the requests
    unpaced = median_read_seconds(pace=False)
    paced = median_read_seconds(pace=True)
    print(f"reads per run:                    {READS}")
    print(f"bytes per read:                   {REQUEST_BYTES} sent, {REPLY_BYTES} received")
    print(f"wire time of the replies:         {replies * 1000:7.1f} ms  (baseline: what the simulator paces)")
    print(f"wire time, both directions:       {both * 1000:7.1f} ms  (a real 115200 baud line)")
    print(f"median read, unpaced:             {unpaced * 1000:7.1f} ms  (driver + pty cost alone)")
    print(f"median read, paced:               {paced * 1000:7.1f} ms")
    print(f"ratio paced / reply wire time:    {paced / replies:7.3f}")
    print(f"ratio paced / full line time:     {paced / both:7.3f}")


if __name__ == "__main__":
    main()
