"""长辈模式 through real touches on the real app (scripts: tests/ui/elder_scenarios.py).

The toggle on the home and attract screens, the idle wipe back to the standard mode, then a
new-card application and a reissue in the simpler mode with every simulator beside the kiosk
(the card behind the real pcscd). At every step: what the kiosk said (captured from its
speaker) is the screen's own words, no text is below 48 px and no screen offers more than
four choices. The staff button is pressed once and the centre simulator must have the call.
Screenshots: docs/screenshots/home-{standard,elder}-{zh,en}.png and attract.png.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk.config import SIMULATOR_CONFIG, load_config
from kiosk.ui.mode import MAX_CHOICES, MORE, TURN_OFF, TURN_ON
from tests.support.card import pcscd  # noqa: F401  (a fixture)
from tests.ui.card_rig import CardScenarios
from tests.ui.conftest import REPO, SCREENSHOTS
from tests.ui.voice_scenarios import sound_card

pytestmark = [pytest.mark.ui, pytest.mark.pcsc, pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")]

DOCS = REPO / "docs" / "screenshots"
DOC_SHOTS = ("attract", "home-standard-zh", "home-standard-en", "home-elder-zh", "home-elder-en")
MIN_ELDER_PX = 48
CONFIG = load_config(SIMULATOR_CONFIG)


@pytest.fixture(scope="module")
def kiosk(portrait_display, tmp_path_factory, pcscd):  # noqa: F811
    def collect(_scenario: str, rig, done) -> dict:
        (SCREENSHOTS / "elder-report.json").write_text(json.dumps(done.result, ensure_ascii=False, indent=1), encoding="utf-8")
        for shot in DOC_SHOTS:
            shutil.copy2(done.out_dir / f"{shot}.png", DOCS / f"{shot}.png")
        for png in done.out_dir.glob("*.png"):
            shutil.copy2(png, SCREENSHOTS / f"elder-{png.name}" if not png.name.startswith("card-") else SCREENSHOTS / png.name)
        return {"report": done.report, "staff_calls": rig.centre.staff_calls.listed(),
                "jobs": [json.loads(p.read_text(encoding="utf-8")) for p in sorted(rig.printer.jobs_dir.glob("job-*.json"))]}  # fmt: skip

    return CardScenarios(portrait_display, tmp_path_factory, "tests.ui.elder_scenarios", collect)


@pytest.fixture(scope="module")
def report(kiosk, tmp_path_factory) -> dict:
    with pytest.MonkeyPatch.context() as mp:
        sound_card(mp, tmp_path_factory.mktemp("elder-sound"))  # what the kiosk plays goes to a file
        return kiosk("elder_journeys")["report"]


def journey_steps(report: dict) -> list[dict]:
    return report["apply.steps"] + report["reissue.steps"]


def test_the_attract_screen_offers_the_toggle_in_both_languages_as_words(report):
    attract = report["attract"]
    assert attract["toggle"] == TURN_ON.zh and TURN_ON.zh in "".join(attract["texts"])
    assert attract["problems"] == {}


def test_the_toggle_on_the_home_screen_turns_the_mode_on_and_off(report):
    standard, simpler = report["home-standard-zh"], report["home-elder-zh"]
    assert (standard["mode"], simpler["mode"]) == ("standard", "simpler")
    assert TURN_ON.zh in standard["texts"] and TURN_OFF.zh in simpler["texts"]
    assert report["off_again"]["mode"] == "standard" and report["off_again"]["idle_s"] == CONFIG.idle_timeout_s


def test_the_simpler_mode_gives_more_time_by_the_configured_multiplier(report):
    assert report["idle_after_toggle_s"] == pytest.approx(CONFIG.idle_timeout_s * CONFIG.elder.timeout_multiplier)


def test_the_idle_wipe_returns_to_the_standard_mode(report):
    wiped = report["after_wipe"]
    assert wiped["mode"] == "standard" and wiped["idle_s"] == CONFIG.idle_timeout_s and wiped["theme_body"] < MIN_ELDER_PX


def test_the_toggle_on_the_attract_screen_starts_in_the_simpler_mode(report):
    assert report["from_attract"] == {"mode": "simpler", "screen": "home"}
    assert report["mode_after_apply"] == report["mode_after_reissue"] == "simpler"  # it lasts the visit


@pytest.mark.parametrize("shot", ["home-elder-zh", "home-elder-en"])
def test_simpler_home_has_large_text_and_at_most_four_choices(report, shot):
    home = report[shot]
    assert home["smallest_px"] >= MIN_ELDER_PX and len(home["choices"]) <= MAX_CHOICES
    assert home["problems"] == {}


def test_simpler_home_pages_reach_every_residents_tile_and_come_back_round(report):
    pages = report["home-elder-pages"]
    tiles = [code for page in pages for code in page["tiles"]]
    assert len(pages) > 1 and all(len(p["choices"]) <= MAX_CHOICES for p in pages)
    assert {"new_card", "replace", "activate", "loss", "query", "window_only"} <= set(tiles) and "batch" not in tiles
    assert report["home-elder-pages-wrap"] == pages[0]["tiles"]


def test_standard_home_keeps_every_tile_and_the_employer_link_below(report):
    choices = report["home-standard-zh"]["choices"]
    assert choices.count("EmployerLink") == 1 and choices.count("GroupTile") >= 8
    assert MORE.zh not in report["home-standard-zh"]["texts"]


@pytest.mark.parametrize("journey", ["apply", "reissue"])
def test_every_step_of_the_journey_has_text_of_48_px_or_more(report, journey):
    small = {s["step"]: s["smallest_px"] for s in report[f"{journey}.steps"] if s["smallest_px"] < MIN_ELDER_PX}
    assert small == {}


@pytest.mark.parametrize("journey", ["apply", "reissue"])
def test_every_step_of_the_journey_offers_at_most_four_choices(report, journey):
    many = {s["step"]: s["choices"] for s in report[f"{journey}.steps"] if len(s["choices"]) > MAX_CHOICES}
    assert many == {}


@pytest.mark.parametrize("journey", ["apply", "reissue"])
def test_every_step_of_the_journey_was_spoken_with_its_own_words(report, journey):
    steps = report[f"{journey}.steps"]
    unheard = {s["step"]: (s["prompt"], s["heard"]) for s in steps if not s["prompt"] or s["heard"] != s["prompt"]}
    assert unheard == {}
    assert all(s["mode"] == "simpler" for s in steps)


def test_the_spoken_prompts_say_what_each_step_asks(report):
    said = {s["step"]: s["heard"] for s in journey_steps(report)}
    assert "给谁办卡" in said["who"]
    assert "银行" in said["bank"]
    assert "手机" in said["phone"]
    assert "核对" in said["review"]
    assert "签" in said["sign"]
    assert "还没有挂失" in said["not-yet-lost"] or "挂失" in said["not-yet-lost"]


@pytest.mark.parametrize("journey", ["apply", "reissue"])
def test_every_step_of_the_journey_keeps_the_screen_rules(report, journey):
    assert {shot: p for shot, p in report[f"{journey}.problems"].items() if p} == {}
    assert report[f"{journey}.session_fields"] == []


def test_the_staff_button_once_reaches_the_centre_simulator(kiosk, report):
    call = report["staff_call"]
    assert call["centre_has_it"] and call["light_on"]
    assert any("工作人员" in text for text in call["heard"])
    assert call["smallest_px"] >= MIN_ELDER_PX
    assert len(kiosk("elder_journeys")["staff_calls"]) == 1


def test_both_journeys_printed_a_voucher(kiosk, report):
    jobs = kiosk("elder_journeys")["jobs"]
    assert len([j for j in jobs if j["complete"] and j["cut"]]) >= 2


def test_the_readme_screenshots_were_taken(report):
    for shot in DOC_SHOTS:
        assert Path(DOCS / f"{shot}.png").stat().st_size > 10_000
