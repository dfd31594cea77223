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


# --- a USB keyboard, Kivy's settings and modules (issue 12, 2) ---------------------------

from tests.ui.lockdown_scenarios import ESCAPE_KEYS  # noqa: E402

# A Kivy config a technician (or an intruder) left in KIVY_HOME, and KCFG_* variables in the
# service's environment: neither may load a module or turn the screen.
PLANTED_CONFIG = """\
[kivy]
log_level = debug

[graphics]
rotation = 90

[modules]
inspector =
monitor =
recorder =
showborder =
"""
PLANTED_ENV = {"KCFG_MODULES_TOUCHRING": "", "KCFG_MODULES_MONITOR": "", "KCFG_GRAPHICS_ROTATION": "180"}


@pytest.fixture(scope="module")
def keyboard(portrait_display, tmp_path_factory, production_config):
    work = tmp_path_factory.mktemp("lockdown-keyboard")
    kivy_home = work / "data" / "kivy"
    kivy_home.mkdir(parents=True)
    (kivy_home / "config.ini").write_text(PLANTED_CONFIG, encoding="utf-8")
    run = run_scenario("lockdown_keys", portrait_display, work, module="tests.ui.lockdown_scenarios",
                       config=production_config, extra_env=PLANTED_ENV)  # fmt: skip
    return run.report, kivy_home


@pytest.fixture(scope="module")
def keyboard_fresh(portrait_display, tmp_path_factory):
    work = tmp_path_factory.mktemp("lockdown-keyboard-fresh")
    run = run_scenario("lockdown_keys", portrait_display, work, module="tests.ui.lockdown_scenarios")
    return run.report, work / "data" / "kivy"


def test_every_function_key_chord_and_kivy_shortcut_leaves_the_kiosk_unchanged(keyboard):
    report, _ = keyboard
    assert report["keys_pressed"] == [label for label, *_ in ESCAPE_KEYS]
    assert report["changed"] == {}
    assert report["after"] == report["before"]
    assert report["after"]["running"] and report["after"]["screen"] == "home"


def test_f1_opens_no_settings_panel(keyboard):
    report, _ = keyboard
    assert report["after"]["over_the_kiosk"] == []


def test_no_kivy_module_loads_from_config_ini_or_kcfg_variables(keyboard):
    report, _ = keyboard
    assert report["before"]["modules"] == [] and report["before"]["rotation"] == 0


def test_kivy_never_writes_its_config(keyboard, keyboard_fresh):
    _, planted_home = keyboard
    assert (planted_home / "config.ini").read_text(encoding="utf-8") == PLANTED_CONFIG
    _, fresh_home = keyboard_fresh
    assert not (fresh_home / "config.ini").exists()


def test_the_idle_wipe_closes_every_popup_and_panel(keyboard):
    report, _ = keyboard
    assert report["open_before_wipe"] == ["Label", "ModalView", "Popup"]
    assert report["after_wipe"]["over_the_kiosk"] == [] and report["after_wipe"]["screen"] == "attract"
