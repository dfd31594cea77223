"""The step strip under the top bar (「第2步/共8步 · 证件」) and each step's own idle wait."""

from __future__ import annotations

import shutil

import pytest

from kiosk.config import load_config
from tests.ui.conftest import REPO, SCREENSHOTS, run_scenario

pytestmark = pytest.mark.ui


@pytest.fixture(scope="module")
def strip(portrait_display, tmp_path_factory):
    report = run_scenario(
        "step_strip", portrait_display, tmp_path_factory.mktemp("step-strip"), module="tests.ui.step_strip_scenarios"
    ).report
    for shot in ("step-strip-zh", "step-strip-en"):
        shutil.copy2(SCREENSHOTS / "step_strip" / f"{shot}.png", REPO / "docs" / "screenshots" / f"{shot}.png")
    return report


def test_the_strip_names_the_step_and_counts_the_plan(strip):
    assert strip["who"]["strip"] == "第1步/共8步 · 给谁办"
    assert strip["document"]["strip"] == "第2步/共8步 · 证件"
    assert strip["phone"]["strip"] == "第6步/共8步 · 手机号码"


def test_the_strip_follows_the_language(strip):
    assert strip["document_en"]["strip"] == "Step 2 of 8 · Document"


def test_no_strip_outside_a_service(strip):
    assert strip["home"]["strip_shown"] is False
    assert strip["after"]["strip_shown"] is False and strip["after"]["screen"] == "home"


def test_a_document_step_waits_longer_than_a_menu_and_typing_too(strip):
    idle = load_config().idle
    menu = strip["who"]["idle_timeout_s"]
    assert strip["home"]["idle_timeout_s"] == menu == load_config().idle_timeout_s
    assert strip["document"]["idle_timeout_s"] == idle.document_s > menu
    assert strip["phone"]["idle_timeout_s"] == idle.typing_s > menu
    assert strip["after"]["idle_timeout_s"] == menu


def test_the_screens_under_the_strip_still_fit(strip):
    assert {step: seen["problems"] for step, seen in strip.items() if seen["problems"]} == {}
