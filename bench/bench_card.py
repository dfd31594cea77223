"""Social security card: what the driver costs over bare pyscard, and what TCP_QUICKACK saves.

The card simulator runs as its own process (python -m hwsim.card) behind the real pcscd and
vpcd, so the card's Python does not share the benchmark's GIL. Measured in the same run:

1. a full basic-data read (SELECT SSSE with GET RESPONSE, EF05, EF06: 18 APDUs on a 2.00
   card) through SocialSecurityCardReader.read_basic, against the very same APDUs sent
   with bare pyscard (connection.transmit in a loop) on an open connection, in alternating
   blocks: the ratio is what the driver's plumbing (worker thread for the timeout, T=0
   handling, decoding, checks) adds;
2. the same on a 3.00 card (plus GET CHALLENGE and EXTERNAL AUTHENTICATE, 20 APDUs);
3. one APDU round trip with the card setting TCP_QUICKACK before every receive, against
   the same card without it (Linux's delayed ACK then costs ~40 ms per APDU).

Run: bench/run card  (starts pcscd if needed and stops it again; BENCH_READS=N to change N)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "hardware-sim")]

from smartcard.System import readers as pcsc_readers  # noqa: E402

from hwsim.card.crypto import TEST_RKSSSE_KEY, external_auth_cryptogram  # noqa: E402
from hwsim.card.pcscd import Pcscd  # noqa: E402
from hwsim.card.psam import SimulatedPsam  # noqa: E402
from hwsim.control import Registration, send  # noqa: E402
from kiosk.drivers.card.reader import SocialSecurityCardReader  # noqa: E402

READS = int(os.environ.get("BENCH_READS", "100"))
BLOCK = 10
ROUND_TRIPS = int(os.environ.get("BENCH_ROUND_TRIPS", "200"))
SLOW_ROUND_TRIPS = 20  # ~45 ms each without QUICKACK
READER = "Virtual PCD 00 00"


def bare_read(connection, apdus: list[bytes]) -> None:
    """The driver's APDU sequence with bare pyscard: no checks beyond the status word."""
    for apdu in apdus:
        if apdu[:2] == b"\x00\x82":  # EXTERNAL AUTHENTICATE: a fresh cryptogram, as the driver does
            data, sw1, sw2 = connection.transmit(list(bytes.fromhex("0084000008")))
            apdu = apdu[:5] + external_auth_cryptogram(TEST_RKSSSE_KEY, bytes(data))
        elif apdu[:2] == b"\x00\x84":
            continue  # sent together with EXTERNAL AUTHENTICATE above
        data, sw1, sw2 = connection.transmit(list(apdu))
        if sw1 not in (0x90, 0x61):
            raise SystemExit(f"bare read: {apdu.hex()} answered {sw1:02X}{sw2:02X}")


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def median_seconds(fn, n: int) -> float:
    return statistics.median(timed(fn) for _ in range(n))


def insert(profile: str) -> None:
    send("card", "insert", profile=profile, slot=0)


def compare_reads(profile: str) -> tuple[float, float, int]:
    """Driver and bare reads alternate in blocks of BLOCK, so both see the same machine load
    (other work on a shared machine moves single measurements by 2x) while pcscd rarely has
    to switch between the two connections (a switch costs ~0.1 ms per APDU of its own)."""
    insert(profile)
    lines: list[str] = []
    reader = SocialSecurityCardReader(f"pcsc://?name={READER.replace(' ', '%20')}", authenticator=SimulatedPsam(), trace=lines.append)
    connection = next(r for r in pcsc_readers() if str(r) == READER).createConnection()
    try:
        done = reader.read_basic()  # connects; not timed
        if not done.ok:
            raise SystemExit(f"driver read failed: {done.code}: {done.reason}")
        apdus = [bytes.fromhex(line.split(" -> ")[0].replace("*", "0")) for line in lines]
        connection.connect()
        bare_read(connection, apdus)  # warm-up
        driver_times, bare_times = [], []
        for _ in range(READS // BLOCK):
            driver_times += [timed(reader.read_basic) for _ in range(BLOCK)]
            bare_times += [timed(lambda: bare_read(connection, apdus)) for _ in range(BLOCK)]
    finally:
        reader.close()
        connection.disconnect()
    return statistics.median(driver_times), statistics.median(bare_times), len(apdus)


def round_trip(quickack: bool, n: int) -> float:
    send("card", "set", slot=0, quickack=quickack)
    connection = next(r for r in pcsc_readers() if str(r) == READER).createConnection()
    connection.connect()
    select = list(bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF"))
    read = list(bytes.fromhex("00B2012812"))
    try:
        connection.transmit(select)
        connection.transmit(read)
        return median_seconds(lambda: connection.transmit(read), n)
    finally:
        connection.disconnect()


def main() -> None:
    pcscd = Pcscd()
    started_pcscd = pcscd.ensure_running()
    sim_dir = tempfile.mkdtemp(prefix="bench-card-")
    env = {**os.environ, "KIOSK_SIM_DIR": sim_dir}
    os.environ["KIOSK_SIM_DIR"] = sim_dir
    sim = subprocess.Popen([sys.executable, "-m", "hwsim.card", "--no-pcscd"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                Registration.read("card")
                break
            except LookupError:
                if time.monotonic() > deadline or sim.poll() is not None:
                    raise SystemExit("the card simulator did not start")
                time.sleep(0.05)
        print(f"card: {READS} reads per measurement, median; pcscd {'started for the bench' if started_pcscd else 'already running'}")
        for profile, label in (("gen2", "2.00 card"), ("gen3", "3.00 card")):
            driver, bare, count = compare_reads(profile)
            print(
                f"  full basic read, {label} ({count} APDUs): driver {driver * 1000:7.2f} ms, "
                f"bare pyscard {bare * 1000:7.2f} ms, ratio {driver / bare:5.2f}"
            )
        fast = round_trip(True, ROUND_TRIPS)
        slow = round_trip(False, SLOW_ROUND_TRIPS)
        print(
            f"  one APDU round trip: with TCP_QUICKACK {fast * 1000:6.3f} ms, without {slow * 1000:6.2f} ms, "
            f"ratio without/with {slow / fast:6.1f}"
        )
    finally:
        try:
            send("card", "shutdown")
            sim.wait(10)
        except Exception:
            sim.terminate()
            sim.wait(10)
        if started_pcscd:
            pcscd.stop()


if __name__ == "__main__":
    main()
