"""The idle timeout on the real app: the countdown, what survives it and what does not."""

from __future__ import annotations

import json
import shutil

import pytest

from kiosk.ui import texts as T
from tests.ui.conftest import REPO, SCREENSHOTS, run_scenario
from tests.ui.scenarios import ID_NUMBER, NAME, PHONE

pytestmark = pytest.mark.ui

TIMEOUT_S, WARNING_S = 4, 3


@pytest.fixture(scope="module")
def expiry(portrait_display, tmp_path_factory):
    run = run_scenario(
        "idle_expiry", portrait_display, tmp_path_factory.mktemp("idle-expiry"), idle_timeout_s=TIMEOUT_S, idle_warning_s=WARNING_S
    )
    report = run.report
    report["stderr"] = run.stderr
    shutil.copy2(SCREENSHOTS / "idle_expiry" / "idle-countdown.png", REPO / "docs" / "screenshots" / "idle-warning-en.png")
    return report


@pytest.fixture(scope="module")
def still_there(portrait_display, tmp_path_factory):
    run = run_scenario(
        "idle_continue", portrait_display, tmp_path_factory.mktemp("idle-continue"), idle_timeout_s=TIMEOUT_S, idle_warning_s=WARNING_S
    )
    report = run.report
    shutil.copy2(SCREENSHOTS / "idle_continue" / "countdown.png", REPO / "docs" / "screenshots" / "idle-warning-zh.png")
    return report


def test_countdown_appears_before_the_timeout_and_says_how_long(expiry):
    countdown = expiry["countdown"]
    assert countdown["screen"] == "service_info"  # still where the resident was
    assert countdown["after_s"] < TIMEOUT_S
    assert T.CONTINUE.en in countdown["texts"]  # the resident had switched to English
    shown = [t for t in countdown["texts"] if t.startswith("Returning to the start in")]
    assert len(shown) == 1 and 1 <= int(shown[0].split()[-2]) <= WARNING_S


def test_the_warning_beeps_says_what_is_lost_and_counts_down_in_the_top_bar(expiry):
    countdown = expiry["countdown"]
    assert countdown["chimes"] == 1
    assert T.IDLE_CLEARS.en in countdown["texts"]  # 「已填内容会清除」, in the language chosen
    assert countdown["top_bar"].endswith("s left") and 1 <= int(countdown["top_bar"].split()[0]) <= TIMEOUT_S


def test_the_warning_is_spoken_with_what_is_lost(expiry):
    spoken = expiry["countdown_spoken"]  # what was handed to the speaker (tests/ui/test_voice.py: the sound)
    assert T.IDLE_QUESTION.en in spoken and T.IDLE_CLEARS.en in spoken


def test_idle_timeout_returns_to_the_attract_screen(expiry):
    assert expiry["after"]["screen"] == "attract"
    assert expiry["after"]["overlay_shown"] is False


def test_idle_timeout_clears_the_session(expiry):
    assert expiry["before"]["session_fields"] == ["id_number", "photo"]
    assert expiry["after"]["session_fields"] == []
    assert expiry["after"]["photo_zeroed"] is True


def test_idle_timeout_blanks_every_field_that_showed_personal_data(expiry):
    assert (expiry["before"]["typed"], expiry["before"]["shown"]) == (PHONE, NAME)
    # "typed" was read after an undo: the typing history is gone as well.
    assert (expiry["after"]["typed"], expiry["after"]["shown"]) == ("", "")


def test_idle_timeout_resets_the_language_to_the_default(expiry):
    assert expiry["before"]["lang"] == "en"
    assert expiry["after"]["lang"] == expiry["after"]["default_lang"] == "zh"


def test_a_language_switched_on_the_attract_screen_resets_when_left_alone(expiry):
    assert expiry["attract_language"] == {"switched_to": "en", "screen": "attract", "lang": "zh"}


def test_idle_timeout_cancels_the_flow_and_its_device_wait(expiry):
    after = expiry["after"]
    assert after["flow_cancelled"] is True and after["flow_running"] is None
    # The driver's wait (up to 30 s) was woken by the cancel token, not by its own timeout.
    assert after["device_wait_cancelled"] is True and after["device_wait_s"] < 20


def test_no_personal_data_reaches_the_log(expiry):
    assert ID_NUMBER not in expiry["stderr"]
    assert "session ended: idle timeout" in expiry["stderr"]


def test_the_audit_trail_has_the_wipe_and_the_end_of_the_session(expiry):
    journal = [json.loads(line.split(" kiosk.audit: ", 1)[1]) for line in expiry["stderr"].splitlines() if " kiosk.audit: " in line]
    ends = [(e["event"], e["fields"]) for e in journal if e["event"] in ("session-wiped", "session-ended")]
    assert ends[:2] == [("session-wiped", {"count": 2}), ("session-ended", {"reason": "idle-timeout"})]
    assert ID_NUMBER not in json.dumps(journal, ensure_ascii=False)


def test_touching_keeps_the_countdown_away(still_there):
    touching = still_there["touching"]
    assert touching["touched_for_s"] > TIMEOUT_S
    assert touching["countdown_seen"] is False and touching["screen"] == "group"


def test_continue_during_countdown_keeps_the_session(still_there):
    after = still_there["continue"]
    assert after["overlay_shown"] is False
    assert after["screen"] == "group"
    assert after["session_fields"] == ["phone"]


def test_a_touch_on_the_countdown_backdrop_keeps_the_session_and_presses_nothing(still_there):
    after = still_there["scrim"]
    assert after["overlay_shown"] is False
    assert after["screen"] == "group"  # the Back button under the backdrop was not pressed
    assert after["session_fields"] == ["phone"]
