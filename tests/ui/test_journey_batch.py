"""批量新办 through real touches on the real app, with the drive simulator's FAT image: the
problems shown, the marked-up sheet written back to the drive, the slip and the batch voucher
printed (printer simulator), the centre holding each person exactly once, and the same package
again adding nobody (tests/ui/batch_scenarios.batch_twice). Screenshots go to
docs/screenshots/batch-*.png (Chinese; the second visit's in English)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.domain.voucher import verify_payload
from kiosk.keys import read_key_file
from tests.batch.packages import CREDIT_CODE, adult
from tests.ui.conftest import REPO, run_scenario
from tests.ui.journey_rig import journey_rig

pytestmark = pytest.mark.ui

KEY = read_key_file(load_config(SIMULATOR_CONFIG).key_file)
DOCS = REPO / "docs" / "screenshots"
DOC_SHOTS = {  # docs/screenshots/<name>.png <- the journey's screenshot
    "batch-insert-drive": "card-first-01-insert-drive",
    "batch-problems": "card-first-02-problems",
    "batch-letter": "card-first-05-letter",
    "batch-submit": "card-first-06-submit",
    "batch-done": "card-first-07-done",
    "batch-problems-en": "card-again-02-problems",
    "batch-done-en": "card-again-07-done",
}


@pytest.fixture(scope="module")
def run(portrait_display, tmp_path_factory):
    work = tmp_path_factory.mktemp("batch")
    with journey_rig(work) as (rig, config):
        done = run_scenario("batch_twice", portrait_display, work, shots="journey-batch", config=config,
                            module="tests.ui.batch_scenarios")  # fmt: skip
        report = done.report
        for name, shot in DOC_SHOTS.items():
            shutil.copy2(done.out_dir / f"{shot}.png", DOCS / f"{name}.png")
        shutil.copy2(done.out_dir / "voucher-first.png", DOCS / "batch-voucher.png")
        db = sqlite3.connect(Path(rig.state_dir) / "centre" / "centre.sqlite3")
        db.row_factory = sqlite3.Row
        try:
            centre = {
                "batches": [dict(r) for r in db.execute("SELECT * FROM batches ORDER BY received_at")],
                "people": [dict(r) for r in db.execute("SELECT * FROM batch_people ORDER BY row")],
            }
        finally:
            db.close()
        jobs = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(rig.printer.jobs_dir.glob("job-*.json"))]
        return {"report": report, "centre": centre, "jobs": jobs}


def flat(lines: list[str]) -> str:
    return "".join("".join(lines).split())


def test_the_problem_is_shown_under_its_row_and_the_marked_sheet_is_on_the_drive(run):
    report = run["report"]
    [(heading, messages)] = report["first.problems_shown"]
    assert "第5行" in heading and any("电话" in m for m in messages)
    assert "/报盘/制卡明细表-问题标注.xlsx" in report["first.drive_files"]


def test_the_slip_and_the_batch_voucher_come_out_of_the_printer(run):
    slip, first, again = run["jobs"]
    assert "报盘问题清单" in flat(slip["lines"]) and adult(3).id_number not in "".join(slip["lines"])
    text = flat(first["lines"])
    [qr] = first["qr"]
    fields = verify_payload(qr["content"], KEY)
    assert fields["service"] == "batch_new" and fields["serial"] in text
    assert "批量业务凭证" in text and "本次提交2人" in text and "没有提交1人" in text and "96小时" in text
    assert CREDIT_CODE not in text and first["complete"] and first["cut"]
    again_text = flat(again["lines"])  # the handler read English this time: the voucher's resident part is English
    assert "Submittednow:0." in again_text and "2moreweresubmitted" in again_text and "窗口核对：批量新办" in again_text


def test_the_centre_holds_each_person_exactly_once_and_the_package_again_added_nobody(run):
    first, again = run["centre"]["batches"]
    people = run["centre"]["people"]
    assert [p["row"] for p in people] == [3, 4] and {p["batch_serial"] for p in people} == {first["batch_serial"]}
    assert (first["submitted"], first["left_out"], again["submitted"]) == (2, 1, 0)
    assert run["report"]["outbox"].count(["batch_application", "sent"]) == 2


def test_nothing_of_the_handler_stays_in_the_session(run):
    assert run["report"]["first.session_fields"] == [] and run["report"]["again.session_fields"] == []
    assert {shot: p for shot, p in run["report"]["first.problems"].items() if p} == {}
