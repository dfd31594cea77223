"""A kiosk is not a desktop app: Escape and the close button do not end it."""

from __future__ import annotations

import pytest

from tests.ui.conftest import run_scenario

pytestmark = pytest.mark.ui

@pytest.fixture(scope="module")
def simulator(portrait_display, tmp_path_factory):
    return run_scenario("lockdown", portrait_display, tmp_path_factory.mktemp("lockdown-sim"), shots="lockdown-simulator").report


@pytest.fixture(scope="module")
def production(portrait_display, tmp_path_factory, production_config):
    work = tmp_path_factory.mktemp("lockdown-production")
    return run_scenario("lockdown", portrait_display, work, shots="lockdown-production", config=production_config).report


@pytest.mark.parametrize("terminal", ["simulator", "production"])
def test_escape_does_not_exit(terminal, request):
    report = request.getfixturevalue(terminal)
    assert report["escape"] == {"running": True, "screen": "home"}


@pytest.mark.parametrize("terminal", ["simulator", "production"])
def test_window_close_request_is_refused(terminal, request):
    report = request.getfixturevalue(terminal)
    assert report["close"] == {"running": True, "refused": 1}


def test_cursor_is_hidden_in_production(production):
    assert production["cursor_shown"] is False


def test_cursor_is_shown_on_a_simulator_terminal(simulator):
    assert simulator["cursor_shown"] is True


def test_technician_shortcut_quits_a_simulator_terminal(simulator):
    assert simulator["shortcut"] == {"stopped": True, "production": False}


def test_technician_shortcut_does_nothing_in_production(production):
    assert production["shortcut"] == {"stopped": False, "production": True}
