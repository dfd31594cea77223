"""信息变更 through real touches on the real app (tests/ui/info_change_scenarios): the address
(street picked, the rest written on the pad) and the phone by ID card in
Chinese, the phone by card and PIN in English after asking about key data. The tests look at
what came out the other ends: the centre simulator's store (exactly one change per journey,
the record as changed) and the printed vouchers (verified QR, masked).
Screenshots: artifacts/screenshots/card-info_change*-NN-<step>.png.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from hwsim.card.profile import load_profile
from tests.support.card import pcscd  # noqa: F401  (a fixture)
from tests.ui.card_rig import CardScenarios, card_rig
from tests.ui.conftest import SCREENSHOTS, run_scenario
from tests.ui.info_change_scenarios import HANDWRITTEN, PHONE_EN, PHONE_ZH
from tests.ui.test_journey_replace import the_voucher  # the same printed job, QR verified

pytestmark = [pytest.mark.ui, pytest.mark.pcsc]

HOLDER = load_profile("gen3").social_security_number  # 王芳: the ID card holder-gen3 and the gen3 card
JOURNEYS = ("info_change", "info_change_en")
IDLE_S = 8  # the idle timeout of the walk-away scenario; every step before it is a touch


@pytest.fixture(scope="module")
def kiosk(portrait_display, tmp_path_factory, pcscd):  # noqa: F811
    def collect(_scenario: str, rig, done) -> dict:
        for png in done.out_dir.glob("card-*.png"):
            shutil.copy2(png, SCREENSHOTS / png.name)
        db = sqlite3.connect(Path(rig.state_dir) / "centre" / "centre.sqlite3")
        db.row_factory = sqlite3.Row
        try:
            return {
                "report": done.report,
                "changes": [dict(r) for r in db.execute("SELECT * FROM contact_changes ORDER BY reference")],
                "contact": dict(db.execute("SELECT * FROM contacts WHERE person = ?", [rig.centre.store.person(HOLDER)]).fetchone()),
                "jobs": {p.name: json.loads(p.read_text(encoding="utf-8")) for p in rig.printer.jobs_dir.glob("job-*.json")},
            }  # fmt: skip
        finally:
            db.close()

    return CardScenarios(portrait_display, tmp_path_factory, "tests.ui.info_change_scenarios", collect)


def test_the_centre_receives_exactly_one_change_per_journey(kiosk):
    run = kiosk("info_change_journeys")
    changes = run["changes"]
    assert [(json.loads(c["changed"]), c["identified_by"]) for c in changes] == [
        (["address", "phone"], "id_card"),
        (["phone"], "card_and_pin"),
    ]
    assert [json.loads(c["attachments"]) for c in changes] == [["signature"], ["signature"]]


def test_the_address_written_by_hand_is_what_the_centre_keeps(kiosk):
    run = kiosk("info_change_journeys")
    assert run["report"]["info_change.written"] == "中华路"
    assert run["contact"]["address"] == "重庆市长寿区凤城街道中华路"
    assert run["contact"]["phone"] == PHONE_EN  # the second journey's, after the first's


@pytest.mark.parametrize("key", JOURNEYS)
def test_each_voucher_is_signed_and_masked(kiosk, key):
    run = kiosk("info_change_journeys")
    fields, text = the_voucher(run, key)
    assert fields["service"] == "info_change"
    assert fields["serial"] in {c["voucher_serial"] for c in run["changes"]}
    assert HOLDER not in text and PHONE_ZH not in text and PHONE_EN not in text and "中华路" not in text


def test_the_record_was_masked_until_the_holder_asked(kiosk):
    report = kiosk("info_change_journeys")["report"]
    masked = "".join(report["info_change.record_masked"])
    assert "13987654321" not in masked and "139****4321" in masked


@pytest.mark.parametrize("key", JOURNEYS)
def test_every_screen_keeps_the_rules_for_elderly_residents(kiosk, key):
    report = kiosk("info_change_journeys")["report"]
    assert {shot: p for shot, p in report[f"{key}.problems"].items() if p} == {}
    assert report[f"{key}.session_fields"] == []


@pytest.fixture(scope="module")
def walked_away(portrait_display, tmp_path_factory, pcscd):  # noqa: F811
    work = tmp_path_factory.mktemp("info_change_idle")
    with card_rig(work) as (rig, config):
        run = run_scenario("walk_away_mid_address", portrait_display, work, config=config,
                           module="tests.ui.info_change_scenarios", idle_timeout_s=IDLE_S, idle_warning_s=3)  # fmt: skip
        db = sqlite3.connect(Path(rig.state_dir) / "centre" / "centre.sqlite3")
        try:
            changes = db.execute("SELECT count(*) FROM contact_changes").fetchone()[0]
        finally:
            db.close()
    return run.report, changes


def test_walking_away_mid_address_wipes_the_pad_the_text_and_the_session(walked_away):
    report, changes = walked_away
    before, after = report["before"], report["after"]
    assert before["written"] == HANDWRITTEN[:2] and before["strokes"] > 0 and before["session_fields"]
    assert (after["written"], after["letters"], after["strokes"], after["session_fields"]) == ("", "", 0, [])
    assert after["outbox"] == 0 and changes == 0
