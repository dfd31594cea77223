"""What the outbox holds: an item's kind and priority, its attachments, and the views of it
that leave the store (for staff, with no personal data; for the sync worker, opened)."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any, Mapping

from kiosk.offline.database import StoreError
from kiosk.offline.item_states import ItemState


class Kind(enum.StrEnum):
    APPLICATION = "application"  # apply, reissue, replace, upgrade, info change, batch
    LOSS_REPORT = "loss_report"
    LOSS_CANCEL = "loss_cancel"
    ACTIVATION = "activation"
    PIN_CHANGE_RECORD = "pin_change_record"
    REPLACEMENT = "replacement"  # reissue, replace, upgrade (POST /v1/replacements)
    CONTACT_CHANGE = "contact_change"  # info change: address, phone (POST /v1/contact-changes)
    BATCH_RECORD = "batch_record"  # an employer's batch: employer, handler, counts, letter (POST /v1/batches)
    BATCH_APPLICATION = "batch_application"  # one person of a batch (POST /v1/batch-applications)
    STAFF_CALL = "staff_call"  # 呼叫工作人员 (POST /v1/staff-calls)


# Higher goes first. A lost card can be misused every minute it is not blocked.
PRIORITY: dict[Kind, int] = {
    # As urgent as a loss report (a resident is standing at the kiosk, waiting for a person),
    # and no more: neither waits for the other in a quick delivery (sync.deliver).
    Kind.STAFF_CALL: 100,
    Kind.LOSS_REPORT: 100,
    Kind.LOSS_CANCEL: 90,
    Kind.ACTIVATION: 50,
    Kind.APPLICATION: 10,
    Kind.REPLACEMENT: 10,
    Kind.CONTACT_CHANGE: 10,
    Kind.BATCH_RECORD: 10,
    Kind.BATCH_APPLICATION: 5,  # a batch of hundreds waits behind a resident's own application
    Kind.PIN_CHANGE_RECORD: 0,
}


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


# The columns `item_from_row` reads, from `outbox_items i`; nothing sealed among them.
ITEM_COLUMNS = """
    i.id, i.idempotency_key, i.kind, i.priority, i.state, i.attempts, i.created_at,
    i.next_attempt_at, i.lease_until, i.last_error, i.centre_reference, i.sent_at,
    i.voucher_serial, i.voucher IS NOT NULL AS has_voucher,
    (SELECT group_concat(a.name, ',') FROM outbox_attachments a WHERE a.item_id = i.id) AS attachment_names
"""


def item_from_row(row: Mapping[str, Any]) -> OutboxItem:
    names = row["attachment_names"]
    as_stored = {f.name: row[f.name] for f in dataclasses.fields(OutboxItem) if f.name not in _CONVERTED}
    return OutboxItem(
        **as_stored,
        state=ItemState(row["state"]),
        attachments=tuple(sorted(names.split(","))) if names else (),
        has_voucher=bool(row["has_voucher"]),
    )


_CONVERTED = frozenset({"state", "attachments", "has_voucher"})
