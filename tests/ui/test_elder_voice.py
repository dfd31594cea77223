"""The voice in 长辈模式 is what the config says: `[elder] voice = true` speaks in the mode even on a
terminal whose `[voice] enabled = false` keeps the standard mode silent."""

from __future__ import annotations

import shutil

import pytest

from tests.ui.conftest import run_scenario
from tests.ui.journey_rig import journey_rig
from tests.ui.voice_scenarios import sound_card

pytestmark = [pytest.mark.ui, pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")]


@pytest.fixture(scope="module")
def heard(portrait_display, tmp_path_factory):
    work = tmp_path_factory.mktemp("elder-voice")
    with pytest.MonkeyPatch.context() as mp:
        sound_card(mp, work)
        with journey_rig(work) as (_rig, config):
            text = config.read_text(encoding="utf-8")
            assert "[voice]\n" in text
            config.write_text(text.replace("[voice]\n", "[voice]\nenabled = false\n", 1), encoding="utf-8")
            return run_scenario("voice_off_but_elder_speaks", portrait_display, work, shots="elder-voice", config=config,
                                module="tests.ui.elder_scenarios").report  # fmt: skip


def test_a_terminal_with_the_voice_off_is_silent_in_the_standard_mode(heard):
    assert heard["standard_heard"] == []


def test_the_simpler_mode_speaks_there_when_the_config_says_so(heard):
    simpler = heard["simpler"]
    assert simpler["prompt"] and simpler["heard"] == simpler["prompt"]
