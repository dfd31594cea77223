"""Issue 12, section 4 (data at rest and keys): one test per finding, named after it.

These use only interfaces that existed before the fix, so each one fails on the old code."""

from __future__ import annotations

import dataclasses
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest

from kiosk.centre.client import CentreClient
from kiosk.config import SIMULATOR_CONFIG, ConfigError, load_config
from kiosk.domain.terminal_key import TerminalKey
from kiosk.domain.voucher import VoucherForged, verify_payload
from kiosk.keys import read_key_file
from kiosk.offline.database import database_path, open_database
from kiosk.offline.outbox import ItemState, Kind, Outbox
from kiosk.offline.sequence import SerialCounter
from kiosk.offline.sync import SyncWorker
from tests.config.test_config import production_config, write
from tests.offline import people
from tests.support.enrolment import enrol

KEY = TerminalKey(bytes(range(32)))
SIMULATOR_SECRET = "b9450f86d761b91beeae4e6effb7306d20ce1546d0b31f570a896a7326e3bdb3"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _production(tmp_path: Path, key_file: Path) -> Path:
    enrol(tmp_path / "tls", "T01")
    return write(tmp_path, production_config(key_file, tls_dir=f'"{tmp_path / "tls"}"'))


def test_the_data_directory_ends_0700_and_the_database_0600_even_when_an_early_mkdir_made_it(tmp_path):
    data_dir = tmp_path / "data-new"
    SerialCounter(data_dir).next("CS-01", "T01", datetime(2026, 11, 23).date())  # the early mkdir of a run
    Outbox.open(data_dir, KEY).close()
    assert _mode(data_dir) == 0o700
    assert _mode(database_path(data_dir)) == 0o600


def test_a_data_directory_and_database_an_older_version_left_readable_are_made_private(tmp_path):
    data_dir = tmp_path / "data-old"
    open_database(data_dir).close()
    data_dir.chmod(0o755)
    database_path(data_dir).chmod(0o644)
    open_database(data_dir).close()
    assert (_mode(data_dir), _mode(database_path(data_dir))) == (0o700, 0o600)


def test_a_production_key_file_others_can_read_is_refused_naming_key_file(tmp_path):
    key_file = tmp_path / "terminal.key"
    key_file.write_text(("cd" * 32) + "\n")
    key_file.chmod(0o644)
    run = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(_production(tmp_path, key_file))],
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "key_file" in run.stderr and "read by others" in run.stderr
    key_file.chmod(0o600)
    assert load_config(tmp_path / "terminal.toml").production


def test_the_simulator_key_is_refused_in_production_even_with_its_comment_removed(tmp_path):
    key_file = tmp_path / "terminal.key"
    key_file.write_text(SIMULATOR_SECRET + "\n")  # the value alone, no marker comment
    key_file.chmod(0o600)
    assert SIMULATOR_SECRET in (SIMULATOR_CONFIG.parent / "simulator-terminal.key").read_text()
    assert read_key_file(key_file).is_simulator_key
    with pytest.raises(ConfigError) as err:
        load_config(_production(tmp_path, key_file))
    assert [(p.key, "simulator" in p.reason) for p in err.value.problems] == [("key_file", True)]


def test_relabelling_a_rows_kind_makes_it_undecryptable_so_sync_never_posts_it_elsewhere(tmp_path):
    outbox = Outbox.open(tmp_path / "data", KEY)
    item = outbox.enqueue(Kind.LOSS_CANCEL, {"card_number": "A12345678", "id_number": people.ID_NUMBER})
    outbox.db.execute("UPDATE outbox_items SET kind = ? WHERE id = ?", [str(Kind.LOSS_REPORT), item.id])
    posted: list[str] = []
    transport = httpx.MockTransport(lambda r: posted.append(r.url.path) or httpx.Response(201, json={"reference": "L1"}))
    with CentreClient("http://centre.invalid", transport=transport) as client:
        SyncWorker(outbox, client).sync_once()
    assert posted == []
    assert outbox.item(item.id).state is ItemState.DEAD and "decrypted" in outbox.item(item.id).last_error
    outbox.close()


def test_last_error_and_staff_alerts_keep_the_centres_code_not_its_free_text(tmp_path):
    outbox = Outbox.open(tmp_path / "data", KEY)
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    echo = {"error": {"code": "invalid_field", "message": f"{people.NAME} {people.ID_NUMBER} is not allowed"}}
    transport = httpx.MockTransport(lambda r: httpx.Response(422, json=echo))
    with CentreClient("http://centre.invalid", transport=transport) as client:
        SyncWorker(outbox, client).sync_once()
    stored = [outbox.item(item.id).last_error, *(a.message for a in outbox.alerts())]
    assert outbox.item(item.id).state is ItemState.REJECTED and len(stored) == 2
    for text in stored:
        assert "invalid_field" in text and "422" in text
        assert people.NAME not in text and people.ID_NUMBER not in text and "not allowed" not in text
    outbox.close()


def test_a_voucher_dated_in_the_future_is_refused():
    voucher = people.voucher()
    payload = voucher.qr_payload(KEY)
    assert verify_payload(payload, KEY)["serial"] == voucher.serial  # issued in the past: fine
    future = dataclasses.replace(voucher, issued_at=datetime.now().replace(second=0, microsecond=0) + timedelta(days=2))
    with pytest.raises(VoucherForged, match="future"):
        verify_payload(future.qr_payload(KEY), KEY)


def test_person_hash_in_urls_is_keyed_not_a_bare_sm3_of_the_id_number():
    from cryptography.hazmat.primitives import hashes

    seen: list[str] = []
    transport = httpx.MockTransport(lambda r: seen.append(r.url.path) or httpx.Response(200, json={"cards": []}))
    client = CentreClient("http://centre.invalid", transport=transport, **_enrolled_secret())
    client.cards_of(people.ID_NUMBER)
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"sscard-centre/v1/person\x00" + people.ID_NUMBER.encode())
    assert len(seen) == 1 and digest.finalize().hex() not in seen[0]


def _enrolled_secret() -> dict:
    """The person-lookup secret an enrolment gives (nothing, on code that had none)."""
    import inspect

    return {"person_secret": b"\x5a" * 32} if "person_secret" in inspect.signature(CentreClient).parameters else {}

