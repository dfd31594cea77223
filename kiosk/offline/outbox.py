"""The outbox: one row per business action the centre must hear about, delivered at least once.

An item is born `pending` in the same transaction as the caller's own local writes (the
voucher serial, say), so it exists on disk before the voucher prints. The sync worker leases
it (`in_flight` until a deadline, so a crashed worker's item comes back), and then either the
centre confirms (`sent`, with the centre's reference; its images are deleted), or it is tried
again later with backoff, or it ends where staff must look: `dead` after too many attempts,
`rejected` when the centre refused it. Both of those raise an alert.

Payload, attachments and the voucher fields are sealed with the terminal's storage key
(kiosk.offline.crypto); the columns that stay readable (kind, state, times, the centre's
reference, error texts) carry no personal data.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import logging
import random
import re
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable, Iterable, Iterator, Mapping

import sqlite_utils

from kiosk.config import OutboxSettings
from kiosk.domain.voucher import Voucher
from kiosk.keys import TerminalKey
from kiosk.offline import backoff
from kiosk.offline.crypto import FieldCipher, UnreadableField
from kiosk.offline.database import StoreError, open_database, transaction
from kiosk.offline.item_states import DUE_AT, INITIAL, NEEDS_STAFF, Event, ItemState, WrongState, sql_set, transition

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class Kind(enum.StrEnum):
    APPLICATION = "application"  # apply, reissue, replace, upgrade, info change, batch
    LOSS_REPORT = "loss_report"
    LOSS_CANCEL = "loss_cancel"
    ACTIVATION = "activation"
    PIN_CHANGE_RECORD = "pin_change_record"


# Higher goes first. A lost card can be misused every minute it is not blocked.
PRIORITY: dict[Kind, int] = {
    Kind.LOSS_REPORT: 100,
    Kind.LOSS_CANCEL: 90,
    Kind.ACTIVATION: 50,
    Kind.APPLICATION: 10,
    Kind.PIN_CHANGE_RECORD: 0,
}

_KEY_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
# Attachment names stay readable in the database: letters and underscores only, so an
# ID number can never hide in one (batch files are named `<ID>.jpg`; rename them first).
_ATTACHMENT_NAME = re.compile(r"[a-z][a-z_]{0,31}")


class DuplicateKey(StoreError):
    pass


class UnknownItem(StoreError):
    pass


@dataclass(frozen=True)
class Attachment:
    name: str  # photo, scene, signature, id_front, ...
    data: bytes = field(repr=False)
    content_type: str = "image/jpeg"


@dataclass(frozen=True)
class OutboxItem:
    """What staff and the CLI may see of an item: no personal data."""

    id: int
    idempotency_key: str
    kind: str
    priority: int
    state: ItemState
    attempts: int
    created_at: float
    next_attempt_at: float
    lease_until: float | None
    last_error: str | None
    centre_reference: str | None
    sent_at: float | None
    attachments: tuple[str, ...]
    voucher_serial: str | None  # not personal: outlet, terminal, day and a number
    has_voucher: bool

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["state"] = str(self.state)
        data["attachments"] = list(self.attachments)
        return data


@dataclass(frozen=True)
class Delivery:
    """A leased item with its opened payload, for the sync worker only."""

    item: OutboxItem
    owner: str
    payload: dict[str, Any] = field(repr=False)
    attachments: tuple[Attachment, ...] = field(repr=False)


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


_ITEM_COLUMNS = """
    i.id, i.idempotency_key, i.kind, i.priority, i.state, i.attempts, i.created_at,
    i.next_attempt_at, i.lease_until, i.last_error, i.centre_reference, i.sent_at,
    i.voucher_serial, i.voucher IS NOT NULL AS has_voucher,
    (SELECT group_concat(a.name, ',') FROM outbox_attachments a WHERE a.item_id = i.id) AS attachment_names
