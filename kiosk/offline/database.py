"""The kiosk's SQLite database: durable settings, forward-only migrations, typed errors.

Power can fail at any instruction, so the file runs in WAL mode with synchronous=FULL (a
commit is on disk before it returns) and every table is STRICT. The schema only moves
forward: each migration runs in its own transaction together with its schema_version row,
a migration never drops a table or column that can hold unsent data, and a database written
by newer software is refused rather than guessed at.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import sqlite_utils

DB_FILENAME = "kiosk.sqlite3"
BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """Something the local store cannot do; the message is safe to log (no personal data)."""


class DatabaseTooNew(StoreError):
    pass


class StorageFull(StoreError):
    """The disk (or the database's size limit) is full; the transaction was rolled back whole."""


class StoreBusy(StoreError):
    pass


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


# Append only. Never edit a migration that has shipped; never DROP what can hold unsent data.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "outbox items, their attachments, staff alerts",
        (
            """CREATE TABLE outbox_items (
                id INTEGER PRIMARY KEY,
                idempotency_key TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL,
                priority INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('pending', 'in_flight', 'sent', 'dead', 'rejected')),
                payload BLOB NOT NULL,
                voucher BLOB,
                voucher_serial TEXT,
                created_at REAL NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL,
                lease_owner TEXT,
                lease_until REAL,
                last_error TEXT,
                centre_reference TEXT,
                sent_at REAL
            ) STRICT""",
            "CREATE INDEX outbox_items_due ON outbox_items (state, priority DESC, next_attempt_at)",
            "CREATE INDEX outbox_items_serial ON outbox_items (voucher_serial)",
            """CREATE TABLE outbox_attachments (
                id INTEGER PRIMARY KEY,
                item_id INTEGER NOT NULL REFERENCES outbox_items (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                data BLOB NOT NULL,
                UNIQUE (item_id, name)
            ) STRICT""",
            """CREATE TABLE alerts (
                id INTEGER PRIMARY KEY,
                created_at REAL NOT NULL,
                item_id INTEGER REFERENCES outbox_items (id) ON DELETE SET NULL,
                kind TEXT NOT NULL,
                message TEXT NOT NULL,
                resolved_at REAL
            ) STRICT""",
        ),
    ),
    Migration(
        2,
        "the last status-query answers, for showing while the centre is unreachable",
        (
            # person: a keyed hash of the ID number (kiosk.offline.status_cache); answer: sealed.
            """CREATE TABLE status_cache (
                person TEXT PRIMARY KEY,
                answer BLOB NOT NULL,
                fetched_at REAL NOT NULL
            ) STRICT""",
        ),
    ),
)

_DESTRUCTIVE = re.compile(r"\bDROP\s+(TABLE|COLUMN)\b|\bRENAME\s+(TO|COLUMN)\b", re.IGNORECASE)


def destructive_statements(migrations: tuple[Migration, ...] = MIGRATIONS) -> list[str]:
    """Statements that could lose queued data; the test suite keeps this list empty."""
    return [s for m in migrations for s in m.statements if _DESTRUCTIVE.search(s)]


def database_path(data_dir: str | os.PathLike) -> Path:
    return Path(data_dir) / DB_FILENAME


def open_database(
    data_dir: str | os.PathLike, migrations: tuple[Migration, ...] = MIGRATIONS
) -> sqlite_utils.Database:
    """Open (creating if needed) the kiosk database in `data_dir` and bring its schema up to date."""
    directory = Path(data_dir)
    private_directory(directory)
    path = database_path(directory)
    private_file(path)
    # isolation_level=None: no implicit transactions; every write below is an explicit one.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        with storage_errors():
            mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StoreError(f"{path}: the file system does not allow WAL mode (got {mode!r})")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            db = sqlite_utils.Database(conn, strict=True)
            migrate(db, migrations)
    except BaseException:
        conn.close()
        raise
    return db


def private_directory(directory: Path) -> None:
    """`directory` made if needed and, when this process owns it, mode 700: whoever made it
    first (an earlier `mkdir` under the default umask, a provisioning script), it ends private."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    _owner_only(directory, 0o700)


def private_file(path: Path) -> None:
    """The database file created mode 600 before SQLite opens it (its -wal and -shm files take
    the same mode), and tightened to 600 if an older version left it readable."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    _owner_only(path, 0o600)


def _owner_only(path: Path, mode: int) -> None:
    info = path.stat()
    if info.st_mode & 0o077 and info.st_uid == os.geteuid():
        os.chmod(path, mode)


def schema_version(db: sqlite_utils.Database) -> int:
    if not db["schema_version"].exists():
        return 0
    return db.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(db: sqlite_utils.Database, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Apply every migration newer than the database, one transaction each; returns the version."""
    known = max((m.version for m in migrations), default=0)
    if [m.version for m in migrations] != list(range(1, known + 1)):
        raise StoreError("migrations must be numbered 1, 2, 3, ... without gaps")
    with transaction(db):
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at REAL NOT NULL) STRICT"
        )
    for migration in migrations:
        with transaction(db):
            # Read inside the write transaction: two processes opening at once apply it once.
            current = schema_version(db)
            if current > known:
                raise DatabaseTooNew(
                    f"the database {db_file(db)} has schema version {current}, newer than this software "
                    f"knows ({known}): a newer kiosk version wrote it. Install that version again; "
                    "never downgrade a terminal that holds queued data."
                )
            if migration.version > current:
                for statement in migration.statements:
                    db.execute(statement)
                db["schema_version"].insert(
                    {"version": migration.version, "description": migration.description, "applied_at": time.time()}
                )
    return schema_version(db)


def db_file(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] if row else "(memory)"


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """BEGIN IMMEDIATE ... COMMIT: takes the write lock up front, so a busy database waits
    (busy_timeout) instead of failing half-way; any error rolls the whole thing back."""
    conn = db.conn
    with storage_errors():
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield db
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


@contextlib.contextmanager
def storage_errors() -> Iterator[None]:
    """Turns SQLite's disk-full and busy errors into typed StoreErrors a flow can act on."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if code == sqlite3.SQLITE_FULL:
            raise StorageFull(
                "the kiosk's disk is full: nothing was saved. Staff must free space before "
                "this terminal can accept requests."
            ) from exc
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            raise StoreBusy("the kiosk database stayed locked by another process; try again") from exc
        raise
