"""`kiosk queue …` run as a technician runs it: a subprocess on the terminal's data directory."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.offline.database import open_database
from kiosk.offline.outbox import ItemState, Kind, Outbox
from tests.centre.fixtures import KIOSK, unused_port
from tests.offline import people


def kiosk(*args: str, config: Path | None = None) -> subprocess.CompletedProcess:
    extra = ["--config", str(config)] if config else []
    return subprocess.run([KIOSK, "queue", *args, *extra], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


@pytest.fixture
def outbox():
    cfg = load_config()  # the simulator config; KIOSK_DATA_DIR (set per test) is its data dir
    from kiosk.keys import read_key_file

    box = Outbox.open(cfg.data_dir, read_key_file(cfg.key_file), cfg.outbox)
    yield box
    box.close()


def _config_with_centre(tmp_path: Path, url: str) -> Path:
    text = SIMULATOR_CONFIG.read_text(encoding="utf-8")
    text = text.replace('centre_url = "https://127.0.0.1:18470"', f'centre_url = "{url}"')
    text = text.replace('key_file = "simulator-terminal.key"', f'key_file = "{SIMULATOR_CONFIG.parent / "simulator-terminal.key"}"')
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    assert load_config(path).centre_url == url
    return path


def _rejected(outbox: Outbox) -> int:
    item = outbox.enqueue(Kind.APPLICATION, people.application(), voucher=people.voucher())
    outbox.reject(outbox.lease("w", 60), "centre 422 missing_field: applicant.name is required")
    return item.id


def test_status_of_an_empty_queue_is_ok(outbox):
    done = kiosk("status", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["counts"]["pending"] == 0


def test_status_counts_states_and_exits_1_when_staff_must_look(outbox):
    item_id = _rejected(outbox)
    outbox.enqueue(Kind.APPLICATION, people.application())
    done = kiosk("status", "--json")
    assert done.returncode == 1
    status = json.loads(done.stdout)
    assert status["counts"]["pending"] == 1 and status["counts"]["rejected"] == 1
    assert status["needs_staff"] == [item_id] and status["open_alerts"][0]["item_id"] == item_id
    human = kiosk("status").stdout
    assert "rejected 1" in human and "ALERT" in human


def test_list_shows_serials_but_no_personal_data(outbox):
    outbox.enqueue(Kind.APPLICATION, people.application(), attachments=[people.photo()], voucher=people.voucher())
    outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER, "phone": people.PHONE})
    human, as_json = kiosk("list"), kiosk("list", "--json")
    assert human.returncode == as_json.returncode == 0
    rows = json.loads(as_json.stdout)
    assert [r["kind"] for r in rows] == ["loss_report", "application"]
    assert rows[1]["voucher_serial"] == "CS01-T01-20261123-0007" and rows[1]["attachments"] == ["photo"]
    assert "CS01-T01-20261123-0007" in human.stdout
    for text in (human.stdout, as_json.stdout):
        for secret in (people.NAME, people.ID_NUMBER, people.PHONE, people.NAME[2:]):
            assert secret not in text


def test_retry_puts_a_rejected_item_back_in_the_queue(outbox):
    item_id = _rejected(outbox)
    done = kiosk("retry", str(item_id))
    assert done.returncode == 0, done.stderr
    assert outbox.item(item_id).state is ItemState.PENDING


def test_retry_of_a_pending_item_is_refused_with_the_reason(outbox):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    done = kiosk("retry", str(item.id), "999")
    assert done.returncode == 1
    assert "only dead or rejected" in done.stderr and "no outbox item 999" in done.stderr


def test_purge_of_dead_items_needs_confirmation(outbox):
    item_id = _rejected(outbox)
    done = kiosk("purge", "--dead")
    assert done.returncode == 2 and "--yes" in done.stderr
    assert outbox.item(item_id).state is ItemState.REJECTED


def test_purge_with_yes_deletes_dead_items_and_old_sent_ones(outbox):
    _rejected(outbox)
    kept = outbox.enqueue(Kind.APPLICATION, people.application())
    done = kiosk("purge", "--dead", "--yes", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"sent_pruned": 0, "dead_purged": 1}
    assert [i.id for i in outbox.items()] == [kept.id]


def test_voucher_prints_the_stored_fields_for_a_reprint(outbox):
    item = outbox.enqueue(Kind.APPLICATION, people.application(), voucher=people.voucher())
    done = kiosk("voucher", str(item.id), "--json")
    assert done.returncode == 0, done.stderr
    voucher = json.loads(done.stdout)["voucher"]
    assert voucher["serial"] == people.voucher().serial and voucher["uploaded"] is False
    assert voucher["holder_name"] == people.voucher().holder_name
    assert people.ID_NUMBER not in done.stdout


def test_voucher_of_an_item_without_one_says_so(outbox):
    item = outbox.enqueue(Kind.LOSS_REPORT, {"id_number": people.ID_NUMBER})
    done = kiosk("voucher", str(item.id))
    assert done.returncode == 1 and "has no voucher" in done.stderr


def test_sync_sends_what_is_due_to_the_configured_centre(outbox, centre, tmp_path):
    item = outbox.enqueue(Kind.APPLICATION, people.application(), attachments=[people.photo()])
    done = kiosk("sync", "--json", config=_config_with_centre(tmp_path, centre.url))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sent"] == 1
    assert outbox.item(item.id).state is ItemState.SENT
    assert len(centre.applications()) == 1


def test_sync_with_the_centre_unreachable_exits_offline(outbox, tmp_path):
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    done = kiosk("sync", config=_config_with_centre(tmp_path, f"http://127.0.0.1:{unused_port()}"))
    assert done.returncode == 6 and "cannot be reached" in done.stdout
    assert outbox.item(item.id).state is ItemState.PENDING


def test_queue_refuses_a_database_written_by_newer_software():
    db = open_database(os.environ["KIOSK_DATA_DIR"])
    db.execute("INSERT INTO schema_version VALUES (99, 'from the future', 0)")
    db.close()
    done = kiosk("status")
    assert done.returncode == 1 and "newer" in done.stderr and "never downgrade" in done.stderr
