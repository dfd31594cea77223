"""The step screens of kiosk/flows/steps.py, asked through the shell's ScreenPort and
answered with real touches on a virtual display (scripts: tests/ui/steps_scenarios.py).

Screenshots of every screen in both languages land in artifacts/screenshots/steps/, and
the Chinese ones are copied to docs/screenshots/steps-<screen>.png.
"""

from __future__ import annotations

import contextlib
import shutil

import pytest

from kiosk.domain.policy import load_policy
from kiosk.photo import guidance
from kiosk.ui import theme
from tests.support.processes import start, stop, wait_for
from tests.ui.conftest import REPO, SCREENSHOTS, run_scenario
from tests.ui.scenarios import ID_NUMBER
from tests.ui.steps_scenarios import PIN

pytestmark = pytest.mark.ui

MODULE = "tests.ui.steps_scenarios"
DOCS = REPO / "docs" / "screenshots"
DOC_SHOTS = {  # docs/screenshots/steps-<screen>.png <- the scenario's Chinese screenshot
    "questions": {"choose": "choose-zh", "notice": "notice-error-zh", "wait": "wait-zh", "review": "review-zh", "done": "done-zh"},
    "typing": {"keypad": "keypad-zh", "pin_pad": "pin_pad-zh"},
    "signing": {"sign": "sign-zh"},
    "photo": {"photo": "photo-zh"},
}
RULES = ("untranslated", "small_text", "small_button", "overflow")


def scenario(name: str, display, work, **kwargs) -> dict:
    run = run_scenario(name, display, work, shots=f"steps/{name}", module=MODULE, **kwargs)
    report = run.report
    DOCS.mkdir(parents=True, exist_ok=True)
    for screen, shot in DOC_SHOTS.get(name, {}).items():
        shutil.copy2(SCREENSHOTS / "steps" / name / f"{shot}.png", DOCS / f"steps-{screen}.png")
    return report


def snapshots(value, where: str = "") -> dict[str, dict]:
    """Every screen snapshot anywhere in a report, by where it was recorded."""
    found = {}
    if isinstance(value, dict):
        if "problems" in value and "texts" in value:
            found[where] = value
        for key, inner in value.items():
            found.update(snapshots(inner, f"{where}/{key}"))
    return found


def flat(texts: list[str]) -> str:
    return "".join("".join(t.split()) for t in texts)


@pytest.fixture(scope="module")
def questions(portrait_display, tmp_path_factory):
    return scenario("questions", portrait_display, tmp_path_factory.mktemp("steps-questions"))


@pytest.fixture(scope="module")
def typing(portrait_display, tmp_path_factory):
    return scenario("typing", portrait_display, tmp_path_factory.mktemp("steps-typing"))


@pytest.fixture(scope="module")
def signing(portrait_display, tmp_path_factory):
    return scenario("signing", portrait_display, tmp_path_factory.mktemp("steps-signing"))


@contextlib.contextmanager
def camera_simulator(work):
    """The camera simulator serving the well-placed scene, for a scenario run in `work`."""
    sim_dir = work / "sim"
    sim_dir.mkdir()
    camera = start([str(REPO / ".venv/bin/kiosk"), "sim", "camera", "--scene", "white"], env={"KIOSK_SIM_DIR": str(sim_dir)})
    try:
        wait_for(lambda: (sim_dir / "camera.json").exists(), timeout=15, what="the camera simulator")
        yield
    finally:
        stop(camera)


@pytest.fixture(scope="module")
def photo(portrait_display, tmp_path_factory):
    """The kiosk's real camera driver reading the camera simulator's MJPEG stream."""
    work = tmp_path_factory.mktemp("steps-photo")
    with camera_simulator(work):
        yield scenario("photo", portrait_display, work)


@pytest.fixture(scope="module")
def landscape(landscape_display, tmp_path_factory):
    return scenario("landscape", landscape_display, tmp_path_factory.mktemp("steps-landscape"))


# --- choose --------------------------------------------------------------------------


