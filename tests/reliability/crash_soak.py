"""scripts/crash-soak: SIGKILL a kiosk again and again across submit and sync, then count.

The soak (this process) runs the centre simulator; it keeps running across every kill and
counts, per idempotency key, how many times it processed a request (CountingStore). A
"zygote" process imports the kiosk once and forks one worker at a time: a real kiosk process
(its own outbox on disk, its own HTTP client) that runs, again and again, an application
(the apply flow), a loss report of a card the centre has just put on record, and a sync
round. The soak SIGKILLs the worker, by its PID, after a random delay, and the zygote starts
the next one on the same data directory. After every kill the outbox file must pass
`PRAGMA integrity_check` and must still hold every item any earlier look saw.

At the end a drain sends what is left (a clock a day ahead, so every lease of a killed
worker has run out) and the figures are:
  lost        an item the kiosk committed (reported by the worker, or seen in the file) that
              the file no longer holds, or that the centre never processed
  duplicated  a key the centre processed twice, two items with one idempotency key or one
              voucher serial, two applications at the centre with one voucher serial
  integrity   every integrity_check ok, every stored voucher verifies with the terminal key,
              nothing at the centre that the kiosk never committed, no item left unsent
The devices are the in-process fakes (tests/reliability/terminal.py): what a kill can break
is the outbox and the delivery, not a serial line.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import itertools
import json
import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

REPO = Path(__file__).resolve().parents[2]
CARD_HOLDER = "holder-gen3"  # tests/support/card_holders.json: the holder of the gen3 profile card
READY_TIMEOUT_S = 60.0
# The centre's pause before it answers, one drawn per worker: a slow centre holds items in
# flight (sent, not yet acknowledged) for longer, so more kills land there.
SLOW_CENTRE_S = (0.0, 0.0, 0.05, 0.3)


# --- the worker: one kiosk process, forked by the zygote --------------------------------------


def _say(*words: Any) -> None:
    os.write(1, (" ".join(str(w) for w in (os.getpid(), *words)) + "\n").encode())


class _CommitReporter:
    """Tells the soak each outbox item id as soon as keep() has committed it (its log line)."""

    def __init__(self) -> None:
        import logging

        class Handler(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                if "stored as outbox item" in record.msg:
                    _say("committed", record.args[1])

        logger = logging.getLogger("kiosk.flows.record")
        logger.setLevel(logging.INFO)
        logger.addHandler(Handler())


def _worker(data_dir: Path, centre_url: str, seed: int) -> None:
    from hwsim.control import send
    from hwsim.card.profile import load_profile
    from kiosk.flows import on_behalf
    from kiosk.flows.steps import CONFIRM, OK
    from tests.reliability.terminal import FakeTerminal

    _CommitReporter()
    holder_number = load_profile("gen3").social_security_number
    terminal = FakeTerminal(data_dir, centre_url)
    _say("ready")
    for cycle in itertools.count():  # until the soak kills this process
        _say("phase", "sync")
        terminal.services.sync.sync_once()
        _say("phase", "apply")
        terminal.run("apply", terminal.apply_for_myself())
        card = f"K{seed % 100_000:05d}{cycle % 1000:03d}"  # a new card on record: 9 of [0-9A-Z]
        if not send("centre", "add_card", card_number=card, id_number=holder_number)["added"]:
            raise RuntimeError(f"card {card} was on record already")
        terminal.place(CARD_HOLDER)
        _say("phase", "loss")
        terminal.run("loss_report", [("choose", on_behalf.OWN), *_which_card(terminal, holder_number, card),
                                     ("review", CONFIRM), ("done", OK)])  # fmt: skip


def _which_card(terminal, holder_number: str, card: str) -> list[tuple[str, str]]:
    """The resident picks `card` when the centre lists more than one card that can be reported."""
    from kiosk.flows.centre_calls import cards_in
    from kiosk.flows.loss_report import REPORTABLE

    listed = cards_in(terminal.services.centre.cards_of(holder_number))
    return [("choose", card)] if sum(c.status in REPORTABLE for c in listed) > 1 else []


def _zygote(data_dir: Path, centre_url: str) -> None:
    """Imports once, then forks a worker per `start SEED` line; says `exit PID STATUS` for each."""
    import tests.reliability.terminal  # noqa: F401  (the expensive imports, done before any fork)

    _say("zygote")
    for line in sys.stdin:
        seed = int(line.split()[1])
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                _worker(data_dir, centre_url, seed)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 3
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        _say("exit", pid, status)


# --- the soak: centre, kills, checks ---------------------------------------------------------


@dataclass
class Figures:
    kills: int = 0
    commits_reported: int = 0
    items: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    phases: collections.Counter = field(default_factory=collections.Counter)
    centre_processed: int = 0
    centre_repeats: int = 0  # requests answered from the idempotency table: the at-least-once at work
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.integrity)

    def to_dict(self) -> dict[str, Any]:
        return {"kills": self.kills, "commits_reported": self.commits_reported, "items": self.items,
                "lost": len(self.lost), "duplicated": len(self.duplicated), "integrity": "ok" if not self.integrity else "failed",
                "problems": (self.lost + self.duplicated + self.integrity)[:20], "kill_points": dict(self.phases),
                "centre_processed": self.centre_processed, "centre_repeats": self.centre_repeats,
                "seconds": round(self.seconds, 1), "ok": self.ok}  # fmt: skip


def counting_store(state_dir: Path):
    """The centre's store, counting what it processed per idempotency key (and what it repeated)."""
    from hwsim.centre.store import CentreStore, SimClock

    class CountingStore(CentreStore):
        def __init__(self) -> None:
            super().__init__(state_dir, SimClock(60.0))
            self.processed: collections.Counter[str] = collections.Counter()
            self.repeats = 0

        def idempotent(self, key: str, fingerprint: str, operation: Callable) -> Any:
            ran = False

            def counted() -> Any:
                nonlocal ran
                ran = True
                return operation()

            status, body = super().idempotent(key, fingerprint, counted)
            if ran and status < 500:
                self.processed[key.split("/", 1)[-1]] += 1  # the centre scopes keys as "<terminal>/<key>"
            elif not ran:
                self.repeats += 1
            return status, body

    return CountingStore()


