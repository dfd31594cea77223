"""The result screen: how far it got, the next action in the largest text, and a warning
while the ID card is still on the reader (scripts: tests/ui/done_scenarios.py)."""

from __future__ import annotations

import shutil

import pytest

from kiosk.flows import result
from kiosk.screens.done import CARD_LEFT
from tests.ui.conftest import REPO, SCREENSHOTS, run_scenario

pytestmark = pytest.mark.ui

DOC_SHOTS = ("done-zh", "done-en", "done-card-left-zh")


@pytest.fixture(scope="module")
def done(portrait_display, tmp_path_factory):
    report = run_scenario(
        "done_with_card_left", portrait_display, tmp_path_factory.mktemp("done"), module="tests.ui.done_scenarios"
    ).report
    for shot in DOC_SHOTS:
        shutil.copy2(SCREENSHOTS / "done_with_card_left" / f"{shot}.png", REPO / "docs" / "screenshots" / f"{shot}.png")
    return report


def flat(texts: list[str]) -> str:
    return "".join("".join(t.split()) for t in texts)


def test_an_application_is_sent_with_one_more_step_not_all_done(done):
    texts = flat(done["card_taken"]["texts"])
    assert "申请已提交，还差一步" in texts and "办好了" not in texts


def test_the_next_action_is_the_largest_text(done):
    sizes = done["sizes"]
    assert sizes["next_action"] > max(size for name, size in sizes.items() if name != "next_action")
    assert "".join(result.NEXT_BY_PICKUP["on_site"][1].zh.split()) in flat(done["card_taken"]["texts"])


def test_an_id_card_left_on_the_reader_is_shown_and_said(done):
    assert "".join(CARD_LEFT.zh.split()) in flat(done["card_left"]["texts"])
    assert CARD_LEFT.zh in done["card_left"]["spoken"]


def test_the_warning_goes_once_the_card_is_taken(done):
    assert "".join(CARD_LEFT.zh.split()) not in flat(done["card_taken"]["texts"])


def test_the_warning_follows_the_language(done):
    assert any(CARD_LEFT.en.split(":")[0] in t for t in done["done"]["en"]["texts"])


def test_ok_still_answers_ok(done):
    assert done["answer"] == "ok"
