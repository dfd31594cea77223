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

The pieces, one concept each: the item model (kiosk.offline.items), its states and their one
transition table (kiosk.offline.item_states), the queue the flows and the sync worker use
(kiosk.offline.queue) and the staff administration (kiosk.offline.staff). `Outbox` is the
queue and the administration over one database; the names callers need are importable here.
"""

from __future__ import annotations

from typing import Any

from kiosk.config import OutboxSettings
from kiosk.keys import TerminalKey
from kiosk.offline.crypto import FieldCipher
from kiosk.offline.database import open_database
from kiosk.offline.item_states import NEEDS_STAFF, ItemState, WrongState
from kiosk.offline.items import PRIORITY, Attachment, Delivery, DuplicateKey, Kind, OutboxItem, UnknownItem
from kiosk.offline.queue import OutboxQueue, OutboxTransaction
from kiosk.offline.reseal import reseal_legacy
from kiosk.offline.staff import Alert, OutboxStatus, StaffAdministration

__all__ = [
    "NEEDS_STAFF", "PRIORITY", "Alert", "Attachment", "Delivery", "DuplicateKey", "ItemState", "Kind", "Outbox",
    "OutboxItem", "OutboxStatus", "OutboxTransaction", "UnknownItem", "WrongState",
]  # fmt: skip


class Outbox(OutboxQueue, StaffAdministration):
    """Thread-safe: the kiosk's flows, the sync worker's thread and the staff CLI share it."""

    @classmethod
    def open(cls, data_dir, key: TerminalKey, settings: OutboxSettings = OutboxSettings(), **kwargs: Any) -> "Outbox":
        """The outbox in `data_dir`; fields sealed before their row's kind was bound are re-sealed first."""
        db, cipher = open_database(data_dir), FieldCipher.for_terminal(key)
        try:
            reseal_legacy(db, cipher)
        except BaseException:
            db.close()
            raise
        return cls(db, cipher, settings, **kwargs)
