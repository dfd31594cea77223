"""补领 · 换领 · 换发 through real touches on the real app: the five residents of issue 9 at one
kiosk (tests/ui/replace_scenarios.replace_journeys), and the reissue while the centre is down
(replace_centre_down). The tests look at what came out the other ends: the printed voucher
(verified QR, masked, the kind, the old card, the fee line) and the centre simulator's store
(exactly one application per resident, one loss report where there was one, in that order).
Screenshots: artifacts/screenshots/card-<journey>-NN-<step>.png.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from hwsim.card.profile import load_profile
from hwsim.centre.replacement import full_id_number
from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.domain.voucher import verify_payload
from kiosk.keys import read_key_file
from kiosk.printing.voucher_layout import NOT_UPLOADED
from tests.support.card import pcscd  # noqa: F401  (a fixture)
from tests.ui.card_rig import CardScenarios
from tests.ui.conftest import SCREENSHOTS
from tests.ui.journey_sample import require

pytestmark = [pytest.mark.ui, pytest.mark.pcsc]

KEY = read_key_file(load_config(SIMULATOR_CONFIG).key_file)
PERSON = {
    "reissue": full_id_number("50011519880220084"),
    "upgrade": load_profile("upgrade-gen2").social_security_number,
    "upgrade_fee": load_profile("upgraded-twice").social_security_number,
    "guardian": full_id_number("50011520160612023"),
    "replace_en": load_profile("gen3").social_security_number,
}
KIND = {"reissue": "reissue", "upgrade": "upgrade", "upgrade_fee": "upgrade", "guardian": "replace", "replace_en": "replace"}


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
                "person_hash": rig.centre.store.person,  # keyed with this rig's person-lookup secret
                "applications": [dict(r) for r in db.execute("SELECT * FROM applications ORDER BY reference")],
                "losses": [dict(r) for r in db.execute("SELECT * FROM events WHERE kind = 'loss_report' AND card_number = 'A00046802'")],
                "jobs": {p.name: json.loads(p.read_text(encoding="utf-8")) for p in rig.printer.jobs_dir.glob("job-*.json")},
            }  # fmt: skip
        finally:
            db.close()

    return CardScenarios(portrait_display, tmp_path_factory, "tests.ui.replace_scenarios", collect)


def the_voucher(run: dict, key: str) -> tuple[dict, str]:
    """Journey `key`'s printed voucher: its verified QR fields and its text without spaces."""
    job = run["jobs"][Path(run["report"][f"{key}.voucher"]["job"]).name]
    assert job["complete"] and job["cut"]
    [qr] = job["qr"]
    return verify_payload(qr["content"], KEY), "".join("\n".join(job["lines"]).split())


def flat(text: str) -> str:
    return "".join(text.split())


def applications_of(run: dict, key: str) -> list[dict]:
    return [a for a in run["applications"] if a["person"] == run["person_hash"](PERSON[key])]


@pytest.mark.parametrize("key", list(PERSON))
def test_each_resident_leaves_exactly_one_application_and_a_signed_voucher(kiosk, key):
    run = kiosk("replace_journeys")
    require(run["report"], key)
    fields, text = the_voucher(run, key)
    [app] = applications_of(run, key)
    assert app["service"] == KIND[key] == fields["service"] and app["voucher_serial"] == fields["serial"]
    assert PERSON[key] not in text and flat(NOT_UPLOADED.zh) not in text


@pytest.mark.parametrize("key", list(PERSON))
def test_every_screen_keeps_the_rules_for_elderly_residents(kiosk, key):
    report = kiosk("replace_journeys")["report"]
    require(report, key)
    assert {shot: p for shot, p in report[f"{key}.problems"].items() if p} == {}
    assert report[f"{key}.session_fields"] == []


def test_reissue_with_the_loss_report_in_the_same_visit(kiosk):
    run = kiosk("replace_journeys")
    require(run["report"], "reissue")
    [loss] = run["losses"]
    assert loss["card_number"] == "A00046802"
    _fields, text = the_voucher(run, "reissue")
    assert "补领" in text and "已在本次办理中挂失" in text and "*****6802" in text


def test_upgrade_of_a_2_00_card_is_free_and_the_voucher_says_what_happens_next(kiosk):
    run = kiosk("replace_journeys")
    require(run["report"], "upgrade")
    _fields, text = the_voucher(run, "upgrade")
    assert "换发" in text and "第2代社保卡*****4680" in text and "本次免费" in text
    assert "旧社保卡" in text and "医保账户余额自动转入新卡" in text and "电子社保卡" in text


def test_upgrade_after_two_third_generation_cards_carries_the_fee_line(kiosk):
    run = kiosk("replace_journeys")
    require(run["report"], "upgrade_fee")
    _fields, text = the_voucher(run, "upgrade_fee")
    assert "要交工本费" in text and "金额以窗口告知为准" in text and "交费或抵扣" in text


def test_a_guardian_replaces_a_childs_card_without_a_photo(kiosk):
    run = kiosk("replace_journeys")
    require(run["report"], "guardian")
    [app] = applications_of(run, "guardian")
    assert {a["name"] for a in json.loads(app["attachments"])} == {"signature"}
    assert any("监护人" in label for label in dict(run["report"]["guardian.review"]))


def test_replace_with_an_unreadable_card_in_english(kiosk):
    run = kiosk("replace_journeys")
    require(run["report"], "replace_en")
    titles = [s["title"] for s in run["report"]["replace_en.screens"]]
    assert "旧社保卡在身边吗？" in titles  # the old-card question was asked (titles are recorded in Chinese)
    _fields, text = the_voucher(run, "replace_en")
    assert "Generation3card*****1521" in text  # the resident's part in English
    assert "窗口核对：换领" in text  # and the window's short block in Chinese


def test_centre_down_the_loss_report_and_the_reissue_arrive_in_that_order_once_each(kiosk):
    run = kiosk("replace_centre_down")
    report = run["report"]
    assert report["reissue_offline.kinds_before"] == [["loss_report", "pending"], ["replacement", "pending"]]
    _fields, text = the_voucher(run, "reissue_offline")  # an English session: the window's block says it in Chinese
    assert flat(NOT_UPLOADED.en) in text and "尚未上传" in text and "12333" in text
    [loss] = run["losses"]
    [app] = run["applications"]
    assert app["service"] == "reissue" and loss["at"] <= app["received_at"]
