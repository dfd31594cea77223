"""呼叫工作人员 through a real touch on the top bar: the centre simulator receives each press
exactly once, the relay simulator's light comes on, and the notice says staff are coming with
the outlet's phone; with the centre down it says so and still shows the phone.

Screenshots of the top bar and the notice (zh, en) go to docs/screenshots/.
"""

from __future__ import annotations

import shutil

import pytest
from PIL import Image

from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.domain.policy import load_policy
from tests.ui.conftest import REPO, run_scenario
from tests.ui.journey_rig import journey_rig
from tests.ui.voice_scenarios import sound_card

pytestmark = pytest.mark.ui

MODULE = "tests.ui.voice_scenarios"
DOCS = REPO / "docs" / "screenshots"
PHONE = load_policy(load_config(SIMULATOR_CONFIG).region).outlet(load_config(SIMULATOR_CONFIG).outlet_id).phone


@pytest.fixture(scope="module")
def called(portrait_display, tmp_path_factory):
    work = tmp_path_factory.mktemp("staff-call")
    with pytest.MonkeyPatch.context() as mp, journey_rig(work) as (rig, config):
        sound_card(mp, work)
        run = run_scenario("staff_call", portrait_display, work, shots="staff-call", config=config, module=MODULE)
        report = run.report
        calls = rig.centre.staff_calls.listed()
        light = rig.staff_signal.status()
    for name in ("staff-call-zh", "staff-call-en"):
        shutil.copy2(run.out_dir / f"{name}.png", DOCS / f"{name}.png")
    for lang in ("zh", "en"):  # the top bar alone, cut from a step screen
        shot = Image.open(run.out_dir / f"top-bar-{lang}.png")
        shot.crop((0, 0, shot.width, round(shot.height * 0.18))).save(DOCS / f"top-bar-{lang}.png")
    return {"report": report, "calls": calls, "light": light}


def test_each_press_reaches_the_centre_exactly_once(called):
    calls = called["calls"]
    assert len(calls) == 2  # two presses (Chinese, then English), two calls, no duplicate
    assert {c["screen"] for c in calls} == {"keypad"}
    assert all(c["outlet_id"] == "CS-01" and c["terminal_id"] == "T01" for c in calls)


def test_the_outlet_s_light_comes_on(called):
    assert called["light"]["light"] and called["light"]["calls"] >= 1 and called["light"]["bad_frames"] == 0


def test_the_notice_says_staff_are_coming_with_the_outlet_s_phone(called):
    zh = called["report"]["zh"]
    assert zh["title"] == "工作人员马上就来"
    assert PHONE in zh["phone"] and any(PHONE in t for t in zh["texts"])
    assert zh["light_on"] and zh["centre_has_it"]


def test_the_notice_is_spoken(called):
    assert any("工作人员马上就来" in text for text in called["report"]["heard"])


def test_ok_returns_to_the_step_the_resident_was_on(called):
    zh = called["report"]["zh"]
    assert zh["closed"] and zh["screen"] == "keypad" and zh["flow_waiting"]


def test_the_notice_in_english(called):
    texts = " ".join(called["report"]["en"]["texts"])
    assert "Staff are on their way" in texts and PHONE in texts


def test_offline_the_notice_says_so_and_shows_the_phone(portrait_display, tmp_path):
    with journey_rig(tmp_path) as (rig, config):
        rig.centre.down()
        run = run_scenario("staff_call_offline", portrait_display, tmp_path, shots="staff-call-offline", config=config, module=MODULE)
        notice = run.report["notice"]
        light = rig.staff_signal.light
    assert notice["coming"] and notice["offline_body"] and light
    assert "网络暂时不通" in notice["body"] and PHONE in notice["phone"]
    shutil.copy2(run.out_dir / "staff-call-offline-zh.png", DOCS / "staff-call-offline-zh.png")


def test_a_screen_that_says_find_staff_points_at_the_button(portrait_display, tmp_path):
    run = run_scenario("staff_button_where_staff_are_named", portrait_display, tmp_path, module=MODULE)
    assert run.report["emphasis"] == {"staff_named": True, "other": False}
