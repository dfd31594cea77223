"""What is on disk: no readable personal data, and nothing half-written when the disk fills."""

from __future__ import annotations

import os

import pytest

from kiosk.offline.database import StorageFull, database_path, open_database
from kiosk.offline.outbox import Attachment, Kind, Outbox
from tests.offline import people
from tests.support.tiny_disk import tiny_disk_at


def _encodings(text: str) -> list[bytes]:
    return [text.encode(e) for e in ("utf-8", "gbk", "utf-16-le", "utf-16-be")]


def test_database_files_hold_no_readable_personal_data(tmp_path, terminal_key):
    data_dir = tmp_path / "data"
    outbox = Outbox.open(data_dir, terminal_key)
    photo = people.photo()
    outbox.enqueue(Kind.APPLICATION, people.application(), attachments=[photo], voucher=people.voucher())
    outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER, "name": people.NAME, "phone": people.PHONE})
    files = [p for p in data_dir.iterdir() if p.name.startswith(database_path(data_dir).name)]
    assert {p.name[len("kiosk.sqlite3"):] for p in files} >= {"", "-wal"}  # read before any checkpoint
    raw = b"".join(p.read_bytes() for p in files)
    outbox.close()
    assert b"outbox_items" in raw  # we are looking at the real files
    secrets = [people.NAME, people.ID_NUMBER, people.PHONE, people.ADDRESS, people.ID_NUMBER[6:14]]
    for secret in secrets:
        for encoded in _encodings(secret):
            assert encoded not in raw, f"{secret[:2]}… readable at rest"
    assert photo.data[:400] not in raw and b"PHOTO-OF-" not in raw


@pytest.fixture
def tiny_disk(tmp_path):
    """A 384 KiB tmpfs: a real ENOSPC, not a simulated one."""
    with tiny_disk_at(tmp_path / "tiny", "384k") as mount_point:
        yield mount_point


def test_full_disk_fails_the_enqueue_whole_and_keeps_the_rest(tiny_disk, terminal_key):
    outbox = Outbox.open(tiny_disk, terminal_key)
    stored = []
    with pytest.raises(StorageFull, match="disk is full"):
        for n in range(100):
            key = f"item-{n:04d}"
            outbox.enqueue(
                Kind.APPLICATION, people.application(), idempotency_key=key,
                attachments=[Attachment("photo", os.urandom(60_000)), Attachment("scene", os.urandom(20_000))],
            )  # fmt: skip
            stored.append(key)
    assert 0 < len(stored) < 100
    outbox.close()

    db = open_database(tiny_disk)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    keys = [r[0] for r in db.execute("SELECT idempotency_key FROM outbox_items ORDER BY id")]
    assert keys == stored  # the failed one left no row
    per_item = db.execute("SELECT count(*) FROM outbox_attachments GROUP BY item_id").fetchall()
    assert [r[0] for r in per_item] == [2] * len(stored)  # nor an orphaned image
    db.close()
