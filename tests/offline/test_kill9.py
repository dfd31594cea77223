"""Power can fail at any instruction: SIGKILL a writer at random points, many times over."""

from __future__ import annotations

import os
import random
import select
import signal
import time

from kiosk.offline.database import open_database
from kiosk.offline.outbox import Attachment, Kind, Outbox
from tests.offline import people

ITERATIONS = 30


def _writer(data_dir, key, iteration: int, report_fd: int) -> None:
    """Runs in the forked child: enqueue until killed, reporting each key once enqueue returned."""
    outbox = Outbox.open(data_dir, key)
    for n in range(10_000):
        item_key = f"run{iteration:02d}-item{n:05d}"
        outbox.enqueue(
            Kind.APPLICATION, people.application(), idempotency_key=item_key,
            attachments=[Attachment("photo", os.urandom(8_000))], voucher=people.voucher(),
        )  # fmt: skip
        os.write(report_fd, item_key.encode() + b"\n")


def _run_and_kill(data_dir, key, iteration: int, rng: random.Random) -> list[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        try:
            os.close(read_fd)
            _writer(data_dir, key, iteration, write_fd)
        finally:
            os._exit(0)
    os.close(write_fd)
    wanted, seen = rng.randint(0, 4), b""
    while seen.count(b"\n") < wanted and select.select([read_fd], [], [], 10)[0]:
        chunk = os.read(read_fd, 4096)
        if not chunk:
            raise AssertionError("the writer died by itself")
        seen += chunk
    time.sleep(rng.uniform(0, 0.004))  # land somewhere inside the next enqueue, or between two
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 4096):
        seen += chunk
    os.close(read_fd)
    return seen.decode().split()


def test_sigkilled_writer_never_loses_a_returned_enqueue_nor_corrupts_the_file(tmp_path, terminal_key):
    data_dir = tmp_path / "data"
    open_database(data_dir).close()  # the schema exists before the first kill
    rng = random.Random(20261123)
    returned: list[str] = []
    for iteration in range(ITERATIONS):
        returned += _run_and_kill(data_dir, terminal_key, iteration, rng)

        db = open_database(data_dir)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"corrupt after kill {iteration}"
        keys = [r[0] for r in db.execute("SELECT idempotency_key FROM outbox_items")]
        assert len(keys) == len(set(keys))
        missing = set(returned) - set(keys)
        assert not missing, f"kill {iteration}: enqueues that returned are gone: {sorted(missing)[:3]}"
        orphans = db.execute(
            "SELECT count(*) FROM outbox_items i WHERE (SELECT count(*) FROM outbox_attachments a WHERE a.item_id = i.id) != 1"
        ).fetchone()[0]
        assert orphans == 0, "an item without its photo: an enqueue was half-written"
        db.close()
    assert len(returned) >= ITERATIONS  # the writer did get work done between kills

    with Outbox.open(data_dir, terminal_key) as outbox:  # and everything still opens
        for item in outbox.items(limit=100_000):
            assert outbox.voucher(item.id)["serial"] == people.voucher().serial
