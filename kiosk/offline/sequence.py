"""Voucher serial numbers: unique per terminal, readable, and never reused after a restart.

Format (documented for the window staff who read it aloud):

    CS01-T01-20261123-0007          outlet CS-01, terminal T01, 23 Nov 2026, 7th voucher that day
    TEST-CS01-T01-20261123-0002     a technician's test voucher: its own sequence, never a resident's

- outlet: the policy's outlet id without its '-' (ids are letters then digits, so this is
  reversible: CS01 is CS-01);
- terminal: the configured terminal id, 1-8 capital letters or digits;
- the day the voucher was issued (the terminal's local date);
- the sequence: 4 digits, more after 9999; it starts again at 1 each day for each outlet
  and terminal, separately for test vouchers.

Only capital letters, digits and '-' are used, so the serial fits the QR code's compact
alphanumeric mode, and every serial has exactly one spelling (parse_serial refuses others).

The counter lives in its own SQLite file in the data directory, in WAL mode with
synchronous=FULL: a number is on disk before it is handed out, so a power cut can leave a
gap but never a duplicate. The increment is one statement in one IMMEDIATE transaction, so
threads and processes sharing the file never receive the same number.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

FILENAME = "voucher-serials.sqlite3"
TEST_PREFIX = "TEST-"
OUTLET_ID = re.compile(r"(?P<letters>[A-Z]{2,4})-(?P<digits>[0-9]{2,4})")
TERMINAL_ID = re.compile(r"[A-Z0-9]{1,8}")
SERIAL = re.compile(
    r"(?P<test>TEST-)?(?P<letters>[A-Z]{2,4})(?P<digits>[0-9]{2,4})-(?P<terminal>[A-Z0-9]{1,8})"
    r"-(?P<day>[0-9]{8})-(?P<number>[0-9]{4,})"
)

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


@dataclass(frozen=True)
class SerialParts:
    outlet_id: str
    terminal_id: str
    day: date
    number: int
    test: bool


def format_serial(outlet_id: str, terminal_id: str, day: date, number: int, *, test: bool = False) -> str:
    outlet = OUTLET_ID.fullmatch(outlet_id)
    if not outlet:
        raise ValueError(f"outlet id {outlet_id!r} must be letters, '-', digits (such as CS-01)")
    if not TERMINAL_ID.fullmatch(terminal_id):
        raise ValueError(f"terminal id {terminal_id!r} must be 1 to 8 capital letters or digits")
    if number < 1:
        raise ValueError("serial numbers start at 1")
    prefix = TEST_PREFIX if test else ""
    return f"{prefix}{outlet['letters']}{outlet['digits']}-{terminal_id}-{day:%Y%m%d}-{number:04d}"


def parse_serial(serial: str) -> SerialParts:
    match = SERIAL.fullmatch(serial)
    if not match:
        raise ValueError("not a voucher serial (such as CS01-T01-20261123-0007)")
    try:
        day = date(int(match["day"][:4]), int(match["day"][4:6]), int(match["day"][6:]))
    except ValueError:
        raise ValueError("the serial's date is not a real date") from None
    number = int(match["number"])
    if number < 1 or (len(match["number"]) > 4 and match["number"].startswith("0")):
        raise ValueError("the serial's sequence number is not written the canonical way")
    return SerialParts(f"{match['letters']}-{match['digits']}", match["terminal"], day, number, bool(match["test"]))


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

    def __init__(self, data_dir: str | os.PathLike, *, busy_timeout_s: float = 10.0) -> None:
        self.path = Path(data_dir) / FILENAME
        self.busy_timeout_s = busy_timeout_s

    def next(self, outlet_id: str, terminal_id: str, day: date, *, test: bool = False) -> str:
        format_serial(outlet_id, terminal_id, day, 1, test=test)  # refuse bad ids before touching the file
        series = "test" if test else "resident"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
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
