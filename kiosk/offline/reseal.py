"""Re-sealing fields written before the associated data bound each row's kind.

Version 1 blobs (kiosk.offline.crypto) bound only the row and the column, so a row's `kind`
could be relabelled without the blob noticing. Opening the outbox re-seals every such blob
once, as version 2 with the kind the row has at that moment, in one transaction; from then on
a relabelled row no longer opens. A blob that does not open even as version 1 (another
terminal key, damage) is left as it is: the queue reports it to staff as undecryptable, as
before. Nothing is deleted.
"""

from __future__ import annotations

import logging

import sqlite_utils

from kiosk.offline.crypto import SM4_GCM_V1, FieldCipher, UnreadableField
from kiosk.offline.database import transaction

log = logging.getLogger(__name__)

_V1 = bytes([SM4_GCM_V1])
STATUS_CACHE_KIND = "status_cache"  # the kind bound into the status cache's sealed answers

# (table, key column to update by, columns: (sealed column, its name in the associated data))
_ITEM_COLUMNS = (("payload", "payload"), ("voucher", "voucher"))


def reseal_legacy(db: sqlite_utils.Database, cipher: FieldCipher) -> int:
    """Re-seal every version 1 blob of the outbox and the status cache; how many were."""
    done = 0
    with transaction(db):
        for item_id, key, kind, *blobs in db.execute(
            "SELECT id, idempotency_key, kind, payload, voucher FROM outbox_items "
            "WHERE substr(payload, 1, 1) = ? OR substr(voucher, 1, 1) = ?", [_V1, _V1]
        ).fetchall():  # fmt: skip
            for (column, label), blob in zip(_ITEM_COLUMNS, blobs):
                done += _reseal(db, cipher, blob, key, label, kind, "outbox_items", column, item_id)
        for att_id, key, kind, name, blob in db.execute(
            "SELECT a.id, i.idempotency_key, i.kind, a.name, a.data FROM outbox_attachments a "
            "JOIN outbox_items i ON i.id = a.item_id WHERE substr(a.data, 1, 1) = ?", [_V1]
        ).fetchall():  # fmt: skip
            done += _reseal(db, cipher, blob, key, f"attachment/{name}", kind, "outbox_attachments", "data", att_id)
        for person, blob in db.execute(
            "SELECT person, answer FROM status_cache WHERE substr(answer, 1, 1) = ?", [_V1]
        ).fetchall():
            try:
                plain = cipher.open_legacy(blob, row=person, column="answer")
            except UnreadableField:
                continue
            db.execute("UPDATE status_cache SET answer = ? WHERE person = ?",
                       [cipher.seal(plain, row=person, column="answer", kind=STATUS_CACHE_KIND), person])  # fmt: skip
            done += 1
    if done:
        log.info("re-sealed %d field(s) with their row's kind bound", done)
    return done


def _reseal(db, cipher: FieldCipher, blob, key: str, label: str, kind: str, table: str, column: str, row_id: int) -> int:
    if blob is None or blob[:1] != _V1:
        return 0
    try:
        plain = cipher.open_legacy(blob, row=key, column=label)
    except UnreadableField:
        return 0
    sealed = cipher.seal(plain, row=key, column=label, kind=kind)
    db.execute(f"UPDATE {table} SET {column} = ? WHERE id = ?", [sealed, row_id])
    return 1
