"""How deep the outbox is, counted by SQLite on its own read-only connection.

The exporter and the heartbeat read this at every scrape, beside the flows and the sync worker
writing: a second connection in WAL mode reads the last committed state without waiting for
them or holding their lock, and, having no terminal key, cannot open a sealed field. Every
number comes from SQL (the state index answers most of it), never from items loaded into
Python, so 10,000 waiting items cost a scrape about what ten do (bench/bench_metrics.py).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from kiosk.offline.database import BUSY_TIMEOUT_MS, database_path
from kiosk.offline.item_states import DUE_AT, NEEDS_STAFF, ItemState, sql_set
from kiosk.offline.items import PRIORITY, Kind

log = logging.getLogger(__name__)

WAITING = tuple(DUE_AT)  # pending and in flight: not yet confirmed, not yet given to staff

# One pass over the state index counts each state and finds its first item (the index holds
# the rowid): the oldest waiting item is the first kept of them, since ids grow with time.
_BY_STATE = "SELECT state, count(*), min(id) FROM outbox_items GROUP BY state"
_CREATED_AT = "SELECT created_at FROM outbox_items WHERE id = ?"
_NEEDING_STAFF_BY_KIND = f"SELECT kind, count(*) FROM outbox_items WHERE state IN ({sql_set(NEEDS_STAFF)}) GROUP BY kind"
# Staff calls share the most urgent priority band with loss reports: the index narrows the
# waiting items to that band (a handful, however long an outage), and only those rows are read.
_STAFF_CALLS_WAITING = (
    f"SELECT count(*) FROM outbox_items WHERE state IN ({sql_set(WAITING)})"
    f" AND priority = {PRIORITY[Kind.STAFF_CALL]} AND kind = '{Kind.STAFF_CALL.value}'"
)
_OPEN_ALERTS = "SELECT count(*) FROM alerts WHERE resolved_at IS NULL"


@dataclass(frozen=True)
class OutboxDepth:
    readable: bool  # False: no database yet, or it cannot be read (the reason is logged)
    items: Mapping[ItemState, int] = field(default_factory=dict)
    oldest_waiting_created_at: float | None = None
    needing_staff_by_kind: Mapping[str, int] = field(default_factory=dict)
    staff_calls_waiting: int = 0
    open_alerts: int = 0

    def oldest_waiting_age_s(self, now: float) -> float | None:
        return None if self.oldest_waiting_created_at is None else max(0.0, now - self.oldest_waiting_created_at)


class OutboxDepthReader:
    """Counts the outbox in `data_dir`; thread-safe (one connection, one lock)."""

    def __init__(self, data_dir: str | Path) -> None:
        self.path = database_path(data_dir)
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute("PRAGMA query_only=ON")
            self._conn = conn
        return self._conn

    def read(self) -> OutboxDepth:
        """The outbox now; `readable=False` when there is no database (yet) or it fails to read."""
        if not self.path.exists():
            return OutboxDepth(readable=False)
        with self._lock:
            try:
                conn = self._connection()
                counts, first = {s: 0 for s in ItemState}, {}
                for state, n, first_id in conn.execute(_BY_STATE):
                    counts[ItemState(state)], first[ItemState(state)] = n, first_id
                waiting = [first[s] for s in WAITING if s in first]
                oldest = conn.execute(_CREATED_AT, [min(waiting)]).fetchone() if waiting else None
                by_kind = dict(conn.execute(_NEEDING_STAFF_BY_KIND).fetchall())
                calls = conn.execute(_STAFF_CALLS_WAITING).fetchone()[0]
                alerts = conn.execute(_OPEN_ALERTS).fetchone()[0]
            except sqlite3.Error as exc:
                log.warning("the outbox in %s cannot be counted: %s", self.path.parent, exc)
                self.close_connection()
                return OutboxDepth(readable=False)
        return OutboxDepth(True, counts, None if oldest is None else oldest[0], by_kind, calls, alerts)

    def close_connection(self) -> None:
        """Drops the connection (after a read error; the next read opens a new one)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        with self._lock:
            self.close_connection()