def test_choose_answers_the_code_of_the_option_touched(questions):
    assert questions["choose_answer"] == {"expected": "CS-49", "answer": "CS-49"}
    assert questions["choose_short_answer"] == "bank-b"


def test_choose_back_answers_back(questions):
    assert questions["choose_back"] == "back"


def test_choose_shows_every_outlet_with_its_address(questions):
    outlets = load_policy("chongqing-changshou").outlets
    seen = questions["choose_outlets"]
    assert seen["buttons"] == len(outlets) == 49
    texts = flat(seen["zh"]["texts"])
    assert outlets[0].name in texts and outlets[0].address.replace(" ", "") in texts


def test_a_long_list_pages_down_to_its_last_option(questions):
    paging = questions["choose_paging"]
    assert paging["overflows"] is True
    assert (paging["up_enabled"], paging["down_enabled"]) == (False, True)  # at the top
    assert paging["scroll_after"] < paging["scroll_before"] and paging["up_enabled_after"] is True
    assert paging["at_bottom"] == 0 and paging["down_enabled_at_bottom"] is False
    assert questions["choose_last_visible"] is True


def test_a_short_list_has_no_page_buttons(questions):
    short = questions["choose_short"]
    assert short["overflows"] is False
    assert "往下翻" not in short["texts"] and "往上翻" not in short["texts"]


# --- notice --------------------------------------------------------------------------


def test_notice_tones_have_their_own_colours(questions):
    inks = {tone: tuple(seen["ink"]) for tone, seen in questions["notices"].items()}
    assert inks["error"] == theme.WARNING_RED
    assert inks["info"] == theme.NAVY
    assert len(set(inks.values())) == 3


def test_notice_answers_the_action_touched(questions):
    assert questions["notices"]["error"]["answer"] == "retry"


def test_notice_back_answers_back(questions):
    assert questions["notices"]["warning"]["answer"] == "back"
    assert questions["notices"]["info"]["answer"] == "back"


def test_notice_shows_back_once_when_the_flow_offers_it_as_an_action(questions):
    assert questions["notice_own_back"] == {"back_shown": False}
    assert questions["notice_own_back_answer"] == "back"


def test_notice_refuses_an_unknown_tone(questions):
    assert "loud" in questions["notice_bad_tone"]


# --- wait ----------------------------------------------------------------------------


def test_wait_draws_every_picture_with_its_text(questions):
    pictures = questions["wait"]["pictures"]
    assert set(pictures) == {"id_card", "card", "printer", "network", "camera"}
    for seen in pictures.values():
        assert "正在读卡" in seen["texts"]


def test_wait_dots_turn_while_shown_and_stop_when_left(questions):
    wait = questions["wait"]
    assert len(set(wait["lit"])) > 1 and wait["running"] is True
    assert questions["wait_left"] == {"running": False}


# --- review --------------------------------------------------------------------------


def test_review_shows_each_row_as_the_flow_gave_it(questions):
    rows = questions["review"]["rows"]
    assert rows[:3] == [["姓名", "张*丰"], ["身份证号码", "500115********1234"], ["手机号码", "138****5678"]]
    assert questions["review"]["en"]["texts"].count("Confirm") == 1


def test_review_confirm_answers_confirm_and_back_answers_back(questions):
    assert (questions["review_confirm"], questions["review_back"]) == ("confirm", "back")


def test_review_rows_are_gone_once_the_screen_is_left(questions):
    assert questions["review_after_leaving"] == []


# --- done ----------------------------------------------------------------------------


def test_done_ok_answers_ok(questions):
    assert questions["done_ok"] == "ok"


def test_done_answers_ok_by_itself_after_its_delay(questions):
    auto = questions["done_auto"]
    assert auto["answer"] == "ok"
    assert auto["after_s"] >= 1.5  # the scenario's delay: not before it
    assert auto["countdown"] == "本页 2 秒后自动关闭"


def test_done_shows_title_body_and_extra_lines(questions):
    texts = flat(questions["done"]["zh"]["texts"])
    assert "申领成功" in texts and "凭证号：CS01-T09-20261123-0001" in texts and "咨询电话：12333" in texts


