"""Maintenance mode through real touches on the real app (tests/ui/maintenance_scenarios.py):
the staff card and its PIN on the shuffled pad open it, a slip that ran out of paper
mid-print shows as the printer out of paper, the staff refill and the test voucher comes out
of the printer simulator, the outbox's dead item is retried from the screen and reaches the
centre simulator, and every entry and action is in the audit trail. Screenshots go to
docs/screenshots/maintenance-*.png."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.keys import read_key_file
from kiosk.offline.outbox import ItemState, Kind, Outbox
from kiosk.printing.voucher_layout import TEST_WARNING
from tests.support.card import pcscd  # noqa: F401  (a fixture)
from tests.ui.card_rig import card_rig
from tests.ui.conftest import REPO, run_scenario

pytestmark = [pytest.mark.ui, pytest.mark.pcsc]

DOCS = REPO / "docs" / "screenshots"
DOC_SHOTS = {  # docs/screenshots/<name>.png <- the journey's screenshot
    "maintenance-home-printing-closed": "card-maintenance-02-home-printing-closed",
    "maintenance-attract-entry": "card-maintenance-03-attract-staff-entry",
    "maintenance-staff-card": "card-maintenance-04-insert-staff-card",
    "maintenance-dashboard": "card-maintenance-06-dashboard",
    "maintenance-test-voucher": "card-maintenance-07-test-voucher-printed",
    "maintenance-dead-items": "card-maintenance-08-dead-items",
    "maintenance-dashboard-after": "card-maintenance-10-dashboard-after",
}
DEAD_REASON = "centre unreachable: connection refused"


def flat(text: str) -> str:
    return "".join(text.split())


def seed_dead_item(data_dir: Path, config_path: Path) -> int:
    """A PIN-change record that used up its attempts while the centre was away, in the kiosk's own outbox."""
    cfg = load_config(config_path)
    with Outbox.open(data_dir, read_key_file(cfg.key_file), cfg.outbox) as outbox:
        payload = {"card_number": "C50011521", "changed_at": "2026-12-03T09:00:00+08:00", "terminal_id": cfg.terminal_id}
        item = outbox.enqueue(Kind.PIN_CHANGE_RECORD, payload)
        while outbox.item(item.id).state is not ItemState.DEAD:
            outbox.due_now()
            outbox.fail(outbox.lease("test", 60), DEAD_REASON)
        return item.id


@pytest.fixture(scope="module")
def run(portrait_display, tmp_path_factory, pcscd):  # noqa: F811
    work = tmp_path_factory.mktemp("maintenance")
    with card_rig(work) as (rig, config):
        (work / "data").mkdir(parents=True, exist_ok=True)
        item_id = seed_dead_item(work / "data", config)
        done = run_scenario("maintenance_journey", portrait_display, work, shots="maintenance", config=config,
                            module="tests.ui.maintenance_scenarios", watch_devices=True)  # fmt: skip
        for name, shot in DOC_SHOTS.items():
            shutil.copy2(done.out_dir / f"{shot}.png", DOCS / f"{name}.png")
        shutil.copy2(done.out_dir / "maintenance-test-voucher.png", DOCS / "maintenance-test-voucher-print.png")
        db = sqlite3.connect(Path(rig.state_dir) / "centre" / "centre.sqlite3")
        db.row_factory = sqlite3.Row
        try:
            events = [dict(r) for r in db.execute("SELECT * FROM events WHERE kind = 'pin_change'")]
        finally:
            db.close()
        jobs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(rig.printer.jobs_dir.glob("job-*.json"))]
        audit_file = work / "data" / "audit.jsonl"
        audit = [json.loads(line) for line in audit_file.read_text().splitlines()] if audit_file.exists() else []
        return {"report": done.report, "events": events, "jobs": jobs, "item_id": item_id, "audit": audit, "work": work}


def test_the_slip_ran_out_of_paper_mid_print_and_the_resident_was_told(run):
    slip = run["jobs"][0]
    assert not slip["complete"], "the paper ended in the middle of the slip"
    assert any("纸" in text for text in run["report"]["resident.paper_out_notice"])


def test_home_marks_the_services_that_print_closed_once_the_paper_is_out(run):
    home = run["report"]["home.tiles_paper_out"]
    closed = {group for group, tile in home.items() if tile["availability"] == "closed_printer"}
    assert closed and all(home[group]["closed"] and home[group]["reason"] for group in closed)
    assert not all(tile["closed"] for tile in home.values()), "what needs no printer stays open"


def test_after_the_refill_printing_services_open_again(run):
    after = run["report"]["home.tiles_after"]
    assert not any(tile["availability"] == "closed_printer" for tile in after.values())


def test_staff_card_and_pin_open_maintenance_showing_the_printer_out_of_paper(run):
    rows = dict(run["report"]["dashboard.rows"])
    assert "缺纸" in rows["凭证打印机"]
    assert rows["未能送达"] == "1"
    actions = run["report"]["dashboard.actions"]
    assert actions[:2] == ["paper-refilled", "outbox-retry-dead"]


def test_after_the_refill_the_test_voucher_comes_out_of_the_printer(run):
    voucher = run["jobs"][-1]
    assert voucher["complete"] and voucher["cut"]
    assert TEST_WARNING.zh in "".join(voucher["lines"])
    assert any("测试凭证已打印" in text for text in run["report"]["refill.notice"])


def test_the_dead_item_retried_from_the_screen_reaches_the_centre(run):
    assert flat(DEAD_REASON) in flat("".join(run["report"]["dead.options"]))  # the screen wraps long lines
    assert [e["card_number"] for e in run["events"]] == ["C50011521"]
    rows = dict(run["report"]["dashboard_after.rows"])
    assert rows["未能送达"] == "0" and "纸充足" in rows["凭证打印机"]


def test_leaving_maintenance_returns_to_the_attract_screen(run):
    assert run["report"]["left_to"] == "attract"


def test_every_staff_entry_and_action_is_in_the_audit_trail(run):
    staff = [(line["event"], line["fields"]) for line in run["audit"] if line["event"].startswith("staff-")]
    assert staff == [
        ("staff-entry", {"outcome": "accepted", "staff": "S0042"}),
        ("staff-action", {"action": "paper-refilled", "staff": "S0042"}),
        ("staff-action", {"action": "test-voucher", "staff": "S0042"}),
        ("staff-action", {"action": "outbox-retry-dead", "staff": "S0042", "count": 1}),
        ("staff-action", {"action": "maintenance-left", "staff": "S0042", "reason": "left"}),
    ]


def test_staff_screens_follow_the_screen_rules(run):
    """Staff screens may be denser, not smaller or clipped: every rule resident screens keep."""
    shots = run["report"]["maintenance.problems"]
    assert len(shots) >= 8
    assert {name: found for name, found in shots.items() if found} == {}