class Zygote:
    def __init__(self, work: Path, data_dir: Path, centre_url: str) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "hardware-sim")]),
               "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}  # fmt: skip
        self.log = work / "workers.log"
        self.stderr = self.log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.crash_soak", "--zygote", str(data_dir), centre_url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, cwd=REPO, env=env, start_new_session=True,
        )  # fmt: skip
        self._buffer = b""
        self.lines(lambda words: words[1] == "zygote", READY_TIMEOUT_S)

    def lines(self, until: Callable[[list[str]], bool], timeout: float) -> list[list[str]]:
        """Lines from the zygote and its workers, up to the one `until` accepts, or `timeout`."""
        seen, deadline = [], time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while True:
            while b"\n" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\n", 1)
                words = raw.decode().split()
                seen.append(words)
                if until(words):
                    return seen
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return seen
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError("the zygote ended; workers' log:\n{zygote.log_tail()}")
            self._buffer += chunk

    def log_tail(self) -> str:
        self.stderr.flush()
        return self.log.read_text(errors="replace")[-4000:]

    def start(self, seed: int) -> None:
        self.proc.stdin.write(f"start {seed}\n".encode())
        self.proc.stdin.flush()

    def close(self) -> None:
        self.proc.stdin.close()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.stderr.close()


def _look(db_path: Path) -> tuple[str, set[str]]:
    """integrity_check and the idempotency keys in the outbox file, as a fresh reader sees them."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        keys = {row[0] for row in db.execute("SELECT idempotency_key FROM outbox_items")}
        return check, keys
    finally:
        db.close()


def soak(kills: int, seed: int = 1, window_s: float = 1.0, progress: Callable[[str], None] = print,
         work: Path | None = None) -> Figures:  # fmt: skip
    """Run `kills` kill-and-restart rounds and the final checks; `window_s` bounds the random delay."""
    from hwsim.centre.server import NAME as CENTRE, CentreSimulator
    from hwsim.control import ControlServer

    rng = random.Random(seed)
    figures = Figures()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="crash-soak-") as tmp:
        work = work or Path(tmp)
        previous_sim_dir = os.environ.get("KIOSK_SIM_DIR")
        os.environ["KIOSK_SIM_DIR"] = str(work / "sim")  # where the worker finds the centre's control socket
        data_dir = work / "data"
        store = counting_store(work / "centre")
        store.seed_from_profiles()
        centre = CentreSimulator(store)
        centre.up()
        control = ControlServer(CENTRE, centre.url, centre.commands()).start()
        zygote = Zygote(work, data_dir, centre.url)
        committed: dict[str, set[str]] = {"ids": set(), "keys": set()}
        try:
            for kill in range(kills):
                _kill_one(zygote, centre, rng, window_s, kill, seed, figures, committed)
                if data_dir.joinpath("kiosk.sqlite3").exists():
                    check, keys = _look(data_dir / "kiosk.sqlite3")
                    if check != "ok":
                        figures.integrity.append(f"kill {kill}: integrity_check says {check}")
                    gone = committed["keys"] - keys
                    figures.lost += [f"kill {kill}: {k} was in the outbox and is gone" for k in sorted(gone)]
                    committed["keys"] |= keys
                if (kill + 1) % max(1, kills // 20) == 0 or kill + 1 == kills:
                    progress(f"crash-soak: {kill + 1}/{kills} kills, {len(committed['keys'])} items committed, "
                             f"{sum(store.processed.values())} processed by the centre, "
                             f"{len(figures.lost)} lost, {len(figures.integrity)} integrity problems, "
                             f"{time.monotonic() - started:.0f} s")  # fmt: skip
        finally:
            zygote.close()
        try:
            drain_and_check(data_dir, centre.url, store, committed, figures)
        finally:
            control.stop()
            centre.down()
            store.close()
            if previous_sim_dir is None:
                os.environ.pop("KIOSK_SIM_DIR", None)
            else:
                os.environ["KIOSK_SIM_DIR"] = previous_sim_dir
    figures.seconds = time.monotonic() - started
    return figures


def _kill_one(zygote: Zygote, centre, rng: random.Random, window_s: float, kill: int, seed: int, figures: Figures,
              committed: dict[str, set[str]]) -> None:  # fmt: skip
    centre.switches.slow_s = rng.choice(SLOW_CENTRE_S)
    zygote.start(seed * 100_000 + kill)
    lines = zygote.lines(lambda w: w[1] in ("ready", "exit"), READY_TIMEOUT_S)
    if not lines or lines[-1][1] != "ready":
        raise RuntimeError(f"kill {kill}: the worker did not start: {lines[-3:]}; workers' log:\n{zygote.log_tail()}")
    pid = int(lines[-1][0])
    lines += zygote.lines(lambda w: w[1] == "exit", rng.uniform(0.0, window_s))
    if lines[-1][1] == "exit":
        raise RuntimeError(f"kill {kill}: the worker ended by itself: {lines[-5:]}; workers' log:\n{zygote.log_tail()}")
    os.kill(pid, signal.SIGKILL)  # by its PID: the power cut, as far as the kiosk can tell
    figures.phases[_kill_point(lines)] += 1
    lines += zygote.lines(lambda w: w[1] == "exit", 30.0)
    if lines[-1][1] != "exit" or int(lines[-1][3]) != signal.SIGKILL:
        raise RuntimeError(f"kill {kill}: no clean SIGKILL exit: {lines[-3:]}")
    figures.kills += 1
    commits = [w[2] for w in lines if w[1] == "committed"]
    committed["ids"].update(commits)
    figures.commits_reported += len(commits)



def _kill_point(lines: list[list[str]]) -> str:
    """Where the worker was when it was killed: its last phase, and whether it had just committed."""
    phases = [w[2] for w in lines if w[1] == "phase"]
    where = phases[-1] if phases else "start-up"
    return f"{where}, after its commit" if lines[-1][1] == "committed" else where


def drain_and_check(data_dir: Path, centre_url: str, store, committed: dict[str, set[str]], figures: Figures) -> None:
    from kiosk.centre.connect import centre_client
    from kiosk.config import load_config
    from kiosk.domain.voucher import verify_payload
    from kiosk.keys import read_key_file
    from kiosk.offline.outbox import ItemState, Outbox
    from kiosk.offline.sync import SyncWorker

    config = load_config()
    key = read_key_file(config.key_file)
    a_day_later = lambda: time.time() + 86_400  # noqa: E731  (every killed worker's lease has run out)
    outbox = Outbox.open(data_dir, key, config.outbox, clock=a_day_later)
    try:
        worker = SyncWorker(outbox, centre_client(dataclasses.replace(config, centre_url=centre_url)), clock=a_day_later)
        while worker.sync_once().attempted:
            pass
        items = outbox.items(limit=10_000_000)
        figures.items = len(items)
        ids = {str(i.id) for i in items}
        keys = collections.Counter(i.idempotency_key for i in items)
        figures.lost += [f"item {i} was committed and is gone" for i in sorted(committed["ids"] - ids)]
        figures.lost += [f"{k} was in the outbox and is gone" for k in sorted(committed["keys"] - set(keys))]
        figures.lost += [f"item {i.id} ({i.kind}) ended {i.state}" for i in items if i.state is not ItemState.SENT]
        figures.lost += [f"item {i.id} ({i.kind}): the centre never processed it" for i in items if store.processed[i.idempotency_key] == 0]
        figures.duplicated += [f"{k}: processed {n} times by the centre" for k, n in store.processed.items() if n > 1]
        figures.duplicated += [f"{k}: {n} outbox items" for k, n in keys.items() if n > 1]
        serials = collections.Counter()
        for item in items:
            voucher = outbox.stored_voucher(item.id)
            if voucher is None:
                continue
            serials[voucher.serial] += 1
            try:
                if verify_payload(voucher.qr_payload(key), key)["serial"] != voucher.serial:
                    figures.integrity.append(f"item {item.id}: its voucher names another serial")
            except Exception as exc:  # VoucherForged or a broken record: either way it does not verify
                figures.integrity.append(f"item {item.id}: voucher does not verify ({type(exc).__name__})")
        figures.duplicated += [f"voucher serial {s} on {n} items" for s, n in serials.items() if n > 1]
        at_centre = collections.Counter(a["voucher_serial"] for a in store.applications())
        figures.duplicated += [f"{n} applications at the centre for voucher {s}" for s, n in at_centre.items() if n > 1]
        figures.integrity += [f"the centre processed {k}, which the kiosk never committed" for k in sorted(set(store.processed) - set(keys))]
        check = outbox.db.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            figures.integrity.append(f"after the drain integrity_check says {check}")
    finally:
        outbox.close()
    figures.centre_processed = sum(store.processed.values())
    figures.centre_repeats = store.repeats


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--zygote"]:
        _zygote(Path(argv[1]), argv[2])
        return 0
    parser = argparse.ArgumentParser(prog="scripts/crash-soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=1000, help="kill-and-restart rounds (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="the random delays' seed (a run repeats with it)")
    parser.add_argument("--window", type=float, default=1.0, help="each delay is uniform in [0, WINDOW] seconds after start-up")
    parser.add_argument("--json", action="store_true", help="the figures as JSON on stdout (progress goes to stderr)")
    args = parser.parse_args(argv)
    if args.kills < 1 or not 0 < args.window < 600:
        parser.error("--kills must be 1 or more and --window between 0 and 600 seconds")
    progress = (lambda text: print(text, file=sys.stderr, flush=True)) if args.json else (lambda text: print(text, flush=True))
    figures = soak(args.kills, args.seed, args.window, progress)
    if args.json:
        print(json.dumps(figures.to_dict(), indent=2))
    else:
        d = figures.to_dict()
        print(f"kills {d['kills']}  items committed {d['items']}  lost {d['lost']}  duplicated {d['duplicated']}  "
              f"integrity {d['integrity']}  ({d['seconds']} s)")  # fmt: skip
        print(f"kill points: {d['kill_points']}")
        print(f"centre: {d['centre_processed']} processed, {d['centre_repeats']} repeats answered from its idempotency table")
        for problem in d["problems"]:
            print(f"  PROBLEM {problem}")
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
