"""The outbox's table underneath the queue and the staff's tools: one lock, one cipher, one
place that writes an item's state, and the staff alerts an item raises.

`ItemStore` is the base the queue (kiosk.offline.queue) and the staff administration
(kiosk.offline.staff) share; `kiosk.offline.outbox.Outbox` is both.
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import threading
import time
from typing import Any, Callable, Iterator, Self

import sqlite_utils

from kiosk.config import OutboxSettings
from kiosk.offline.crypto import FieldCipher
from kiosk.offline.database import transaction
from kiosk.offline.item_states import NEEDS_STAFF, Event, ItemState, WrongState, transition
from kiosk.offline.items import ITEM_COLUMNS, OutboxItem, UnknownItem, item_from_row

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class ItemStore:
    """Thread-safe: the kiosk's flows and the sync worker's thread share one instance."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        cipher: FieldCipher,
        settings: OutboxSettings = OutboxSettings(),
        *,
        clock: Clock = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self.db = db
        self.cipher = cipher
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Everything inside commits together, durably, or not at all (a savepoint when the
        caller's own transaction is open)."""
        with self._lock:
            if self.db.conn.in_transaction:
                with self.db.atomic():
                    yield
            else:
                with transaction(self.db):
                    yield

    # --- reading items -----------------------------------------------------------------

    def item(self, item_id: int) -> OutboxItem:
        item = self._find(item_id)
        if item is None:
            raise UnknownItem(f"no outbox item {item_id}")
        return item

    def _find(self, item_id: int) -> OutboxItem | None:
        found = self._select("i.id = ?", [item_id])
        return found[0] if found else None

    def _select(self, where: str, params: Any, tail: str = "") -> list[OutboxItem]:
        """The items `where` picks from `outbox_items i`, then `tail` (ORDER BY, LIMIT)."""
        return [item_from_row(row) for row in self._rows(where, params, tail)]

    def _rows(self, where: str, params: Any, tail: str = "", sealed: str = "") -> list[dict[str, Any]]:
        """Rows with the item columns and the `sealed` ones (say ", i.payload") still sealed."""
        with self._lock:
            return list(self.db.query(f"SELECT {ITEM_COLUMNS}{sealed} FROM outbox_items i WHERE {where} {tail}", params))

    def _open_payload(self, idempotency_key: str, kind: str, blob: bytes) -> dict[str, Any]:
        return json.loads(self.cipher.open(blob, row=idempotency_key, column="payload", kind=kind))

    # --- moving items (inside `_writing()`, with the item read there) ------------------

    def _move(self, item: OutboxItem, event: Event, **columns: Any) -> ItemState:
        """The one place an item's state is written: where the table takes it, with `columns`."""
        target = transition(item.state, event, f"outbox item {item.id}")
        assignments = "".join(f", {name} = :{name}" for name in columns)
        moved = self.db.execute(
            f"UPDATE outbox_items SET state = :target{assignments} WHERE id = :id AND state = :current",
            {**columns, "target": str(target), "id": item.id, "current": str(item.state)},
        ).rowcount
        if moved != 1:  # the caller read `item` outside the transaction: a fault, never a race to hide
            raise WrongState(f"outbox item {item.id} is no longer {item.state}")
        return target

    def _needs_staff(self, item: OutboxItem, event: Event, message: str) -> ItemState:
        """Moves the item where staff must look (dead, rejected) and raises their alert."""
        state = self._move(item, event, last_error=message, lease_owner=None, lease_until=None)
        if state not in NEEDS_STAFF:
            raise AssertionError(f"{event} took outbox item {item.id} to {state}, which raises no alert")
        text = f"outbox item {item.id} ({item.kind}) is {state}: {message}"
        self.db["alerts"].insert(
            {"created_at": self.clock(), "item_id": item.id, "kind": str(state), "message": text, "resolved_at": None}
        )
        log.warning("staff alert: %s", text)
        return state

    def _resolve_alerts(self, item_id: int, now: float) -> None:
        self.db.execute(
            "UPDATE alerts SET resolved_at = ? WHERE item_id = ? AND resolved_at IS NULL", [now, item_id]
        )
