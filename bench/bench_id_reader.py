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
from kiosk.drivers.id_reader.frames import Command, Request  # noqa: E402

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


def main() -> None:
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
