"""The card services through the real app with real touches, the card behind the real pcscd.

Two runs of the kiosk on a virtual display (tests/ui/card_scenarios.py): every service's
main path, one resident after another; and the centre-offline paths of the loss report
and the PIN reset. The tests look at what each screen showed and at what came out the
other ends: the card simulator's chips, the centre simulator's records, the printer's jobs.
Screenshots: artifacts/screenshots/card-*.png.
"""

from __future__ import annotations

import json
import shutil

import pytest

from hwsim.card.profile import load_profile
from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.domain.voucher import verify_payload
from kiosk.flows import activate, centre_calls, loss_report, on_behalf, pin_change, pin_entry, pin_reset, window_guidance
from kiosk.keys import read_key_file
from kiosk.printing.voucher_layout import NOT_UPLOADED
from tests.support.card import pcscd  # noqa: F401  (a fixture)
from tests.flows.card_rig import people
from tests.ui.card_rig import CardScenarios
from tests.ui.conftest import SCREENSHOTS

pytestmark = [pytest.mark.ui, pytest.mark.pcsc]

KEY = read_key_file(load_config(SIMULATOR_CONFIG).key_file)


@pytest.fixture(scope="module")
def kiosk(portrait_display, tmp_path_factory, pcscd):  # noqa: F811
    def collect(scenario: str, rig, done) -> dict:
        keep_screenshots(scenario, done.out_dir)
        return {
            "report": done.report,
            "person_hash": rig.centre.store.person,  # keyed with this rig's person-lookup secret
            "chips": {name: chip.state() | {"pin": chip.pin} for name, chip in rig.card.chips.items()},
            "cards": {row["card_number"]: row["status"] for row in rig.centre.store._db.execute("SELECT * FROM cards")},
            "events": [dict(row) for row in rig.centre.store._db.execute("SELECT kind, card_number, proxy FROM events")],
            "jobs": [json.loads(p.read_text(encoding="utf-8")) for p in sorted(rig.printer.jobs_dir.glob("job-*.json"))],
            "stderr": done.stderr,
        }

    return CardScenarios(portrait_display, tmp_path_factory, "tests.ui.card_scenarios", collect)


def keep_screenshots(scenario: str, out) -> None:
    """card-*.png straight into artifacts/screenshots/, where people look for them."""
    shutil.rmtree(SCREENSHOTS / scenario, ignore_errors=True)
    for png in out.glob("card-*.png"):
        shutil.copy2(png, SCREENSHOTS / png.name)


def titles(report: dict, key: str) -> list[str | None]:
    return [s["title"] for s in report[f"{key}.screens"]]


def last_text(report: dict, key: str) -> str:
    """The last screen's text without the line breaks the labels wrap it at."""
    return flat("".join(report[f"{key}.last"]["texts"]))


def flat(text: str) -> str:
    return "".join(text.split())


SERVICES = ["activate", "blocked", "pin_change", "pin_reset", "loss_report", "loss_by_proxy", "loss_cancel", "status_query", "status_query_en"]


@pytest.mark.parametrize("key", SERVICES)
def test_every_screen_keeps_the_rules_for_elderly_residents(kiosk, key):
    report = kiosk("card_services")["report"]
    assert {shot: p for shot, p in report[f"{key}.problems"].items() if p} == {}
    assert report[f"{key}.session_fields"] == []  # nothing of the resident is left once the service ends


def test_activate_sets_an_own_pin_and_the_centre_switches_the_card_on(kiosk):
    run = kiosk("card_services")
    new = load_profile("not-activated")
    assert run["cards"][new.card_number] == "active"
    assert run["chips"]["not-activated"]["pin"] == "246813"
    assert activate.OWN_PIN.zh in titles(run["report"], "activate")
    text = last_text(run["report"], "activate")
    assert flat(activate.MEDICAL_BALANCE.zh) in text and flat(activate.E_CARD.zh) in text


def test_a_blocked_pin_shows_the_window_guidance_and_prints_the_slip(kiosk):
    run = kiosk("card_services")
    assert titles(run["report"], "blocked") == [window_guidance.PIN_LOCKED.zh]
    slip = flat("".join(run["jobs"][0]["lines"]))
    assert "社保卡解锁" in slip and "12333" in slip


def test_reset_unblocks_the_card_with_the_centres_block(kiosk):
    run = kiosk("card_services")
    chip = run["chips"]["pin-blocked"]
    assert chip["pin"] == "860417" and not chip["pin_blocked"]
    assert flat(pin_reset.RESET.zh) in last_text(run["report"], "pin_reset")


