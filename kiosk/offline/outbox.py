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
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Mapping

import sqlite_utils

from kiosk.config import OutboxSettings
from kiosk.keys import TerminalKey
from kiosk.offline import backoff
from kiosk.offline.crypto import FieldCipher, UnreadableField
from kiosk.offline.database import StoreError, open_database, transaction

if TYPE_CHECKING:
    from kiosk.domain.voucher import Voucher

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class ItemState(enum.StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    SENT = "sent"
    DEAD = "dead"  # gave up after max_attempts: staff alert
    REJECTED = "rejected"  # the centre refused it (4xx): staff alert


NEEDS_STAFF = (ItemState.DEAD, ItemState.REJECTED)


class Kind(enum.StrEnum):
    APPLICATION = "application"  # apply, reissue, replace, upgrade, info change, batch
    LOSS_REPORT = "loss_report"
    LOSS_CANCEL = "loss_cancel"
    ACTIVATION = "activation"
    PIN_CHANGE_RECORD = "pin_change_record"
    REPLACEMENT = "replacement"  # reissue, replace, upgrade (POST /v1/replacements)


# Higher goes first. A lost card can be misused every minute it is not blocked.
PRIORITY: dict[Kind, int] = {
    Kind.LOSS_REPORT: 100,
    Kind.LOSS_CANCEL: 90,
    Kind.ACTIVATION: 50,
    Kind.APPLICATION: 10,
    Kind.REPLACEMENT: 10,
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


class WrongState(StoreError):
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
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.dumps(value, ensure_ascii=False, default=_jsonable, separators=(",", ":")).encode()


_ITEM_COLUMNS = """
    i.id, i.idempotency_key, i.kind, i.priority, i.state, i.attempts, i.created_at,
    i.next_attempt_at, i.lease_until, i.last_error, i.centre_reference, i.sent_at,
    i.voucher_serial, i.voucher IS NOT NULL AS has_voucher,
    (SELECT group_concat(a.name, ',') FROM outbox_attachments a WHERE a.item_id = i.id) AS attachment_names
"""


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
        voucher: Any = None,
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
        voucher_json = None if voucher is None else _encode(voucher)
        voucher_fields = None if voucher_json is None else json.loads(voucher_json)
        if voucher_fields is not None and not isinstance(voucher_fields, dict):
            raise ValueError("the voucher must be a Voucher or a mapping of its fields")
        seal = self._outbox.cipher.seal
        now = self._outbox.clock()
        row = {
            "idempotency_key": key,
            "kind": str(kind),
            "priority": PRIORITY[kind],
            "state": str(ItemState.PENDING),
            "payload": seal(_encode(dict(payload)), row=key, column="payload"),
            "voucher": None if voucher_json is None else seal(voucher_json, row=key, column="voucher"),
            "voucher_serial": None if voucher_fields is None else voucher_fields.get("serial"),
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
                        f"SELECT {_ITEM_COLUMNS} FROM outbox_items i"
                        " WHERE (i.state = 'pending' AND i.next_attempt_at <= :now)"
                        "    OR (i.state = 'in_flight' AND i.lease_until <= :now)"
                        " ORDER BY i.priority DESC, i.id LIMIT 1",
                        {"now": now},
                    )
                )
                if not rows:
                    return None
                item = _item(rows[0])
                if item.attempts >= self.settings.max_attempts:  # its last attempt's worker vanished
                    self._needs_staff(item.id, ItemState.DEAD, "the last attempt never finished (lease expired)")
                    continue
                self.db.execute(
                    "UPDATE outbox_items SET state = 'in_flight', attempts = attempts + 1,"
                    " lease_owner = ?, lease_until = ? WHERE id = ?",
                    [owner, now + lease_s, item.id],
                )
            item = self.item(item.id)
            try:
                return self._open_delivery(item, owner)
            except UnreadableField as exc:
                with self.transaction():
                    self._needs_staff(item.id, ItemState.DEAD, f"cannot be decrypted: {exc}")

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
            self.db.execute(
                "UPDATE outbox_items SET state = 'sent', centre_reference = ?, sent_at = ?,"
                " lease_owner = NULL, lease_until = NULL, last_error = NULL"
                " WHERE id = ? AND state != 'sent'",
                [reference, now, item_id],
            )
            self.db.execute("DELETE FROM outbox_attachments WHERE item_id = ?", [item_id])
            self._resolve_alerts(item_id, now)

    def fail(self, delivery: Delivery, error: str, retry_after: float | None = None) -> ItemState | None:
        """A retryable failure; None when the lease was lost to another worker meanwhile."""
        with self.transaction():
            current = self._owned(delivery)
            if current is None:
                return None
            if current.attempts >= self.settings.max_attempts:
                self._needs_staff(current.id, ItemState.DEAD, f"gave up after {current.attempts} attempts: {error}")
                return ItemState.DEAD
            wait = max(backoff.delay(current.attempts, self.settings, self.rng), retry_after or 0.0)
            self.db.execute(
                "UPDATE outbox_items SET state = 'pending', next_attempt_at = ?, last_error = ?,"
                " lease_owner = NULL, lease_until = NULL WHERE id = ?",
                [self.clock() + wait, error, current.id],
            )
            return ItemState.PENDING

    def reject(self, delivery: Delivery, error: str) -> ItemState | None:
        """The centre refused the item itself: retrying cannot help, staff must look."""
        with self.transaction():
            if self._owned(delivery) is None:
                return None
            self._needs_staff(delivery.item.id, ItemState.REJECTED, f"the centre refused it: {error}")
            return ItemState.REJECTED

    def _owned(self, delivery: Delivery) -> OutboxItem | None:
        row = self.db.execute(
            "SELECT 1 FROM outbox_items WHERE id = ? AND state = 'in_flight' AND lease_owner = ?",
            [delivery.item.id, delivery.owner],
        ).fetchone()
        return self.item(delivery.item.id) if row else None

    def _needs_staff(self, item_id: int, state: ItemState, message: str) -> None:
        item = self.item(item_id)
        now = self.clock()
        self.db.execute(
            "UPDATE outbox_items SET state = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ?",
            [str(state), message, item_id],
        )
        text = f"outbox item {item_id} ({item.kind}) is {state}: {message}"
        self.db["alerts"].insert(
            {"created_at": now, "item_id": item_id, "kind": str(state), "message": text, "resolved_at": None}
        )
        log.warning("staff alert: %s", text)

    def _resolve_alerts(self, item_id: int, now: float) -> None:
        self.db.execute(
            "UPDATE alerts SET resolved_at = ? WHERE item_id = ? AND resolved_at IS NULL", [now, item_id]
        )

    def next_due_at(self) -> float | None:
        """When the earliest item becomes due (pending or with an expiring lease)."""
        with self._lock:
            return self.db.execute(
                "SELECT min(CASE state WHEN 'pending' THEN next_attempt_at ELSE lease_until END)"
                " FROM outbox_items WHERE state IN ('pending', 'in_flight')"
            ).fetchone()[0]

    # --- staff -------------------------------------------------------------------------

    def retry(self, item_id: int) -> OutboxItem:
        """A dead or rejected item goes back to the queue with a fresh set of attempts."""
        with self.transaction():
            item = self.item(item_id)
            if item.state not in NEEDS_STAFF:
                raise WrongState(f"outbox item {item_id} is {item.state}; only dead or rejected items are retried")
            now = self.clock()
            self.db.execute(
                "UPDATE outbox_items SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE id = ?",
                [now, item_id],
            )
            self._resolve_alerts(item_id, now)
            return self.item(item_id)

    def prune_sent(self) -> int:
        """Sent items older than the retention period go, with what they held."""
        cutoff = self.clock() - self.settings.retention_days * 86400
        with self.transaction():
            return self.db.execute(
                "DELETE FROM outbox_items WHERE state = 'sent' AND sent_at < ?", [cutoff]
            ).rowcount

    def purge_needing_staff(self) -> int:
        """Deletes dead and rejected items: their data is lost for good (the CLI asks first)."""
        with self.transaction():
            now = self.clock()
            self.db.execute(
                "UPDATE alerts SET resolved_at = ? WHERE resolved_at IS NULL AND item_id IN"
                " (SELECT id FROM outbox_items WHERE state IN ('dead', 'rejected'))",
                [now],
            )
            return self.db.execute("DELETE FROM outbox_items WHERE state IN ('dead', 'rejected')").rowcount

    # --- reading -----------------------------------------------------------------------

    def item(self, item_id: int) -> OutboxItem:
        with self._lock:
            rows = list(self.db.query(f"SELECT {_ITEM_COLUMNS} FROM outbox_items i WHERE i.id = ?", [item_id]))
        if not rows:
            raise UnknownItem(f"no outbox item {item_id}")
        return _item(rows[0])

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
        """The voucher fields stored with the item, to print the voucher again."""
        with self._lock:
            row = self.db.execute(
                "SELECT idempotency_key, voucher FROM outbox_items WHERE id = ?", [item_id]
            ).fetchone()
        if row is None:
            raise UnknownItem(f"no outbox item {item_id}")
        key, blob = row
        return None if blob is None else json.loads(self.cipher.open(blob, row=key, column="voucher"))

    def stored_voucher(self, item_id: int) -> "Voucher | None":
        """The item's voucher, rebuilt for reprinting; `uploaded` says what is true now."""
        from kiosk.domain.voucher import Voucher
        from kiosk.i18n import Bilingual

        fields = self.voucher(item_id)
        if fields is None:
            return None
        expected = fields.get("expected_date")
        return Voucher(
            **{
                **fields,
                "issued_at": datetime.fromisoformat(fields["issued_at"]),
                "expected_date": date.fromisoformat(expected) if expected else None,
                "next_steps": tuple(Bilingual(**step) for step in fields["next_steps"]),
                "anti_fraud": Bilingual(**fields["anti_fraud"]),
                "uploaded": self.item(item_id).state is ItemState.SENT,
            }
        )

    def alerts(self, open_only: bool = True) -> list[Alert]:
        where = "WHERE resolved_at IS NULL" if open_only else ""
        with self._lock:
            return [Alert(**r) for r in self.db.query(f"SELECT * FROM alerts {where} ORDER BY id")]

    def status(self) -> OutboxStatus:
        with self._lock:
            counts = {str(s): 0 for s in ItemState}
            counts.update(dict(self.db.execute("SELECT state, count(*) FROM outbox_items GROUP BY state").fetchall()))
            oldest = self.db.execute("SELECT min(created_at) FROM outbox_items WHERE state = 'pending'").fetchone()[0]
            staff = [r[0] for r in self.db.execute(
                "SELECT id FROM outbox_items WHERE state IN ('dead', 'rejected') ORDER BY id"
            )]
            alerts = self.alerts()
        return OutboxStatus(
            counts=counts,
            oldest_pending_age_s=None if oldest is None else max(0.0, self.clock() - oldest),
            needs_staff=tuple(staff),
            open_alerts=tuple(alerts),
        )
