"""What staff do with the outbox: list it, see what needs them (dead and rejected items and
their alerts), put items back, purge, and read a stored voucher to print it again.

Nothing here returns personal data except `stored_voucher`, whose names were masked before
they were stored.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, Iterable

from kiosk.domain.voucher import Voucher
from kiosk.offline.item_states import NEEDS_STAFF, Event, ItemState, sql_set
from kiosk.offline.item_store import ItemStore
from kiosk.offline.items import OutboxItem, UnknownItem

_NEEDING_STAFF = f"state IN ({sql_set(NEEDS_STAFF)})"


@dataclass(frozen=True)
class Alert:
    id: int
    created_at: float
    item_id: int | None
    kind: str
    message: str
    resolved_at: float | None


@dataclass(frozen=True)
class OutboxStatus:
    counts: dict[str, int]
    oldest_pending_age_s: float | None
    needs_staff: tuple[int, ...]  # ids of dead and rejected items
    open_alerts: tuple[Alert, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "oldest_pending_age_s": self.oldest_pending_age_s,
            "needs_staff": list(self.needs_staff),
            "open_alerts": [dataclasses.asdict(a) for a in self.open_alerts],
        }


class StaffAdministration(ItemStore):
    # --- looking -----------------------------------------------------------------------

    def items(self, states: Iterable[ItemState | str] = (), limit: int = 1000) -> list[OutboxItem]:
        wanted = [str(ItemState(s)) for s in states] or [str(s) for s in ItemState]
        marks = ",".join("?" * len(wanted))
        return self._select(f"i.state IN ({marks})", [*wanted, limit], "ORDER BY i.priority DESC, i.id LIMIT ?")

    def alerts(self, open_only: bool = True) -> list[Alert]:
        where = "WHERE resolved_at IS NULL" if open_only else ""
        with self._lock:
            return [Alert(**r) for r in self.db.query(f"SELECT * FROM alerts {where} ORDER BY id")]

    def status(self) -> OutboxStatus:
        with self._lock:
            counts = {str(s): 0 for s in ItemState}
            counts.update(dict(self.db.execute("SELECT state, count(*) FROM outbox_items GROUP BY state").fetchall()))
            oldest = self.db.execute(
                "SELECT min(created_at) FROM outbox_items WHERE state = ?", [str(ItemState.PENDING)]
            ).fetchone()[0]
            staff = [r[0] for r in self.db.execute(f"SELECT id FROM outbox_items WHERE {_NEEDING_STAFF} ORDER BY id")]
            alerts = self.alerts()
        return OutboxStatus(
            counts=counts,
            oldest_pending_age_s=None if oldest is None else max(0.0, self.clock() - oldest),
            needs_staff=tuple(staff),
            open_alerts=tuple(alerts),
        )

    # --- acting ------------------------------------------------------------------------

    def retry(self, item_id: int) -> OutboxItem:
        """A dead or rejected item goes back to the queue with a fresh set of attempts."""
        with self._writing():
            now = self.clock()
            self._move(self.item(item_id), Event.RETRIED, attempts=0, next_attempt_at=now)
            self._resolve_alerts(item_id, now)
            return self.item(item_id)

    def due_now(self) -> int:
        """Every waiting item due at once, its backoff cut short ("send now"); how many."""
        with self._writing():
            return self.db.execute(
                "UPDATE outbox_items SET next_attempt_at = ? WHERE state = ? AND next_attempt_at > ?",
                [self.clock(), str(ItemState.PENDING), self.clock()],
            ).rowcount

    def prune_sent(self) -> int:
        """Sent items older than the retention period go, with what they held."""
        cutoff = self.clock() - self.settings.retention_days * 86400
        with self._writing():
            return self.db.execute(
                "DELETE FROM outbox_items WHERE state = ? AND sent_at < ?", [str(ItemState.SENT), cutoff]
            ).rowcount

    def purge_needing_staff(self) -> int:
        """Deletes dead and rejected items: their data is lost for good (the CLI asks first)."""
        with self._writing():
            self.db.execute(
                f"UPDATE alerts SET resolved_at = ? WHERE resolved_at IS NULL AND item_id IN"
                f" (SELECT id FROM outbox_items WHERE {_NEEDING_STAFF})",
                [self.clock()],
            )
            return self.db.execute(f"DELETE FROM outbox_items WHERE {_NEEDING_STAFF}").rowcount

    # --- the voucher, for a reprint ----------------------------------------------------

    def voucher(self, item_id: int) -> dict[str, Any] | None:
        """The voucher's record (`Voucher.to_record`) stored with the item, as staff may read it."""
        with self._lock:
            row = self.db.execute(
                "SELECT idempotency_key, kind, voucher FROM outbox_items WHERE id = ?", [item_id]
            ).fetchone()
        if row is None:
            raise UnknownItem(f"no outbox item {item_id}")
        key, kind, blob = row
        return None if blob is None else json.loads(self.cipher.open(blob, row=key, column="voucher", kind=kind))

    def stored_voucher(self, item_id: int) -> Voucher | None:
        """The item's voucher, rebuilt for reprinting; `uploaded` says what is true now."""
        record = self.voucher(item_id)
        if record is None:
            return None
        return Voucher.from_record(record, uploaded=self.item(item_id).state is ItemState.SENT)