def test_pin_change_refuses_an_easy_pin_then_changes_it_on_the_card(kiosk):
    run = kiosk("card_services")
    assert pin_entry.PIN_NOT_ALLOWED.zh in titles(run["report"], "pin_change")
    assert run["chips"]["gen3"]["pin"] == "860417"
    assert flat(pin_change.CHANGED.zh) in last_text(run["report"], "pin_change")


def test_the_pin_pad_never_shows_a_digit_typed(kiosk):
    report = kiosk("card_services")["report"]
    for key in ("activate", "pin_change", "pin_reset"):
        for screen in report[f"{key}.screens"]:
            if screen["screen"] == "pin_pad":
                assert not any(pin in text for text in screen["texts"] for pin in ("123456", "246813", "860417"))


def test_loss_report_is_sent_and_the_voucher_is_masked_and_signed(kiosk):
    run = kiosk("card_services")
    gen3 = load_profile("gen3")
    [voucher] = [job for job in run["jobs"] if job["qr"]][:1]
    fields = verify_payload(voucher["qr"][0]["content"], KEY)
    assert fields["service"] == "loss_report" and fields["id_last4"] == gen3.social_security_number[-4:]
    text = flat("".join(voucher["lines"]))
    assert gen3.social_security_number not in text and gen3.holder_name not in text and flat(NOT_UPLOADED.zh) not in text
    assert flat(loss_report.REPORTED.zh) in last_text(run["report"], "loss_report")
    review = dict(run["report"]["loss_report.review"])
    assert gen3.social_security_number not in "".join(review.values())


def test_a_proxy_reports_someone_elses_card_lost_with_both_id_cards(kiosk):
    run = kiosk("card_services")
    gen1 = load_profile("gen1")
    proxy = people()["resident"]
    assert run["cards"][gen1.card_number] == "reported_lost"
    [event] = [e for e in run["events"] if e["kind"] == "loss_report" and e["card_number"] == gen1.card_number]
    assert event["proxy"] == run["person_hash"](proxy.id_number)
    review = dict(run["report"]["loss_by_proxy.review"])
    shown = review[on_behalf.PROXY_ROW.zh]
    assert shown.startswith(proxy.fields["name"][0] + "*") and proxy.id_number not in shown
    [voucher] = [j for j in run["jobs"] if j["qr"] and verify_payload(j["qr"][0]["content"], KEY)["id_last4"] == gen1.social_security_number[-4:]]
    text = flat("".join(voucher["lines"]))
    assert "代办人" in text and proxy.id_number not in text and proxy.fields["name"] not in text
    assert titles(run["report"], "loss_by_proxy")[0] == on_behalf.WHOSE_CARD.zh


def test_loss_cancel_with_the_card_and_pin_restores_the_card(kiosk):
    run = kiosk("card_services")
    assert run["cards"][load_profile("reported-lost").card_number] == "active"


def test_status_query_by_card_shows_the_card_reported_lost_just_before(kiosk):
    run = kiosk("card_services")
    text = last_text(run["report"], "status_query")
    assert f"尾号{load_profile('gen3').card_number[-4:]}：已挂失" in text


def test_status_query_in_english_is_in_english(kiosk):
    text = last_text(kiosk("card_services")["report"], "status_query_en")
    assert "reportedlost" in text and "Generation3card" in text


def test_offline_loss_report_is_queued_names_12333_and_is_delivered_once_the_centre_is_back(kiosk):
    run = kiosk("card_services_offline")
    report = run["report"]
    assert loss_report.QUEUED.zh in titles(report, "loss_offline")
    assert "12333" in last_text(report, "loss_offline")
    voucher = flat("".join(run["jobs"][0]["lines"]))
    assert flat(NOT_UPLOADED.zh) in voucher and "12333" in voucher
    assert report["loss_offline.state_before"] == "pending"
    assert run["cards"][load_profile("gen3").card_number] == "reported_lost"


def test_offline_pin_reset_says_the_centre_is_needed_before_anything_is_typed(kiosk):
    run = kiosk("card_services_offline")
    report = run["report"]
    assert titles(report, "reset_offline") == [centre_calls.CENTRE_OFFLINE.zh]
    assert run["chips"]["pin-blocked"]["pin_blocked"]


@pytest.mark.parametrize("key", ["loss_offline", "reset_offline"])
def test_offline_screens_keep_the_rules_for_elderly_residents(kiosk, key):
    report = kiosk("card_services_offline")["report"]
    assert {shot: p for shot, p in report[f"{key}.problems"].items() if p} == {}


def test_no_id_number_or_pin_reaches_the_kiosks_log(kiosk):
    for scenario in ("card_services", "card_services_offline"):
        stderr = kiosk(scenario)["stderr"]
        for profile in ("gen3", "not-activated", "pin-blocked", "reported-lost"):
            assert load_profile(profile).social_security_number not in stderr
        assert "860417" not in stderr and "246813" not in stderr