"""


# Due now: a pending item whose backoff is over, or an in-flight one whose lease ran out.
_DUE = " OR ".join(f"(i.state = '{state.value}' AND i.{column} <= :now)" for state, column in DUE_AT.items())
_DUE_COLUMN = " ".join(f"WHEN '{state.value}' THEN {column}" for state, column in DUE_AT.items())


def _item(row: Mapping[str, Any]) -> OutboxItem:
    names = row["attachment_names"]
    return OutboxItem(
        id=row["id"],
        idempotency_key=row["idempotency_key"],
        kind=row["kind"],
        priority=row["priority"],
        state=ItemState(row["state"]),
        attempts=row["attempts"],
        created_at=row["created_at"],
        next_attempt_at=row["next_attempt_at"],
        lease_until=row["lease_until"],
        last_error=row["last_error"],
        centre_reference=row["centre_reference"],
        sent_at=row["sent_at"],
        attachments=tuple(sorted(names.split(","))) if names else (),
        voucher_serial=row["voucher_serial"],
        has_voucher=bool(row["has_voucher"]),
    )


class OutboxTransaction:
    """What a caller can do inside `outbox.transaction()`: enqueue, and its own writes on `db`."""

    def __init__(self, outbox: "Outbox") -> None:
        self._outbox = outbox
        self.db: sqlite_utils.Database = outbox.db

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
        attachments = tuple(attachments)
        names = [a.name for a in attachments]
        for a in attachments:
            if not _ATTACHMENT_NAME.fullmatch(a.name):
                raise ValueError(f"attachment name {a.name!r}: lowercase letters and _ only, up to 32")
            if not a.data:
                raise ValueError(f"attachment {a.name!r} is empty")
        if len(set(names)) != len(names):
            raise ValueError(f"attachment names repeat: {names}")
        seal = self._outbox.cipher.seal
        now = self._outbox.clock()
        row = {
            "idempotency_key": key,
            "kind": str(kind),
            "priority": PRIORITY[kind],
            "state": str(INITIAL),
            "payload": seal(_encode(dict(payload)), row=key, column="payload"),
            "voucher": None if voucher is None else seal(_encode(voucher.to_record()), row=key, column="voucher"),
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
                        "data": seal(a.data, row=key, column=f"attachment/{a.name}"),
                    }
                )
        return self._outbox.item(item_id)


class Outbox:
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

    @classmethod
    def open(
        cls, data_dir, key: TerminalKey, settings: OutboxSettings = OutboxSettings(), **kwargs: Any
    ) -> "Outbox":
        return cls(open_database(data_dir), FieldCipher.for_terminal(key), settings, **kwargs)

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[OutboxTransaction]:
        """Everything inside commits together, durably, or not at all."""
        with self._lock:
            if self.db.conn.in_transaction:
                with self.db.atomic():
                    yield OutboxTransaction(self)
            else:
                with transaction(self.db):
                    yield OutboxTransaction(self)

    def enqueue(self, kind: Kind | str, payload: Mapping[str, Any], **kwargs: Any) -> OutboxItem:
        with self.transaction() as tx:
            return tx.enqueue(kind, payload, **kwargs)

    # --- the sync worker's side --------------------------------------------------------

    def lease(self, owner: str, lease_s: float) -> Delivery | None:
        """The most urgent item that is due, leased to `owner` until now + lease_s."""
        while True:
            with self.transaction():
                now = self.clock()
                rows = list(
                    self.db.query(
                        f"SELECT {_ITEM_COLUMNS} FROM outbox_items i WHERE {_DUE}"
                        " ORDER BY i.priority DESC, i.id LIMIT 1",
                        {"now": now},
                    )
                )
                if not rows:
                    return None
                item = _item(rows[0])
                if item.attempts >= self.settings.max_attempts:  # its last attempt's worker vanished
                    self._needs_staff(item, Event.GIVEN_UP, "the last attempt never finished (lease expired)")
                    continue
                self._move(item, Event.LEASED, attempts=item.attempts + 1, lease_owner=owner, lease_until=now + lease_s)
            item = self.item(item.id)
            try:
                return self._open_delivery(item, owner)
            except UnreadableField as exc:
                with self.transaction():
                    self._needs_staff(self.item(item.id), Event.GIVEN_UP, f"cannot be decrypted: {exc}")

    def _open_delivery(self, item: OutboxItem, owner: str) -> Delivery:
        key = item.idempotency_key
        with self._lock:
            row = self.db.execute("SELECT payload FROM outbox_items WHERE id = ?", [item.id]).fetchone()
            blobs = self.db.execute(
                "SELECT name, content_type, data FROM outbox_attachments WHERE item_id = ? ORDER BY name",
                [item.id],
            ).fetchall()
        payload = json.loads(self.cipher.open(row[0], row=key, column="payload"))
        attachments = tuple(
            Attachment(name, self.cipher.open(data, row=key, column=f"attachment/{name}"), content_type)
            for name, content_type, data in blobs
        )
        return Delivery(item, owner, payload, attachments)

    def ack(self, item_id: int, reference: str | None) -> None:
        """The centre confirmed: sent, whatever the local state said; images go."""
        with self.transaction():
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
        with self.transaction():
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
        with self.transaction():
            current = self._owned(delivery)
            if current is None:
                return None
            return self._needs_staff(current, Event.REFUSED, f"the centre refused it: {error}")

    def _owned(self, delivery: Delivery) -> OutboxItem | None:
        row = self.db.execute(
            "SELECT 1 FROM outbox_items WHERE id = ? AND state = ? AND lease_owner = ?",
            [delivery.item.id, str(ItemState.IN_FLIGHT), delivery.owner],
        ).fetchone()
        return self.item(delivery.item.id) if row else None

    def _move(self, item: OutboxItem, event: Event, **columns: Any) -> ItemState:
        """The one place an item's state is written: where the table takes it, with `columns`.

        Call it inside a transaction, with `item` read in that transaction."""
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

    def next_due_at(self) -> float | None:
        """When the earliest item becomes due (pending or with an expiring lease)."""
        with self._lock:
            return self.db.execute(
                f"SELECT min(CASE state {_DUE_COLUMN} END) FROM outbox_items WHERE state IN ({sql_set(frozenset(DUE_AT))})"
            ).fetchone()[0]

    # --- staff -------------------------------------------------------------------------

    def retry(self, item_id: int) -> OutboxItem:
        """A dead or rejected item goes back to the queue with a fresh set of attempts."""
        with self.transaction():
            now = self.clock()
            self._move(self.item(item_id), Event.RETRIED, attempts=0, next_attempt_at=now)
            self._resolve_alerts(item_id, now)
            return self.item(item_id)

    def prune_sent(self) -> int:
        """Sent items older than the retention period go, with what they held."""
        cutoff = self.clock() - self.settings.retention_days * 86400
        with self.transaction():
            return self.db.execute(
                "DELETE FROM outbox_items WHERE state = ? AND sent_at < ?", [str(ItemState.SENT), cutoff]
            ).rowcount

    def purge_needing_staff(self) -> int:
        """Deletes dead and rejected items: their data is lost for good (the CLI asks first)."""
        with self.transaction():
            now = self.clock()
            self.db.execute(
                "UPDATE alerts SET resolved_at = ? WHERE resolved_at IS NULL AND item_id IN"
                f" (SELECT id FROM outbox_items WHERE state IN ({sql_set(NEEDS_STAFF)}))",
                [now],
            )
            return self.db.execute(f"DELETE FROM outbox_items WHERE state IN ({sql_set(NEEDS_STAFF)})").rowcount

    # --- reading -----------------------------------------------------------------------

    def item(self, item_id: int) -> OutboxItem:
        item = self._find(item_id)
        if item is None:
            raise UnknownItem(f"no outbox item {item_id}")
        return item

    def _find(self, item_id: int) -> OutboxItem | None:
        with self._lock:
            rows = list(self.db.query(f"SELECT {_ITEM_COLUMNS} FROM outbox_items i WHERE i.id = ?", [item_id]))
        return _item(rows[0]) if rows else None

    def items(self, states: Iterable[ItemState | str] = (), limit: int = 1000) -> list[OutboxItem]:
        wanted = [str(ItemState(s)) for s in states] or [str(s) for s in ItemState]
        marks = ",".join("?" * len(wanted))
        with self._lock:
            rows = self.db.query(
                f"SELECT {_ITEM_COLUMNS} FROM outbox_items i WHERE i.state IN ({marks})"
                " ORDER BY i.priority DESC, i.id LIMIT ?",
                [*wanted, limit],
            )
            return [_item(r) for r in rows]

    def unsent(self, kind: Kind | str) -> list[tuple[OutboxItem, dict[str, Any]]]:
        """Items of `kind` the centre has not confirmed, with their opened payloads: what a
        resident did at this kiosk that the centre cannot tell them about yet. The queue of
        unsent items is short, so opening each one is cheap."""
        with self._lock:
            rows = list(self.db.query(
                f"SELECT {_ITEM_COLUMNS}, i.payload FROM outbox_items i WHERE i.kind = ? AND i.state != ?"
                " ORDER BY i.priority DESC, i.id",
                [str(Kind(kind)), str(ItemState.SENT)],
            ))  # fmt: skip
        return [
            (_item(row), json.loads(self.cipher.open(row["payload"], row=row["idempotency_key"], column="payload")))
            for row in rows
        ]

    def voucher(self, item_id: int) -> dict[str, Any] | None:
        """The voucher's record (`Voucher.to_record`) stored with the item, as staff may read it."""
        with self._lock:
            row = self.db.execute(
                "SELECT idempotency_key, voucher FROM outbox_items WHERE id = ?", [item_id]
            ).fetchone()
        if row is None:
            raise UnknownItem(f"no outbox item {item_id}")
        key, blob = row
        return None if blob is None else json.loads(self.cipher.open(blob, row=key, column="voucher"))

    def stored_voucher(self, item_id: int) -> Voucher | None:
        """The item's voucher, rebuilt for reprinting; `uploaded` says what is true now."""
        record = self.voucher(item_id)
        if record is None:
            return None
        return Voucher.from_record(record, uploaded=self.item(item_id).state is ItemState.SENT)

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
            staff = [r[0] for r in self.db.execute(
                f"SELECT id FROM outbox_items WHERE state IN ({sql_set(NEEDS_STAFF)}) ORDER BY id"
            )]
            alerts = self.alerts()
        return OutboxStatus(
            counts=counts,
            oldest_pending_age_s=None if oldest is None else max(0.0, self.clock() - oldest),
            needs_staff=tuple(staff),
            open_alerts=tuple(alerts),
        )
