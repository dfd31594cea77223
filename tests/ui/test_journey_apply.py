"""The whole application, for each kind of applicant, through real touches on the real app.

Each journey runs the kiosk on a virtual display with every simulator beside it (ID reader
on a pty, camera over MJPEG, printer on a pty, centre over HTTP), then the tests look at what
came out the other ends: the printer simulator's job (serial, masked name and ID number, a
QR code the window can verify) and the centre simulator's store (exactly one application,
for the right person, with the right images). Screenshots: artifacts/screenshots/journey-apply/.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.domain.masking import mask_id_number, mask_name, mask_phone
from kiosk.domain.policy import load_policy
from kiosk.domain.voucher import verify_payload
from kiosk.keys import read_key_file
from kiosk.offline.outbox import ItemState, Outbox
from kiosk.printing.voucher_layout import NOT_UPLOADED
from kiosk.ui.demo_journey import ANOTHER_ADULT, MY_CHILD, MYSELF
from tests.flows import journeys
from tests.ui.conftest import SCREENSHOTS, run_scenario
from tests.ui.journey_rig import journey_rig

pytestmark = pytest.mark.ui

PEOPLE = journeys.people()
KEY = read_key_file(load_config(SIMULATOR_CONFIG).key_file)
OFFLINE_KEY = "offline"


@pytest.fixture(scope="module")
def journeys_run(portrait_display, tmp_path_factory):
    """Every journey at one kiosk (tests/ui/journey_scenarios.apply_all), and what came out."""
    work = tmp_path_factory.mktemp("journeys")
    with journey_rig(work) as (rig, config):
        run = run_scenario("apply_all", portrait_display, work, shots="journey-apply", config=config,
                           module="tests.ui.journey_scenarios")  # fmt: skip
        report = run.report
        jobs = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in rig.printer.jobs_dir.glob("job-*.json")}
        return {"report": report, "jobs": jobs, "centre": centre_rows(rig), "data": work / "data",
                "person_hash": rig.centre.store.person}  # keyed with this rig's person-lookup secret


def centre_rows(rig) -> list[dict]:
    conn = sqlite3.connect(Path(rig.state_dir) / "centre" / "centre.sqlite3")
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM applications ORDER BY reference")]
    finally:
        conn.close()


def the_voucher(run: dict, key: str) -> tuple[dict, dict, str]:
    """The job the printer simulator printed for journey `key`, its verified QR fields, its text without spaces."""
    job = run["jobs"][Path(run["report"][f"{key}.voucher"]["job"]).name]
    assert job["complete"] and job["cut"]
    [qr] = job["qr"]
    return job, verify_payload(qr["content"], KEY), "".join("\n".join(job["lines"]).split())


def the_application(run: dict, fields: dict) -> dict:
    """The centre's one application with this voucher's serial."""
    [row] = [r for r in run["centre"] if r["voucher_serial"] == fields["serial"]]
    assert row["service"] == "apply"
    return row


def test_each_journey_gave_the_centre_exactly_one_application(journeys_run):
    serials = [the_voucher(journeys_run, a.key)[1]["serial"] for a in (MYSELF, MY_CHILD, ANOTHER_ADULT)]
    serials.append(the_voucher(journeys_run, OFFLINE_KEY)[1]["serial"])
    assert sorted(r["voucher_serial"] for r in journeys_run["centre"]) == sorted(serials) and len(set(serials)) == 4


@pytest.mark.parametrize("applicant", [MYSELF, MY_CHILD, ANOTHER_ADULT], ids=lambda a: a.key)
def test_every_screen_of_the_journey_keeps_the_rules_for_elderly_residents(journeys_run, applicant):
    report = journeys_run["report"]
    problems = {shot: p for shot, p in report[f"{applicant.key}.problems"].items() if p}
    assert problems == {}
    assert report[f"{applicant.key}.session_fields"] == []  # the session was wiped at the end


def test_myself_the_voucher_is_signed_masked_and_the_centre_has_my_application(journeys_run):
    run = journeys_run
    person = PEOPLE[MYSELF.card]
    job, fields, text = the_voucher(run, MYSELF.key)
    assert fields["serial"] in text and fields["id_last4"] == person.id_number[-4:]
    assert mask_id_number(person.id_number) in text and mask_name(person.fields["name"]) in text
    assert person.id_number not in text and person.fields["name"] not in text
    assert NOT_UPLOADED.zh not in "\n".join(job["lines"])
    row = the_application(run, fields)
    assert row["person"] == run["person_hash"](person.id_number)
    assert {a["name"] for a in json.loads(row["attachments"])} == {"photo", "scene", "signature"}
    assert json.loads(row["pickup"]) == {"method": "on_site", "outlet_id": "CS-01"}


def test_myself_the_review_shows_everything_masked(journeys_run):
    rows = dict(journeys_run["report"]["self.review"])
    person = PEOPLE[MYSELF.card]
    values = "".join(rows.values())
    assert mask_id_number(person.id_number) in values and mask_phone(MYSELF.phone) in values
    assert person.id_number not in values and MYSELF.phone not in values and person.fields["name"] not in values


def test_a_guardian_for_a_child_without_photo_the_card_is_the_childs(journeys_run):
    run = journeys_run
    child = PEOPLE[MY_CHILD.card]
    _job, fields, text = the_voucher(run, MY_CHILD.key)
    assert mask_id_number(child.id_number) in text
    assert PEOPLE[MY_CHILD.helper].fields["name"] not in text
    row = the_application(run, fields)
    assert row["person"] == run["person_hash"](child.id_number)
    assert {a["name"] for a in json.loads(row["attachments"])} == {"signature"}  # no photo, no scene
    assert json.loads(row["pickup"]) == {"method": "outlet", "outlet_id": MY_CHILD.pickup[1]}
    collect_at = load_policy("chongqing-changshou").outlet(MY_CHILD.pickup[1])
    assert collect_at.name in text and "".join(collect_at.address.split()) in text


def test_a_proxy_for_an_adult_with_a_typed_passport(journeys_run):
    run = journeys_run
    _job, fields, text = the_voucher(run, ANOTHER_ADULT.key)
    _kind, number, name = ANOTHER_ADULT.typed
    assert "".join(mask_name(name).split()) in text and mask_id_number(number) in text and number not in text
    row = the_application(run, fields)
    assert row["person"] == run["person_hash"](number)
    assert json.loads(row["pickup"]) == {"method": "post", "outlet_id": "CS-01"}
    review = dict(run["report"]["proxy.review"])
    assert any("代办人" in label for label in review)


def test_the_typed_passport_holders_chinese_name_was_written_by_hand_and_sent(journeys_run):
    chars, _pinyin = ANOTHER_ADULT.chinese_name
    report = journeys_run["report"]
    assert report["handwritten.text"] == chars
    assert all(char in report[f"handwritten.{char}"][:8] for char in chars)
    with Outbox.open(journeys_run["data"], KEY) as outbox:
        bodies = [json.loads(outbox.cipher.open(blob, row=key, column="payload", kind=kind))
                  for key, kind, blob in outbox.db.execute("SELECT idempotency_key, kind, payload FROM outbox_items").fetchall()]  # fmt: skip
    [passport] = [b for b in bodies if b["applicant"]["id_kind"] == "passport"]
    assert passport["applicant"]["chinese_name"] == chars and passport["applicant"]["name"] == ANOTHER_ADULT.typed[2]


def test_centre_down_the_voucher_says_not_uploaded_and_the_kiosk_delivers_it_once_the_centre_is_back(journeys_run):
    run = journeys_run
    report = run["report"]
    job, fields, _text = the_voucher(run, OFFLINE_KEY)
    assert NOT_UPLOADED.zh in "\n".join(job["lines"])
    assert report["offline.state_before"] == "pending" and report["offline.item"]["serial"] == fields["serial"]
    the_application(run, fields)  # exactly one, delivered by the running kiosk's own sync worker
    with Outbox.open(run["data"], KEY) as outbox:
        states = {item.voucher_serial: item.state for item in outbox.items()}
    assert len(states) == 4 and set(states.values()) == {ItemState.SENT}


def test_the_screenshots_of_every_step_are_kept(journeys_run):
    shots = set(journeys_run["report"]["self.problems"]) | set(journeys_run["report"]["offline.problems"])
    kept = {p.stem.split("-", 1)[1] for p in (SCREENSHOTS / "journey-apply").glob("[0-9]*.png")}
    assert shots <= kept and (SCREENSHOTS / "journey-apply" / "voucher-self.png").exists()
