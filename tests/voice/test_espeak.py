"""The real engine: espeak-ng renders Mandarin and English prompts that are speech, not silence."""

import shutil

import pytest

from kiosk.config.settings import VoiceSettings
from kiosk.voice.cache import PromptCache
from kiosk.voice.engine import EspeakEngine, RenderError
from kiosk.voice.sound import loudness

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (deploy/apt-packages.txt)")


@needs_espeak
@pytest.mark.parametrize(
    "text, language",
    [("请把身份证放在读卡区", "zh"), ("Please put your ID card on the reader", "en")],
)
def test_each_language_renders_audible_speech(tmp_path, text, language):
    out = tmp_path / "p.wav"
    EspeakEngine(VoiceSettings()).render(text, language, out)
    sound = loudness(out)
    assert not sound.silent
    assert 0.8 < sound.seconds < 10


@needs_espeak
def test_a_slower_rate_gives_longer_speech(tmp_path):
    text = "请选择要办理的业务"
    slow, fast = tmp_path / "slow.wav", tmp_path / "fast.wav"
    EspeakEngine(VoiceSettings(rate_zh_wpm=100)).render(text, "zh", slow)
    EspeakEngine(VoiceSettings(rate_zh_wpm=250)).render(text, "zh", fast)
    assert loudness(slow).seconds > loudness(fast).seconds * 1.5


@needs_espeak
def test_text_that_looks_like_an_option_is_spoken_not_obeyed(tmp_path):
    out = tmp_path / "p.wav"
    EspeakEngine(VoiceSettings()).render("--version", "en", out)
    assert not loudness(out).silent


def test_espeak_missing_is_reported_and_renders_nothing(tmp_path):
    engine = EspeakEngine(VoiceSettings(), program="espeak-ng-not-installed")
    assert "not installed" in engine.missing()
    with pytest.raises(RenderError):
        engine.render("你好", "zh", tmp_path / "p.wav")
    assert not (tmp_path / "p.wav").exists()


@needs_espeak
def test_an_unknown_voice_is_a_render_error(tmp_path):
    engine = EspeakEngine(VoiceSettings(voice_zh="no-such-voice"))
    with pytest.raises(RenderError):
        PromptCache(tmp_path / "voice", engine).rendering("你好", "zh")
    assert list((tmp_path / "voice").glob("*")) == []
