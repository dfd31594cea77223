"""The virtual display the demo and these tests run on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.ui.display import VirtualDisplay

pytestmark = pytest.mark.ui


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/status").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()


def test_xvfb_picks_a_free_display_and_is_stopped_by_pid():
    with VirtualDisplay(640, 480) as display:
        pid = display.pid
        number = display.name.lstrip(":")
        assert alive(pid)
        assert Path(f"/tmp/.X11-unix/X{number}").exists()
    assert not alive(pid)


def test_two_displays_get_different_numbers():
    with VirtualDisplay(640, 480) as one, VirtualDisplay(640, 480) as two:
        assert one.name != two.name
