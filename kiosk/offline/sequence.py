"""Voucher serial numbers: unique per terminal, readable, and never reused after a restart.

The format (outlet, terminal, day, sequence) is domain vocabulary: kiosk.domain.serials.
This module is the counter behind the sequence number.

The counter lives in its own SQLite file in the data directory, in WAL mode with
synchronous=FULL: a number is on disk before it is handed out, so a power cut can leave a
gap but never a duplicate. The increment is one statement in one IMMEDIATE transaction, so
threads and processes sharing the file never receive the same number.
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import date
from pathlib import Path

from kiosk.config.clock import clock_problem
from kiosk.domain.serials import format_serial
from kiosk.offline.database import private_directory

FILENAME = "voucher-serials.sqlite3"

_SCHEMA = """CREATE TABLE IF NOT EXISTS serial_counters (
    outlet_id TEXT NOT NULL,
    terminal_id TEXT NOT NULL,
    day TEXT NOT NULL,
    series TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (outlet_id, terminal_id, day, series)
) STRICT"""

_INCREMENT = """INSERT INTO serial_counters (outlet_id, terminal_id, day, series, last)
VALUES (?, ?, ?, ?, 1)
ON CONFLICT (outlet_id, terminal_id, day, series) DO UPDATE SET last = last + 1
RETURNING last"""


class SerialError(Exception):
    """The counter cannot hand out a number (disk, permissions, a locked file); nothing was issued."""


def _use_wal(conn: sqlite3.Connection, patience_s: float) -> None:
    """Switch a new file to WAL. Two processes switching at once get SQLITE_BUSY at once
    (the busy timeout does not cover a journal-mode change), so wait and look again."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


class SerialCounter:
    """`next(...)` hands out the next serial; safe across threads, processes and restarts."""

    def __init__(self, data_dir: str | os.PathLike, *, busy_timeout_s: float = 10.0, not_before: date | None = None) -> None:
        self.path = Path(data_dir) / FILENAME
        self.busy_timeout_s = busy_timeout_s
        self.not_before = not_before  # the software's build day (kiosk.config.clock)

    def next(self, outlet_id: str, terminal_id: str, day: date, *, test: bool = False) -> str:
        format_serial(outlet_id, terminal_id, day, 1, test=test)  # refuse bad ids before touching the file
        if problem := clock_problem(day, self.not_before):
            raise SerialError(f"no voucher serial: {problem}")
        series = "test" if test else "resident"
        try:
            private_directory(self.path.parent)  # the data directory: 700, whoever makes it first
            # A fresh connection per number: nothing is shared between threads, and a
            # forked process never inherits an open handle.
            conn = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise SerialError(f"voucher serial counter {self.path} cannot be opened: {exc}") from None
        try:
            _use_wal(conn, self.busy_timeout_s)
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(_SCHEMA)
                (number,) = conn.execute(_INCREMENT, (outlet_id, terminal_id, day.isoformat(), series)).fetchone()
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise SerialError(f"voucher serial counter {self.path}: {exc}") from None
        finally:
            conn.close()
        return format_serial(outlet_id, terminal_id, day, number, test=test)
