"""The review screen's 「修改」 and the photo that takes itself, on a real Kivy window with
real touches (scripts: tests/ui/review_photo_scenarios.py). Screenshots go to
artifacts/screenshots/review-photo/ and to docs/screenshots/review-*.png, photo-*.png."""

from __future__ import annotations

import shutil

import pytest

from kiosk.photo import guidance
from tests.ui.conftest import REPO, SCREENSHOTS, run_scenario
from tests.ui.review_photo_scenarios import NAME
from tests.ui.test_step_screens import RULES, camera_simulator, snapshots

pytestmark = pytest.mark.ui

MODULE = "tests.ui.review_photo_scenarios"
DOCS = REPO / "docs" / "screenshots"
DOC_SHOTS = {
    "review_change": ("review-zh", "review-en", "review-after-change-zh"),
    "photo_auto": ("photo-guidance-zh", "photo-countdown-zh", "photo-countdown-en", "photo-result-zh"),
}


def scenario(name: str, display, work) -> dict:
    report = run_scenario(name, display, work, shots=f"review-photo/{name}", module=MODULE).report
    DOCS.mkdir(parents=True, exist_ok=True)
    for shot in DOC_SHOTS[name]:
        shutil.copy2(SCREENSHOTS / "review-photo" / name / f"{shot}.png", DOCS / f"{shot}.png")
    return report


@pytest.fixture(scope="module")
def review(portrait_display, tmp_path_factory):
    return scenario("review_change", portrait_display, tmp_path_factory.mktemp("review"))["review"]


@pytest.fixture(scope="module")
def photo(portrait_display, tmp_path_factory):
    """The kiosk's real camera driver reading the camera simulator's MJPEG stream."""
    work = tmp_path_factory.mktemp("photo-auto")
    with camera_simulator(work):
        yield scenario("photo_auto", portrait_display, work)["photo_auto"]


# --- review ----------------------------------------------------------------------------


def test_review_shows_the_session_language_only(review):
    zh, en = dict(review["rows"]), dict(review["rows_en"])
    assert zh["办理业务"] == "申领社保卡" and en["Service"] == "Apply for a card"
    assert "Apply for a card" not in review["zh"]["texts"] and "申领社保卡" not in review["en"]["texts"]


def test_review_shows_a_typed_name_in_full_and_the_photo_as_a_thumbnail(review):
    rows = dict(review["rows"])
    assert rows["持卡人（您）"] == NAME
    assert rows["照片"] == "[photo]"
    thumb = review["thumbnail"]
    assert thumb["visible"] and thumb["texture"] == [358, 441] and thumb["size"][1] > 100


def test_review_offers_change_only_on_the_rows_the_flow_names(review):
    assert review["changeable"] == ["照片", "手机号码"]
    button = review["change_button"]
    assert button["visible"] and button["height"] >= 120


def test_change_goes_to_that_step_and_back_to_the_review_with_the_new_answer(review):
    assert review["step"]["screen"] == "keypad"
    assert dict(review["after"])["手机号码"] == "139****1111" and dict(review["rows"])["手机号码"] == "138****5678"
    assert review["walked"] is True and review["phone"] == "13900001111"


@pytest.mark.parametrize("rule", RULES)
def test_review_follows_the_rules(rule, review):
    seen = snapshots(review)
    assert len(seen) >= 3
    assert {where: s["problems"][rule] for where, s in seen.items() if rule in s["problems"]} == {}


# --- photo -----------------------------------------------------------------------------


def test_the_photo_says_where_the_camera_is_and_names_hats_and_glasses(photo):
    texts = "".join(photo["not_ready"]["texts"])
    assert "请看屏幕上方的摄像头 ↑" in texts and "帽子" in texts and "有色眼镜" in texts
    assert photo["not_ready"]["count"] == 0 and photo["not_ready"]["ready"] is False
    assert "上一步" in texts and "拍照" in texts  # the buttons are there before any picture passes


def test_the_photo_takes_itself_after_a_spoken_three_two_one(photo):
    assert photo["counting"]["count"] == 3 and "3" in photo["counting"]["texts"]
    assert photo["counting_en"]["count"] == 2 and "2" in photo["counting_en"]["texts"]
    assert photo["result"]["attempt"] is True and photo["result"]["previewing"] is False
    assert 2 * 2.5 <= photo["took_after_s"] <= 3 * 2.5 + 2.0  # three numbers of 2.5 s, then the shutter
    counted = [text for text in photo["heard"] if text.rstrip("。.! ").endswith(("三", "Two", "一"))]
    assert counted == ["很好，请保持不动。三。", "Two.", "一。"], photo["heard"]  # the language switched at two
    assert "使用这张" in photo["heard"][-1]  # and what to do next, once it is taken


def test_someone_stepping_in_during_the_count_stops_it(photo):
    stopped = photo["interrupted"]
    assert stopped["count"] == 0 and stopped["guidance"] == guidance.ONE_PERSON.zh
    assert stopped["stage_later"] == "live"


def test_the_manual_shutter_still_takes_the_photo_at_once(photo):
    assert photo["manual_count_when_taken"] == 0 and photo["answer"]["passed"] and photo["answer"]["jpeg"] > 10_000


@pytest.mark.parametrize("rule", RULES)
def test_photo_follows_the_rules(rule, photo):
    seen = snapshots(photo)
    assert len(seen) >= 4
    assert {where: s["problems"][rule] for where, s in seen.items() if rule in s["problems"]} == {}
