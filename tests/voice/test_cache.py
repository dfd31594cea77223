"""Prompts are rendered once and kept by their text; personal text is never kept."""

from kiosk.voice.cache import PromptCache, may_be_personal
from kiosk.voice.fake import FakeEngine
from kiosk.voice.sound import loudness


def test_a_prompt_is_rendered_once_then_comes_from_the_cache(tmp_path):
    engine = FakeEngine()
    cache = PromptCache(tmp_path / "voice", engine)
    first = cache.rendering("请选择要办理的业务", "zh")
    second = cache.rendering("请选择要办理的业务", "zh")
    assert first.path == second.path and first.cached
    assert engine.rendered == [("请选择要办理的业务", "zh")]
    assert not loudness(first.path).silent


def test_language_and_voice_are_part_of_the_key(tmp_path):
    a = PromptCache(tmp_path / "voice", FakeEngine("voice-a"))
    b = PromptCache(tmp_path / "voice", FakeEngine("voice-b"))
    assert a.path("OK", "zh") != a.path("OK", "en")
    assert a.path("OK", "zh") != b.path("OK", "zh")


def test_personal_text_is_rendered_for_once_and_not_kept(tmp_path):
    cache = PromptCache(tmp_path / "voice", FakeEngine())
    once = cache.rendering("凭证号 CS01-T01-20261203-0007", "zh")
    assert not once.cached and once.path.is_file()
    once.discard()
    assert not once.path.exists()
    assert list((tmp_path / "voice").glob("*.wav")) == []


def test_what_counts_as_personal():
    assert may_be_personal("手机号 138****5678")
    assert may_be_personal("500115199003071234")
    assert not may_be_personal("还有 15 秒返回首页")
    assert not may_be_personal("请把身份证放在读卡区")


def test_a_crash_leaves_no_half_file_in_the_cache(tmp_path):
    engine = FakeEngine()
    engine.failing = True
    cache = PromptCache(tmp_path / "voice", engine)
    try:
        cache.rendering("你好", "zh")
    except Exception:
        pass
    assert list((tmp_path / "voice").glob("*")) == []