# --- keypad --------------------------------------------------------------------------


def test_keypad_answers_the_typed_phone_number(typing):
    assert typing["phone_answer"] == "13800138000"


def test_keypad_shows_a_phone_number_grouped_3_4_4(typing):
    assert typing["phone"]["shown"] == "138 0013 8000"
    assert "138 001" in typing["phone"]["zh"]["texts"]


def test_keypad_takes_no_more_than_a_phone_numbers_11_digits(typing):
    assert typing["phone"]["full_key_disabled"] is True


def test_keypad_confirm_and_clear_wait_for_something_typed(typing):
    assert typing["phone"]["before"] == {"confirm_enabled": False, "clear_enabled": False}
    assert typing["phone"]["confirm_enabled"] is True


def test_keypad_shows_the_validate_error_instead_of_answering(typing):
    refused = typing["id_refused"]
    assert refused["done"] is False
    assert refused["error"] is not None and refused["error"] in refused["texts"]
    assert refused["error_after_delete"] is None  # typing again clears it
    assert typing["id_answer"] == ID_NUMBER


def test_keypad_allows_x_only_as_the_18th_character(typing):
    assert typing["id_refused"]["x_at_18"] is True
    x = typing["id_x"]
    assert x["x_disabled_at_start"] is True and x["answer"] == x["typed"] and x["typed"].endswith("X")


def test_text_keypad_types_latin_letters_and_takes_no_leading_space(typing):
    text = typing["text"]
    assert text["space_at_start_disabled"] is True
    assert text["shown"] == "ZHANG SAN-"
    assert text["after_clear"] == {"shown": "", "confirm_enabled": False}
    assert text["answer"] == "LI MING"


def test_keypad_back_answers_back_and_the_typed_text_is_forgotten_on_leaving(typing):
    assert typing["keypad_back"] == {"answer": "back", "after_leaving": {"shown": "", "typed": ""}}


# --- PIN pad -------------------------------------------------------------------------


def test_pin_keys_are_shuffled_each_time_the_pad_is_prepared(typing):
    first, second = typing["pin"]["layouts"]
    assert sorted(first) == sorted(second) == list("0123456789")
    assert first != second


def test_pin_answer_is_a_bytearray_of_the_touched_digits(typing):
    pin = typing["pin"]
    assert (pin["answer_type"], pin["answer"]) == ("bytearray", PIN)
    assert (pin["confirm_before"], pin["confirm_after"]) == (False, True)
    assert pin["digit_keys_disabled_when_full"] is True


def test_pin_buffer_is_zeroed_after_the_answer(typing):
    assert typing["pin"]["buffer_zeroed"] is True and typing["pin"]["count_after"] == 0


def test_pin_digits_show_only_as_dots(typing):
    pin = typing["pin"]
    assert pin["dots_filled"] == 6
    texts = pin["texts_when_full"]
    # Per text, not joined: the shuffled digit keys, joined, spell "135" one time in a few hundred.
    assert not any(PIN in t for t in texts) and not any(PIN[:3] in t for t in pin["zh"]["texts"])
    # Digits appear only as single key labels, never as typed text.
    assert [t for t in texts if t.isdigit() and len(t) > 1] == []


def test_pin_digits_are_wiped_on_clear_at_session_end_and_on_leaving(typing):
    wiped = typing["pin_wiped"]
    assert wiped["clear"] == wiped["session_clear"] == wiped["left"] == [0, False]
    assert wiped["cancelled"] is True


# --- sign ----------------------------------------------------------------------------


def test_signature_is_a_png_of_the_pad_with_the_ink_where_it_was_drawn(signing):
    sign = signing["sign"]
    assert sign["png_magic"] == "89504e470d0a1a0a"
    assert sign["png_size"] == sign["pad_size"]  # the pad only, no title or buttons
    assert sign["dark_pixels"] > 500
    assert sign["dark_in_upper_left"] / sign["dark_pixels"] > 0.95  # upright, not mirrored
    assert sign["white_share"] > 0.9  # black on white


