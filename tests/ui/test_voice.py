"""The kiosk speaks (语音播报): each screen's own words, aloud, in the session's language.

The app runs on a virtual display with espeak-ng and SDL's "disk" audio driver, which writes
what the kiosk plays to a file instead of a sound card: the tests read that file, and the
speaker's renderings, for sound (never by listening). Without the driver (this machine has
no sound card) the kiosk must run silently and say why.
"""

from __future__ import annotations

import shutil

import pytest

from kiosk.voice.sound import loudness_of
from tests.ui.conftest import run_scenario
from tests.ui.journey_rig import journey_rig
from tests.ui.voice_scenarios import NAME, STEPS, sound_card

pytestmark = [pytest.mark.ui, pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")]

MODULE = "tests.ui.voice_scenarios"


@pytest.fixture(scope="module")
def spoken(portrait_display, tmp_path_factory):
    work = tmp_path_factory.mktemp("voice")
    with pytest.MonkeyPatch.context() as mp:
        played = sound_card(mp, work)
        with journey_rig(work) as (_rig, config):
            run = run_scenario("voice_steps", portrait_display, work, shots="voice", config=config, module=MODULE)
            report = run.report
    return {"report": report, "played": played.read_bytes() if played.exists() else b""}


EVERY_SCREEN = ["home", "group", "service_info", *STEPS, "wait"]


@pytest.mark.parametrize("screen", EVERY_SCREEN)
def test_each_screen_is_heard_saying_its_own_words(spoken, screen):
    seen = spoken["report"]["screens"][screen]
    assert seen["screen"] == screen
    assert seen["prompt"], f"{screen} has nothing to say"
    assert seen["heard"] is not None, f"{screen}: {seen['prompt']!r} was never played"
    assert seen["heard"]["language"] == "zh"


@pytest.mark.parametrize("screen", EVERY_SCREEN)
def test_each_prompt_s_audio_is_speech_not_silence(spoken, screen):
    heard = spoken["report"]["screens"][screen]["heard"]
    assert heard and not heard["silent"] and heard["seconds"] > 0.5


@pytest.mark.parametrize("screen", list(STEPS))
def test_a_step_s_prompt_is_its_title_and_instruction(spoken, screen):
    prompt = spoken["report"]["screens"][screen]["prompt"]
    params = STEPS[screen]
    assert params["title"].zh in prompt
    for key in ("body", "hint", "note", "statement"):
        if key in params:
            assert params[key].zh in prompt


def test_buttons_are_not_read_out_as_the_prompt(spoken):
    prompt = spoken["report"]["screens"]["choose"]["prompt"]
    assert "到本网点领取" not in prompt and "上一步" not in prompt


def test_a_resident_s_own_data_is_never_spoken(spoken):
    assert all(NAME not in h["text"] for h in spoken["report"]["heard"])


def test_the_kiosk_really_played_sound_through_its_audio_output(spoken):
    sound = loudness_of(spoken["played"], 44100 * 2)
    assert sound.seconds > 3 and not sound.silent


def test_say_again_repeats_the_screen_s_words(spoken):
    again = spoken["report"]["say_again"]
    assert again["again"] == again["before"]


def test_switching_language_says_the_screen_in_english(spoken):
    english = spoken["report"]["english"]
    assert english["heard"] and english["heard"]["language"] == "en"
    assert "Sending, please wait" in english["prompt"]


def test_text_changes_mid_speech_the_newest_words_are_heard_last(spoken):
    changed = spoken["report"]["changed"]
    assert changed["heard_last"] == changed["prompt"] and "第二条通知" in changed["prompt"]
    assert not changed["first_after_second"]


def test_the_voice_stops_when_the_resident_leaves_and_the_attract_screen_is_silent(spoken):
    left = spoken["report"]["left"]
    assert left == {"new_prompts": 0, "still_playing": False}


def test_the_top_bar_fits_on_every_step_screen(spoken):
    for screen, seen in spoken["report"]["screens"].items():
        problems = seen["shown"]["problems"]
        assert not problems.get("overflow") and not problems.get("small_button"), (screen, problems)


def test_the_idle_countdown_is_spoken(portrait_display, tmp_path, monkeypatch):
    sound_card(monkeypatch, tmp_path)
    run = run_scenario("voice_idle_warning", portrait_display, tmp_path, shots="voice-idle", module=MODULE,
                       idle_timeout_s=20, idle_warning_s=10)  # fmt: skip
    assert any("您还在办理吗" in h["text"] for h in run.report["heard"])


def test_no_audio_device_the_kiosk_runs_silently_and_says_why(portrait_display, tmp_path, monkeypatch):
    monkeypatch.setenv("SDL_AUDIODRIVER", "no-such-output")  # SDL opens no output, as on a terminal without a sound card
    run = run_scenario("voice_without_sound", portrait_display, tmp_path, shots="voice-silent", module=MODULE)
    state = run.report["state"]
    assert state["voice"] == "no_audio" and "no audio device" in state["reason"]
    assert state["screen"] == "home" and state["heard"] == []
