"""Kivy must be told everything before it is imported; the kiosk refuses to start otherwise."""

from __future__ import annotations

import subprocess
import sys

from tests.ui.conftest import REPO

EARLY_IMPORT = """
import kivy
from kiosk.ui.bootstrap import TooLate, prepare_environment
try:
    prepare_environment(__import__("pathlib").Path(r"{data}"))
except TooLate as exc:
    print("refused:", exc)
"""


def test_kivy_imported_before_the_environment_is_refused(tmp_path):
    env = {"KIVY_HOME": str(tmp_path / "kivy"), "KIVY_NO_ARGS": "1", "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", EARLY_IMPORT.format(data=tmp_path / "data")], env=env, capture_output=True, text=True, timeout=60
    )
    assert "refused: Kivy was imported before the kiosk prepared its environment" in done.stdout, done.stderr


def test_multisampling_is_on_unless_the_terminal_says_gl_runs_on_the_cpu():
    from kiosk.ui.bootstrap import default_multisamples

    assert default_multisamples({}) == 2
    assert default_multisamples({"KIOSK_MULTISAMPLES": "0"}) == 0
    assert default_multisamples({"KIOSK_MULTISAMPLES": "4"}) == 4
    for nonsense in ("", "3", "-1", "two", "0 "):
        assert default_multisamples({"KIOSK_MULTISAMPLES": nonsense}) == 2, nonsense


def test_the_kiosk_window_takes_the_terminals_multisampling(monkeypatch):
    from kiosk.ui.bootstrap import WindowPlan

    monkeypatch.setenv("KIOSK_MULTISAMPLES", "0")
    assert WindowPlan(fullscreen=True).multisamples == 0
    monkeypatch.delenv("KIOSK_MULTISAMPLES")
    assert WindowPlan(fullscreen=True).multisamples == 2