def test_sign_confirm_waits_for_a_line_not_a_tap(signing):
    before = signing["sign"]["before"]
    assert before["confirm_enabled"] is False
    assert before["after_tap"] == {"confirm_enabled": False, "clear_enabled": True}
    assert signing["sign"]["confirm_enabled"] is True


def test_sign_clear_removes_the_ink_and_leaving_forgets_it(signing):
    cleared = signing["sign_clear"]
    assert cleared["had_ink"] is True and cleared["has_ink"] is False and cleared["confirm_enabled"] is False
    assert cleared["back"] == "back"
    assert cleared["after_leaving"] == {"strokes": 0, "has_ink": False}


# --- photo ---------------------------------------------------------------------------


def test_white_background_photo_can_be_taken_and_used(photo):
    live = photo["photo"]
    assert live["take_enabled"] is True and live["guidance"] == guidance.GOOD.zh
    assert live["result"]["picture_size"] == [358, 441]
    assert live["answer"] == {"type": "Attempt", "passed": True, "jpeg": live["answer"]["jpeg"]}
    assert live["answer"]["jpeg"] > 1000


def test_the_mirror_keeps_moving_and_stops_once_the_photo_is_taken(photo):
    live = photo["photo"]
    assert live["previews_per_s"] >= 1
    assert live["result"]["previewing"] is False and live["previewing_after"] is False


def test_grey_background_keeps_take_disabled_and_says_why(photo):
    grey = photo["photo_grey"]
    assert grey["take_ever_enabled"] is False
    assert guidance.WHITE_BACKGROUND.zh in grey["texts"]
    assert grey["stage"] == "live" and grey["done"] is False  # touching Take did nothing


def test_a_face_in_front_of_the_camera_keeps_the_session_alive_without_touches(photo):
    seen = photo["photo_presence"]
    assert seen["face_seen_left_s"] >= seen["timeout_s"] - 1  # two seconds untouched, yet the countdown restarted
    assert seen["nobody_left_s"] <= seen["timeout_s"] - 2  # nobody in view: the countdown runs


def test_retake_goes_back_to_the_live_mirror(photo):
    assert photo["photo_retake"] == {"stage": "live", "previewing": True, "attempt": False, "skip_shown": True}


def test_skip_is_offered_only_for_an_optional_photo(photo):
    assert photo["photo"]["skip_shown"] is False
    assert photo["photo_grey"]["answer"] == "skip"


def test_photo_screen_drops_the_pictures_when_left(photo):
    grey = photo["photo_grey"]
    assert grey["previewing_after"] is False
    assert grey["after_leaving"] == {"picture": False, "attempt": False}


# --- the rules for elderly residents, on every screen ------------------------------


@pytest.mark.parametrize("rule", RULES)
def test_portrait_step_screens_follow_the_rules(rule, questions, typing, signing, photo):
    seen = {}
    for name, report in (("questions", questions), ("typing", typing), ("signing", signing), ("photo", photo)):
        seen.update({f"{name}{where}": s for where, s in snapshots(report).items()})
    assert len(seen) > 20
    assert {where: s["problems"][rule] for where, s in seen.items() if rule in s["problems"]} == {}


@pytest.mark.parametrize("rule", RULES)
def test_landscape_step_screens_follow_the_rules(rule, landscape):
    assert landscape["window"] == [1920, 1080]
    seen = snapshots(landscape)
    assert len(seen) == 18  # nine screens, two languages
    assert {where: s["problems"][rule] for where, s in seen.items() if rule in s["problems"]} == {}


def test_every_step_screen_switches_language(questions, typing, signing, photo):
    for report in (questions, typing, signing, photo):
        for where, seen in snapshots(report).items():
            if where.endswith("/en"):
                assert seen["lang"] == "en"
                assert "Start" in seen["texts"] and "首页" not in seen["texts"], where
                assert "上一步" not in seen["texts"] and "确认" not in seen["texts"], where
