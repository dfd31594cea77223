"""The same rules on a landscape kiosk screen (1920x1080): relative sizes, nothing cut off."""

from __future__ import annotations

import pytest

from tests.ui.conftest import run_scenario
from tests.ui.rules import problems

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def landscape(landscape_display, tmp_path_factory):
    run = run_scenario(
        "layout", landscape_display, tmp_path_factory.mktemp("landscape"), shots="landscape", idle_timeout_s=6, idle_warning_s=4
    )
    return run.report


def test_window_fills_the_landscape_screen(landscape):
    assert landscape["window"] == [1920, 1080]


def test_landscape_text_is_large_enough(landscape):
    assert problems(landscape, "small_text") == {}


def test_landscape_buttons_are_at_least_120_px_tall(landscape):
    assert problems(landscape, "small_button") == {}


def test_landscape_text_stays_inside_its_box_and_the_screen(landscape):
    assert problems(landscape, "overflow") == {}


def test_landscape_strings_all_come_from_a_bilingual(landscape):
    assert problems(landscape, "untranslated") == {}
