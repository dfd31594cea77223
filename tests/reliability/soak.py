"""scripts/soak: hundreds of whole journeys of every service in one process, watching for leaks.

The kiosk runs for days without a restart, so a service that leaves a thread, a descriptor or
a few kilobytes behind each time is a slow failure. This plays every service's journey in
turn (apply for myself, cancel a loss report and report the card lost again, status by card,
change the PIN, reset a PIN, activate a new card, replace a damaged card) through the real
flows, outbox, centre client, voucher layouts and photo checks, on the in-process device
fakes (tests/reliability/terminal.py) with the centre simulator serving HTTP on loopback from
a process of its own (`kiosk sim centre`), so that what is measured is the kiosk alone.
Fakes rather than the device simulators: the card needs pcscd (one per machine, under a
lock), and the ID reader and printer simulators would sit in this process and be measured
with the kiosk; the device protocols have their own tests.

After every journey (and a gc.collect(), so what is measured is what is kept, not garbage
that has yet to be collected) it samples RSS, open file descriptors and threads, and prints
the growth from journey WARMUP to the last.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from tests.support.processes import start, stop

WARMUP = 50  # journeys before the baseline sample: caches, pools and lazy imports fill up first
RSS_BUDGET_MB = 5.0
PINS = ("385927", "749163")  # the gen3 card's PIN goes back and forth between these


@dataclass
class Sample:
    journey: int
    service: str
    rss_kb: int
    fds: int
    threads: int


@dataclass
class SoakReport:
    journeys: int
    warmup: int
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0
    grown: list[str] = field(default_factory=list)  # with tracing: where Python memory grew most

    def at(self, journey: int) -> Sample:
        return next(s for s in self.samples if s.journey == journey)

    @property
    def baseline(self) -> Sample:
        return self.at(min(self.warmup, self.journeys))

    @property
    def rss_growth_mb(self) -> float:
        return (self.samples[-1].rss_kb - self.baseline.rss_kb) / 1024

    @property
    def fd_growth(self) -> int:
        return self.samples[-1].fds - self.baseline.fds

    @property
    def thread_growth(self) -> int:
        return self.samples[-1].threads - self.baseline.threads

    @property
    def ok(self) -> bool:
        return self.rss_growth_mb <= RSS_BUDGET_MB and self.fd_growth <= 0 and self.thread_growth <= 0

    def to_dict(self) -> dict[str, Any]:
        base, last = self.baseline, self.samples[-1]
        return {"journeys": self.journeys, "from_journey": base.journey, "seconds": round(self.seconds, 1),
                "rss_mb": [round(base.rss_kb / 1024, 1), round(last.rss_kb / 1024, 1)],
                "rss_growth_mb": round(self.rss_growth_mb, 2), "fds": [base.fds, last.fds], "fd_growth": self.fd_growth,
                "threads": [base.threads, last.threads], "thread_growth": self.thread_growth,
                "rss_budget_mb": RSS_BUDGET_MB, "ok": self.ok}  # fmt: skip


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) - 1  # less the descriptor listdir itself holds


class Journeys:
    """Every service once per round, each leaving the centre and the cards ready for the next round."""

    def __init__(self, terminal, centre_db: Path) -> None:
        self.terminal = terminal
        self.centre_db = centre_db  # the centre simulator's SQLite file (it runs in a process of its own)
        self.pin = "123456"  # the gen3 chip's PIN now

    def round(self) -> list[tuple[str, Callable[[], None]]]:
        return [("apply", self.apply), ("loss_cancel", self.loss_cancel), ("loss_report", self.loss_report),
                ("status_query", self.status_query), ("pin_change", self.pin_change), ("pin_reset", self.pin_reset),
                ("activate", self.activate), ("replace", self.replace)]  # fmt: skip

    def _cards(self, card: str | None = None, id_card: str | None = None) -> None:
        from tests.flows.card_rig import with_cards

        with_cards(self.terminal, card, id_card)

    def apply(self) -> None:
        self.terminal.run("apply", self.terminal.apply_for_myself("resident"))

    def loss_cancel(self) -> None:
        from kiosk.flows.steps import CONFIRM, OK

        self._cards("reported-lost")
        self.terminal.run("loss_cancel", [("pin_pad", _pin("123456")), ("review", CONFIRM), ("done", OK)])

    def loss_report(self) -> None:
        from kiosk.flows import on_behalf
        from kiosk.flows.steps import CONFIRM, OK
        from tests.flows.card_rig import HOLDER_OF

        self._cards(id_card=HOLDER_OF["reported-lost"])
        self.terminal.run("loss_report", [("choose", on_behalf.OWN), ("review", CONFIRM), ("done", OK)])

    def status_query(self) -> None:
        from kiosk.flows import status_query
        from kiosk.flows.steps import OK

        self._cards("gen3")
        self.terminal.run("status_query", [("choose", status_query.BY_CARD), ("done", OK)])

    def pin_change(self) -> None:
        from kiosk.flows.steps import OK

        self._cards("gen3")
        new = PINS[1] if self.pin == PINS[0] else PINS[0]
        self.terminal.run("pin_change", [("pin_pad", _pin(self.pin)), ("pin_pad", _pin(new)), ("pin_pad", _pin(new)), ("done", OK)])
        self.pin = new

    def pin_reset(self) -> None:
        from kiosk.flows import on_behalf
        from kiosk.flows.steps import OK
        from tests.flows.card_rig import HOLDER_OF

        self._cards("pin-blocked", HOLDER_OF["pin-blocked"])
        self.terminal.run("pin_reset", [("choose", on_behalf.OWN), ("pin_pad", _pin("860417")), ("pin_pad", _pin("860417")), ("done", OK)])

    def activate(self) -> None:
        from hwsim.card.profile import load_profile
        from kiosk.flows.steps import OK
        from tests.flows.card_rig import HOLDER_OF

        self.terminal.card.chips.pop("not-activated", None)  # a new card from the factory, PIN 123456
        number = load_profile("not-activated").card_number
        with sqlite3.connect(self.centre_db, timeout=10) as db:  # the centre forgets the last round's activation
            db.execute("UPDATE cards SET status = 'not_activated' WHERE card_number = ?", [number])
        db.close()
        self._cards("not-activated", HOLDER_OF["not-activated"])
        script = [("pin_pad", _pin("123456")), ("notice", OK), ("pin_pad", _pin("246813")), ("pin_pad", _pin("246813")), ("done", OK)]
        self.terminal.run("activate", script)

    def replace(self) -> None:
        from kiosk.flows import replace_card
        from kiosk.flows.steps import CONFIRM, OK
        from tests.flows.journeys import PHONE, signature_png

        self._cards(id_card="holder-gen3")
        keep_bank = ("choose", lambda step: step.params["options"][0].code)
        script = [("choose", "self"), ("choose", replace_card.BY_DOCUMENT), ("choose", "reader"), ("choose", "damaged"),
                  ("choose", replace_card.NO_OLD), ("choose", "on_record"), keep_bank, ("choose", "on_site"),
                  ("keypad", PHONE), ("review", CONFIRM), ("sign", signature_png()), ("done", OK)]  # fmt: skip
        self.terminal.run("replace", script)


def _pin(digits: str) -> Callable[[Any], bytearray]:
    return lambda _step: bytearray(digits.encode("ascii"))  # as the pin pad answers: a buffer the flow wipes


def soak(journeys: int, warmup: int = WARMUP, progress: Callable[[str], None] = print, work: Path | None = None,
         plan_class: type[Journeys] = Journeys, trace: bool = False) -> SoakReport:  # fmt: skip
    """`trace`: tracemalloc from the start; `grown` lists the sources of the most growth after warm-up."""
    from tests.reliability.terminal import FakeTerminal

    report = SoakReport(journeys, warmup)
    if trace:
        tracemalloc.start(8)
    baseline: tracemalloc.Snapshot | None = None
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        work = work or Path(tmp)
        centre, url = start_centre(work)
        try:
            terminal = FakeTerminal(work / "data", url)
        except BaseException:
            stop(centre)
            raise
        try:
            plan = plan_class(terminal, work / "centre" / "centre.sqlite3")
            done = 0
            while done < journeys:
                for service, journey in plan.round():
                    if done == journeys:
                        break
                    journey()
                    done += 1
                    gc.collect()
                    report.samples.append(Sample(done, service, rss_kb(), open_fds(), threading.active_count()))
                    if trace and done == min(warmup, journeys):
                        baseline = tracemalloc.take_snapshot()
                    if done % 50 == 0 or done == journeys:
                        s = report.samples[-1]
                        progress(f"soak: {done}/{journeys} journeys  RSS {s.rss_kb / 1024:.1f} MB  fds {s.fds}  threads {s.threads}")
            if baseline is not None:
                stats = tracemalloc.take_snapshot().compare_to(baseline, "traceback")
                report.grown = [f"{st.size_diff / 1024:+.1f} KiB in {st.count_diff:+d} blocks at "
                                + " <- ".join(f"{f.filename.rsplit('/', 2)[-1]}:{f.lineno}" for f in st.traceback[:4])
                                for st in stats[:10]]  # fmt: skip
        finally:
            tracemalloc.stop()
            terminal.close()
            stop(centre)
    report.seconds = time.monotonic() - started
    return report


def start_centre(work: Path) -> tuple[subprocess.Popen, str]:
    """`kiosk sim centre` in a process of its own, so that what is measured is the kiosk alone."""
    repo = Path(__file__).resolve().parents[2]
    env = {"KIOSK_SIM_DIR": str(work / "sim"), "PYTHONPATH": os.pathsep.join([str(repo), str(repo / "hardware-sim")])}
    centre = start([sys.executable, "-m", "kiosk", "sim", "centre", "--port", "0", "--state-dir", str(work / "centre")],
                   env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=repo)  # fmt: skip
    line = centre.stdout.readline().decode()
    if "listening on " not in line:
        stop(centre)
        raise RuntimeError(f"the centre simulator did not start: {line!r}")
    return centre, line.split("listening on ", 1)[1].strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=500, help="journeys in all (default 500)")
    parser.add_argument("--warmup", type=int, default=WARMUP, help=f"the journey growth is measured from (default {WARMUP})")
    parser.add_argument("--json", action="store_true", help="the figures as JSON on stdout (progress goes to stderr)")
    parser.add_argument("--trace", action="store_true", help="tracemalloc: where Python memory grew after the warm-up (slower)")
    args = parser.parse_args(argv)
    if args.journeys < 1 or not 1 <= args.warmup <= args.journeys:
        parser.error("--journeys must be 1 or more and --warmup between 1 and --journeys")
    out = sys.stderr if args.json else sys.stdout
    report = soak(args.journeys, args.warmup, lambda text: print(text, file=out, flush=True), trace=args.trace)
    d = {**report.to_dict(), **({"grown": report.grown} if args.trace else {})}
    if args.json:
        print(json.dumps(d, indent=2))
    else:
        print(f"journeys {d['from_journey']}..{d['journeys']}: RSS {d['rss_mb'][0]} -> {d['rss_mb'][1]} MB "
              f"({d['rss_growth_mb']:+.2f} MB, budget {RSS_BUDGET_MB} MB), descriptors {d['fds'][0]} -> {d['fds'][1]}, "
              f"threads {d['threads'][0]} -> {d['threads'][1]}  ({d['seconds']} s)")  # fmt: skip
        for line in report.grown:
            print(f"  {line}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
