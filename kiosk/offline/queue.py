"""The queue: items go in with the caller's own writes, and a sync worker leases the most
urgent due one, sends it, and reports what the centre said (ack, fail, reject).

A lease is a deadline, not a lock: a worker that dies leaves its item `in_flight` until the
lease runs out, and then any worker may take it again. A worker that reports after losing its
lease is ignored (`fail` and `reject` answer None); the centre's idempotency key makes the
second send harmless.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import re
import sqlite3
import uuid
from datetime import date, datetime
from typing import Any, Iterable, Iterator, Mapping

import sqlite_utils

from kiosk.domain.voucher import Voucher
from kiosk.offline import backoff
from kiosk.offline.crypto import UnreadableField
from kiosk.offline.item_states import DUE_AT, INITIAL, Event, ItemState, sql_set
from kiosk.offline.item_store import ItemStore
from kiosk.offline.items import PRIORITY, Attachment, Delivery, DuplicateKey, Kind, OutboxItem, item_from_row

_KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
# Attachment names stay readable in the database: letters and underscores only, so an
# ID number can never hide in one (batch files are named `<ID>.jpg`; rename them first).
_ATTACHMENT_NAME = re.compile(r"[a-z][a-z_]{0,31}")

# Due now: a pending item whose backoff is over, or an in-flight one whose lease ran out.
_DUE = " OR ".join(f"(i.state = '{state.value}' AND i.{column} <= :now)" for state, column in DUE_AT.items())
_DUE_COLUMN = " ".join(f"WHEN '{state.value}' THEN {column}" for state, column in DUE_AT.items())
_URGENT_FIRST = "ORDER BY i.priority DESC, i.id"


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot store a {type(value).__name__} in the outbox")


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, default=_jsonable, separators=(",", ":")).encode()


def _checked_attachments(attachments: Iterable[Attachment]) -> tuple[Attachment, ...]:
    attachments = tuple(attachments)
    names = [a.name for a in attachments]
    for a in attachments:
        if not _ATTACHMENT_NAME.fullmatch(a.name):
            raise ValueError(f"attachment name {a.name!r}: lowercase letters and _ only, up to 32")
        if not a.data:
            raise ValueError(f"attachment {a.name!r} is empty")
    if len(set(names)) != len(names):
        raise ValueError(f"attachment names repeat: {names}")
    return attachments


class OutboxTransaction:
    """What a caller can do inside `outbox.transaction()`: enqueue, and its own writes on `db`."""

    def __init__(self, queue: OutboxQueue) -> None:
        self._queue = queue
        self.db: sqlite_utils.Database = queue.db

    def enqueue(
        self,
        kind: Kind | str,
        payload: Mapping[str, Any],
        *,
        idempotency_key: str | None = None,
        attachments: Iterable[Attachment] = (),
        voucher: Voucher | None = None,
    ) -> OutboxItem:
        kind = Kind(kind)
        key = idempotency_key or str(uuid.uuid4())
        if not _KEY_PATTERN.fullmatch(key):
            raise ValueError("an idempotency key is 8-128 characters of A-Z a-z 0-9 . _ : -")
        if not isinstance(payload, Mapping):
            raise ValueError("the payload must be a mapping (it is sent to the centre as a JSON object)")
        attachments = _checked_attachments(attachments)
        seal = self._queue.cipher.seal
        now = self._queue.clock()
        row = {
            "idempotency_key": key,
            "kind": str(kind),
            "priority": PRIORITY[kind],
            "state": str(INITIAL),
            "payload": seal(_encode(dict(payload)), row=key, column="payload", kind=str(kind)),
            "voucher": None if voucher is None else seal(_encode(voucher.to_record()), row=key, column="voucher", kind=str(kind)),
            "voucher_serial": None if voucher is None else voucher.serial,
            "created_at": now,
            "attempts": 0,
            "next_attempt_at": now,
        }
        with self.db.atomic():  # a savepoint: a failed enqueue leaves the caller's transaction usable
            try:
                item_id = self.db["outbox_items"].insert(row).last_pk
            except sqlite3.IntegrityError as exc:
                if "idempotency_key" in str(exc):
                    raise DuplicateKey(f"an outbox item with idempotency key {key} exists already") from None
                raise
            for a in attachments:
                self.db["outbox_attachments"].insert(
                    {
                        "item_id": item_id,
                        "name": a.name,
                        "content_type": a.content_type,
                        "size": len(a.data),
                        "data": seal(a.data, row=key, column=f"attachment/{a.name}", kind=str(kind)),
                    }
                )
        return self._queue.item(item_id)


class OutboxQueue(ItemStore):
    # --- the flows' side ---------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[OutboxTransaction]:
        """Everything inside commits together, durably, or not at all."""
        with self._writing():
            yield OutboxTransaction(self)

    def enqueue(self, kind: Kind | str, payload: Mapping[str, Any], **kwargs: Any) -> OutboxItem:
        with self.transaction() as tx:
            return tx.enqueue(kind, payload, **kwargs)

    def unsent(self, kind: Kind | str) -> list[tuple[OutboxItem, dict[str, Any]]]:
        """Items of `kind` the centre has not confirmed, with their opened payloads: what a
        resident did at this kiosk that the centre cannot tell them about yet. The queue of
        unsent items is short, so opening each one is cheap."""
        rows = self._rows("i.kind = ? AND i.state != ?", [str(Kind(kind)), str(ItemState.SENT)], _URGENT_FIRST, sealed=", i.payload")
        return [(item_from_row(row), self._open_payload(row["idempotency_key"], row["kind"], row["payload"])) for row in rows]

    # --- the sync worker's side --------------------------------------------------------

    def lease(
        self, owner: str, lease_s: float, item_id: int | None = None, *, above_priority: int | None = None
    ) -> Delivery | None:
        """The most urgent item that is due, leased to `owner` until now + lease_s.

        With `item_id`, that item only, and only if it is due: not while another worker holds
        it, nor while it waits out a backoff (the resident's own item, sent while they wait).
        With `above_priority`, only an item more urgent than that (what must go before it)."""
        where = _DUE if item_id is None else f"i.id = :id AND ({_DUE})"
        if above_priority is not None:
            where = f"i.priority > :above AND ({where})"
        while True:
            with self._writing():
                now = self.clock()
                due = self._select(where, {"now": now, "id": item_id, "above": above_priority}, f"{_URGENT_FIRST} LIMIT 1")
                if not due:
                    return None
                item = due[0]
                if item.attempts >= self.settings.max_attempts:  # its last attempt's worker vanished
                    self._needs_staff(item, Event.GIVEN_UP, "the last attempt never finished (lease expired)")
                    continue
                self._move(item, Event.LEASED, attempts=item.attempts + 1, lease_owner=owner, lease_until=now + lease_s)
            try:
                return self._open_delivery(self.item(item.id), owner)  # as leased: in flight, one more attempt
            except UnreadableField as exc:
                with self._writing():
                    self._needs_staff(self.item(item.id), Event.GIVEN_UP, f"cannot be decrypted: {exc}")

    def _open_delivery(self, item: OutboxItem, owner: str) -> Delivery:
        key = item.idempotency_key
        with self._lock:
            [payload] = self.db.execute("SELECT payload FROM outbox_items WHERE id = ?", [item.id]).fetchone()
            blobs = self.db.execute(
                "SELECT name, content_type, data FROM outbox_attachments WHERE item_id = ? ORDER BY name",
                [item.id],
            ).fetchall()
        attachments = tuple(
            Attachment(name, self.cipher.open(data, row=key, column=f"attachment/{name}", kind=str(item.kind)), content_type)
            for name, content_type, data in blobs
        )
        return Delivery(item, owner, self._open_payload(key, str(item.kind), payload), attachments)

    def ack(self, item_id: int, reference: str | None) -> None:
        """The centre confirmed: sent, whatever the local state said; images go."""
        with self._writing():
            now = self.clock()
            item = self._find(item_id)
            # None: purged meanwhile; SENT: a second worker heard the same "yes". Nothing to move.
            if item is not None and item.state is not ItemState.SENT:
                self._move(
                    item, Event.CONFIRMED, centre_reference=reference, sent_at=now,
                    lease_owner=None, lease_until=None, last_error=None,
                )  # fmt: skip
            self.db.execute("DELETE FROM outbox_attachments WHERE item_id = ?", [item_id])
            self._resolve_alerts(item_id, now)

    def fail(self, delivery: Delivery, error: str, retry_after: float | None = None) -> ItemState | None:
        """A retryable failure; None when the lease was lost to another worker meanwhile."""
        with self._writing():
            current = self._owned(delivery)
            if current is None:
                return None
            if current.attempts >= self.settings.max_attempts:
                return self._needs_staff(current, Event.GIVEN_UP, f"gave up after {current.attempts} attempts: {error}")
            wait = max(backoff.delay(current.attempts, self.settings, self.rng), retry_after or 0.0)
            return self._move(
                current, Event.FAILED, next_attempt_at=self.clock() + wait, last_error=error,
                lease_owner=None, lease_until=None,
            )  # fmt: skip

    def reject(self, delivery: Delivery, error: str) -> ItemState | None:
        """The centre refused the item itself: retrying cannot help, staff must look."""
        with self._writing():
            current = self._owned(delivery)
            if current is None:
                return None
            return self._needs_staff(current, Event.REFUSED, f"the centre refused it: {error}")

    def _owned(self, delivery: Delivery) -> OutboxItem | None:
        """The item, read now, if `delivery`'s worker still holds its lease."""
        held = self._select("i.id = ? AND i.state = ? AND i.lease_owner = ?",
                            [delivery.item.id, str(ItemState.IN_FLIGHT), delivery.owner])  # fmt: skip
        return held[0] if held else None

    def next_due_at(self) -> float | None:
        """When the earliest item becomes due (pending or with an expiring lease)."""
        with self._lock:
            return self.db.execute(
                f"SELECT min(CASE state {_DUE_COLUMN} END) FROM outbox_items WHERE state IN ({sql_set(frozenset(DUE_AT))})"
            ).fetchone()[0]
