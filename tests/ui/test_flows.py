"""Services with a flow: the home screen starts it, the flow talks through screens."""

from __future__ import annotations

import pytest

from kiosk.ui import texts as T
from tests.ui.conftest import run_scenario
from tests.ui.scenarios import ID_NUMBER

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def flows(portrait_display, tmp_path_factory):
    run = run_scenario("flows", portrait_display, tmp_path_factory.mktemp("flows"))
    report = run.report
    report["stderr"] = run.stderr
    return report


def test_a_service_with_a_flow_starts_it(flows):
    assert flows["asking"] == {"running": "activate", "session_fields": ["card_number"]}


def test_the_flow_gets_the_residents_answer_and_its_end_clears_the_session(flows):
    assert flows["answered"] == {
        "accepted": True,
        "answer": "yes",
        "finished": True,
        "session_fields": [],
        "running": None,
    }


def test_a_failed_flow_says_so_and_keeps_nothing(flows):
    failed = flows["failed"]
    assert (failed["screen"], failed["service"], failed["reason"]) == ("service_info", "info_change", "failed")
    assert T.FAILED_TITLE.zh in failed["texts"]
    assert failed["session_fields"] == []


def test_a_failed_flow_is_logged_without_the_id_number(flows):
    assert "flow info_change failed" in flows["stderr"]
    assert ID_NUMBER not in flows["stderr"]


def test_start_button_cancels_the_running_flow(flows):
    assert flows["left"] == {"cancelled": True, "session_fields": [], "screen": "home"}


def test_a_window_only_service_never_starts_a_flow(flows):
    assert flows["window_only"] == {"running": None, "reason": "window"}


def test_a_flow_asking_for_a_missing_step_ends_on_the_failure_screen(flows):
    assert flows["missing_step"] == {"service": "status_query", "reason": "failed", "running": None}


def test_a_broken_screen_is_left_out_and_the_rest_still_load(flows):
    assert flows["discovery"] == {"screens": ["fine_step", "unfriendly"], "broken": ["bad_import", "bad_layout"]}
