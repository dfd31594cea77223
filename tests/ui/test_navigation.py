"""The menu, touched through the real input path on a portrait kiosk screen."""

from __future__ import annotations

import pytest

from kiosk.domain.policy import load_policy
from kiosk.domain.services import GROUPS, SERVICES
from kiosk.ui import texts as T
from tests.ui.conftest import run_scenario
from tests.ui.rules import problems

pytestmark = pytest.mark.ui
POLICY = load_policy("chongqing-changshou")  # the shipped simulator config's region


@pytest.fixture(scope="module")
def navigation(portrait_display, tmp_path_factory):
    return run_scenario("navigation", portrait_display, tmp_path_factory.mktemp("navigation")).report


def test_window_fills_the_screen(navigation):
    assert navigation["window"] == [1080, 1920]


def test_touching_the_screen_leaves_attract_for_the_menu(navigation):
    assert navigation["attract"]["screen"] == "attract"
    assert navigation["home_zh"]["screen"] == "home"


def test_attract_screen_shows_anti_fraud_notice_place_and_touch_to_start(navigation):
    texts = "".join("".join(t.split()) for t in navigation["attract"]["texts"])
    for phrase in (POLICY.anti_fraud.zh, POLICY.name.zh, T.TOUCH_TO_START.zh):
        assert "".join(phrase.split()) in texts


def test_menu_lists_every_group_of_the_procedure(navigation):
    texts = navigation["home_zh"]["texts"]
    for group in GROUPS:
        assert group.title.zh in texts


def test_each_group_leads_to_its_own_screen(navigation):
    for group in GROUPS:
        seen = navigation["groups"][group.code]
        members = [s.code for s in SERVICES if s.group == group.code]
        if len(members) > 1:
            assert (seen["screen"], seen["group"]) == ("group", group.code)
        else:
            assert (seen["screen"], seen["service"]) == ("service_info", members[0])


def test_every_service_with_a_flow_starts_it_from_the_menu(navigation):
    kiosk_flows = [code for code in navigation["flows_registered"] if POLICY.service(code).where == "kiosk"]
    assert navigation["flows_started"] == [s.code for s in SERVICES if s.code in kiosk_flows]
    for code in kiosk_flows:
        assert navigation["services"][code]["flow"] == code


def test_every_service_without_a_flow_says_where_to_go_instead(navigation):
    assert set(navigation["services"]) == {s.code for s in SERVICES}
    for code, seen in navigation["services"].items():
        if seen["flow"]:
            continue
        rule = POLICY.service(code)
        assert seen["screen"] == "service_info" and seen["service"] == code
        assert seen["reason"] == ("window" if rule.where == "window" else "coming")
        title = T.WINDOW_TITLE if rule.where == "window" else T.COMING_TITLE
        flat = ["".join(t.split()) for t in seen["texts"]]
        assert "".join(title.zh.split()) in flat
        assert "".join(rule.guidance.zh.split()) in flat


def test_service_screens_show_the_hotline(navigation):
    hotline = T.HOTLINE.format(hotline=POLICY.contacts.hotline).zh
    for code, seen in navigation["services"].items():
        if not seen["flow"]:
            assert hotline in seen["texts"], code


def test_language_switch_changes_the_labels(navigation):
    zh, en = navigation["home_zh"], navigation["home_en"]
    assert (zh["lang"], en["lang"]) == ("zh", "en")
    assert T.CHOOSE_SERVICE.en in en["texts"] and T.CHOOSE_SERVICE.zh not in en["texts"]
    assert T.SWITCH_LANGUAGE.en in en["texts"]  # the toggle now offers 中文
    assert navigation["home_back_to_zh"]["texts"] == zh["texts"]


def test_service_screen_in_english_shows_english_guidance(navigation):
    seen = navigation["service_en"]
    flat = ["".join(t.split()) for t in seen["texts"]]
    assert "".join(POLICY.service("unlock").guidance.en.split()) in flat
    assert T.WINDOW_TITLE.en in seen["texts"]


def test_every_visible_string_comes_from_a_bilingual(navigation):
    assert problems(navigation, "untranslated") == {}


def test_text_is_large_enough_for_elderly_residents(navigation):
    assert problems(navigation, "small_text") == {}


def test_buttons_are_at_least_120_px_tall(navigation):
    assert problems(navigation, "small_button") == {}


def test_no_text_overflows_its_box_or_the_screen(navigation):
    assert problems(navigation, "overflow") == {}


def test_chinese_glyphs_render_with_the_project_font(navigation):
    glyphs = navigation["glyphs"]
    # Kivy's own Roboto draws every Han character as the same empty box ...
    assert glyphs["roboto_same"] is True
    # ... the project's default font draws two characters differently, and not as boxes.
    assert glyphs["project_same"] is False
    assert glyphs["project_differs_from_roboto"] is True
