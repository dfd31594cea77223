"""The speaker: newest prompt wins, stops when told, runs silently when it cannot speak."""

import threading
import time

import pytest

from kiosk.config.settings import VoiceSettings
from kiosk.voice.cache import PromptCache
from kiosk.voice.fake import FakeAudio, FakeEngine
from kiosk.voice.speaker import Speaker, VoiceState


class UiThread:
    """Jobs posted to the 'UI thread' run when the test says so."""

    def __init__(self):
        self.jobs = []
        self.lock = threading.Lock()

    def post(self, job):
        with self.lock:
            self.jobs.append(job)

    def run(self):
        with self.lock:
            jobs, self.jobs = self.jobs, []
        for job in jobs:
            job()


def wait_for(condition, ui=None, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if ui is not None:
            ui.run()
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("condition not met in time")


@pytest.fixture
def rig(tmp_path):
    engine, audio, ui = FakeEngine(), FakeAudio(), UiThread()
    speaker = Speaker(PromptCache(tmp_path / "voice", engine), audio, VoiceSettings(volume=0.6), ui.post)
    spoken = []
    speaker.spoken.add(spoken.append)
    yield engine, audio, ui, speaker, spoken
    speaker.close()


def test_a_prompt_is_played_at_the_configured_volume(rig):
    engine, audio, ui, speaker, spoken = rig
    speaker.say("请选择要办理的业务", "zh")
    wait_for(lambda: spoken, ui)
    assert [(s.text, s.language) for s in spoken] == [("请选择要办理的业务", "zh")]
    assert audio.played[0][1] == 0.6
    assert speaker.state is VoiceState.READY


def test_say_returns_before_the_prompt_is_rendered(rig):
    engine, audio, ui, speaker, spoken = rig
    engine.gate = threading.Event()
    speaker.say("请稍候", "zh")  # would hang here if rendering ran on the caller's thread
    assert spoken == []
    engine.gate.set()
    wait_for(lambda: spoken, ui)


def test_text_changes_mid_speech_only_the_newest_is_heard(rig):
    engine, audio, ui, speaker, spoken = rig
    engine.gate = threading.Event()
    speaker.say("第一个屏幕", "zh")
    time.sleep(0.05)  # the first is being rendered
    speaker.say("第二个屏幕", "zh")
    engine.gate.set()
    wait_for(lambda: spoken, ui)
    time.sleep(0.1)
    ui.run()
    assert [s.text for s in spoken] == ["第二个屏幕"]


def test_a_screen_change_stops_the_voice_even_before_it_started(rig):
    engine, audio, ui, speaker, spoken = rig
    engine.gate = threading.Event()
    speaker.say("请把身份证放在读卡区", "zh")
    speaker.stop()
    engine.gate.set()
    time.sleep(0.2)
    ui.run()
    assert spoken == [] and audio.played == []


def test_stop_silences_what_is_playing(rig):
    engine, audio, ui, speaker, spoken = rig
    speaker.say("请稍候", "zh")
    wait_for(lambda: spoken, ui)
    stops = audio.stops
    speaker.stop()
    ui.run()
    assert audio.stops == stops + 1


def test_espeak_missing_the_kiosk_runs_silently_and_says_why(tmp_path):
    engine, audio = FakeEngine(), FakeAudio()
    engine.absent = True
    speaker = Speaker(PromptCache(tmp_path / "voice", engine), audio, VoiceSettings())
    speaker.say("请选择", "zh")
    time.sleep(0.1)
    assert speaker.state is VoiceState.NO_ENGINE and "removed" in speaker.reason
    assert audio.played == []


def test_engine_failing_at_run_time_turns_the_voice_off(rig):
    engine, audio, ui, speaker, spoken = rig
    engine.failing = True
    speaker.say("请选择", "zh")
    wait_for(lambda: speaker.state is VoiceState.NO_ENGINE, ui)
    assert spoken == []


def test_no_audio_device_the_kiosk_runs_silently_and_says_why(rig):
    engine, audio, ui, speaker, spoken = rig
    audio.no_device = True
    speaker.say("请选择", "zh")
    wait_for(lambda: speaker.state is VoiceState.NO_AUDIO, ui)
    assert spoken == [] and "no audio device" in speaker.reason


def test_voice_switched_off_in_the_config_says_nothing(tmp_path):
    engine, audio = FakeEngine(), FakeAudio()
    speaker = Speaker(PromptCache(tmp_path / "voice", engine), audio, VoiceSettings(enabled=False))
    speaker.say("请选择", "zh")
    time.sleep(0.1)
    assert speaker.state is VoiceState.OFF and engine.rendered == []


def test_a_personal_prompt_is_deleted_once_played(rig, tmp_path):
    engine, audio, ui, speaker, spoken = rig
    speaker.say("您的凭证号是 CS01-T01-20261203-0007", "zh")
    wait_for(lambda: spoken, ui)
    path = spoken[0].rendering.path
    assert path.exists()
    audio.finish()
    assert not path.exists()
