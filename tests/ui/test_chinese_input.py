"""The Chinese input screen and the address picker on the real app, through real touches
(scripts: tests/ui/chinese_input_scenarios.py). Screenshots go to docs/screenshots/."""

from __future__ import annotations

import shutil

import pytest

from kiosk.text_input.composer import DROPPED, EMPTY
from tests.ui.conftest import REPO, SCREENSHOTS, run_scenario

pytestmark = pytest.mark.ui

MODULE = "tests.ui.chinese_input_scenarios"
DOCS = REPO / "docs" / "screenshots"
DOC_SHOTS = {
    "chinese_input": ["chinese-input-handwriting-zh", "chinese-input-handwriting-en", "chinese-input-pinyin-zh", "chinese-input-pinyin-en"],
    "address_picker": ["address-picker-zh", "address-picker-en", "address-rest-zh"],
}
RULES = ("untranslated", "small_text", "small_button", "overflow")


def scenario(name: str, display, work, **kwargs) -> dict:
    report = run_scenario(name, display, work, shots=f"chinese-input/{name}", module=MODULE, **kwargs).report
    for shot in DOC_SHOTS.get(name, []):
        shutil.copy2(SCREENSHOTS / "chinese-input" / name / f"{shot}.png", DOCS / f"{shot}.png")
    return report


@pytest.fixture(scope="module")
def writing(portrait_display, tmp_path_factory):
    return scenario("chinese_input", portrait_display, tmp_path_factory.mktemp("chinese-input"))


@pytest.fixture(scope="module")
def address(portrait_display, tmp_path_factory):
    return scenario("address_picker", portrait_display, tmp_path_factory.mktemp("address-picker"))


@pytest.fixture(scope="module")
def idle(portrait_display, tmp_path_factory):
    return scenario("chinese_input_idle", portrait_display, tmp_path_factory.mktemp("chinese-idle"), idle_timeout_s=6, idle_warning_s=2)


def test_a_handwritten_character_comes_first_or_second(writing):
    assert "王" in writing["first_candidates"][:2]
    assert writing["after_pick"]["written"] == "王" and writing["after_pick"]["strokes"] == 0
    assert writing["after_second"]["written"] == "王明"


def test_the_written_name_is_the_answer(writing):
    assert writing["name_answer"] == "王明"


def test_stroke_outside_the_pad_writes_nothing(writing):
    assert writing["outside_stroke"]["strokes"] == 0 and writing["outside_stroke"]["written"] == "王明"


def test_delete_takes_one_character_back(writing):
    assert writing["after_delete"]["written"] == "王"


def test_empty_pad_cannot_be_done(writing):
    assert writing["empty_done"]["message"] == EMPTY.zh
    assert writing["empty_back"] == "back"


def test_pinyin_whole_syllable_gives_the_surname(writing):
    assert "张" in writing["pinyin_candidates"][:3]
    assert writing["pinyin_answer"] == "张"


def test_over_the_character_limit_is_refused(writing):
    assert writing["over_limit"]["written"] == "李" and writing["over_limit"]["message"] == "已经写满1个字了。"
    assert writing["over_limit_answer"] == "李"


def test_character_the_font_cannot_draw_is_left_out_with_a_message(writing):
    assert writing["undrawable"]["written"] == "王" and writing["undrawable"]["message"] == DROPPED.zh


@pytest.mark.parametrize("shot", ["handwriting", "pinyin"])
def test_the_screen_keeps_the_rules_for_elderly_residents_in_both_languages(writing, shot):
    for lang in ("zh", "en"):
        problems = writing[shot][lang]["problems"]
        assert {k: v for k, v in problems.items() if k in RULES} == {}, (shot, lang, problems)


def test_address_street_picked_and_rest_handwritten(address):
    assert address["street_buttons"] == 19
    assert address["rest_written"]["written"] == "新村路"
    assert address["address"] == "重庆市长寿区凤城街道新村路"
    assert address["rest_params"]["limit"] == 60 - len("重庆市长寿区凤城街道")


def test_walking_away_wipes_the_strokes_and_the_text(idle):
    assert idle["before"]["written"] == "王" and idle["before"]["strokes"] == 1
    assert idle["after"]["written"] == "" and idle["after"]["strokes"] == 0
    assert idle["after"]["composer_text"] == "" and idle["after"]["ink"] == 0


def test_the_demo_writes_the_chinese_name_with_the_pinyin_keys(portrait_display, tmp_path_factory):
    from kiosk.ui.demo_journey import ANOTHER_ADULT

    report = scenario("demo_pinyin", portrait_display, tmp_path_factory.mktemp("demo-pinyin"))
    assert report["demo_pinyin"] == ANOTHER_ADULT.chinese_name[0]


@pytest.fixture(scope="module")
def landscape(landscape_display, tmp_path_factory):
    return scenario("chinese_input_layout", landscape_display, tmp_path_factory.mktemp("chinese-landscape"))


@pytest.mark.parametrize("mode", ["handwriting", "pinyin"])
def test_on_a_landscape_screen_the_rules_hold_and_the_pad_stays_large(landscape, mode):
    for lang in ("zh", "en"):
        problems = landscape[mode][lang]["problems"]
        assert {k: v for k, v in problems.items() if k in RULES} == {}, (mode, lang, problems)
    assert min(landscape["pad"]) >= 400
