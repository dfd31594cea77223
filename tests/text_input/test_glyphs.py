"""The kiosk font's character map: a character it cannot draw is refused, never a box."""

from __future__ import annotations

import pytest

from kiosk.text_input.glyphs import FontCoverage
from kiosk.text_input.interface import EngineUnavailable, drawable
from kiosk.ui.fonts import find_cjk_font

RARE = "\U00020000"  # 𠀀, CJK extension B: not in WenQuanYi Micro Hei


@pytest.fixture(scope="module")
def font():
    return FontCoverage(find_cjk_font())


def test_common_characters_are_drawable(font):
    assert all(font.can_draw(c) for c in "王李张长寿区凤城街道向阳路13号·")


def test_character_the_font_cannot_draw_is_found(font):
    assert not font.can_draw(RARE)
    assert font.missing(f"王{RARE}明{RARE}") == RARE


def test_candidates_the_font_cannot_draw_are_dropped(font):
    assert drawable(["王", RARE, f"王{RARE}", "明"], font) == ["王", "明"]


def test_unreadable_font_is_reported(tmp_path):
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(b"not a font")
    with pytest.raises(EngineUnavailable):
        FontCoverage(bad)
