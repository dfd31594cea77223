"""The input screen's rules without Kivy: each bad input of issue 10 by name."""

from __future__ import annotations

from kiosk.text_input.composer import (
    CANNOT_DRAW,
    CHOOSE_FIRST,
    DROPPED,
    EMPTY,
    NO_SUCH_PINYIN,
    NOT_RECOGNISED,
    Composer,
    Mode,
)
from kiosk.text_input.interface import Ink

RARE = "\U00020000"


class Font:
    """Draws everything but CJK extension B (as WenQuanYi Micro Hei)."""

    def can_draw(self, char: str) -> bool:
        return len(char) == 1 and ord(char) < 0x20000


def composer(limit: int = 4, **kwargs) -> Composer:
    c = Composer(limit, Font(), **kwargs)
    c.begin()
    return c


def written(c: Composer) -> None:
    c.ink = Ink(100, 100, [[(10, 10), (90, 10)]])
    c.stroke_added()


def test_empty_pad_cannot_be_done():
    c = composer()
    assert c.finish() is None and c.message == EMPTY


def test_empty_pad_is_fine_when_the_field_is_optional():
    assert composer(optional=True).finish() == ""


def test_ink_never_chosen_cannot_be_done():
    c = composer()
    c.pick("王")
    written(c)
    assert c.finish() is None and c.message == CHOOSE_FIRST


def test_nothing_recognised_says_write_again():
    c = composer()
    written(c)
    c.offer([])
    assert c.candidates == [] and c.message == NOT_RECOGNISED


def test_character_the_font_cannot_draw_is_refused_with_a_message():
    c = composer()
    written(c)
    c.offer([RARE])
    assert c.candidates == [] and c.message == CANNOT_DRAW
    assert c.pick(RARE) is False and c.text == ""


def test_undrawable_candidates_are_left_out_of_the_row():
    c = composer()
    written(c)
    c.offer([RARE, "王", f"王{RARE}", "玉"])
    assert c.candidates == ["王", "玉"] and c.message is None


def test_current_text_with_an_undrawable_character_keeps_the_rest():
    c = Composer(10, Font())
    c.begin(f"王{RARE}明")
    assert c.text == "王明" and c.message == DROPPED


def test_over_the_character_limit_is_refused():
    c = composer(limit=3)
    assert c.pick("张伟")
    assert c.pick("明") and c.text == "张伟明"
    assert c.pick("华") is False and c.message.zh == "已经写满3个字了。" and c.text == "张伟明"


def test_picking_a_candidate_wipes_the_pad_for_the_next_character():
    c = composer()
    written(c)
    c.offer(["王", "玉"])
    assert c.pick("王")
    assert c.ink.empty and c.candidates == [] and c.text == "王"


def test_candidates_for_a_wiped_pad_are_not_shown():
    """An answer that arrives after the pad was wiped belongs to nothing on screen."""
    c = composer()
    c.offer(["王"])
    assert c.candidates == []


def test_delete_and_clear():
    c = composer()
    c.pick("张伟")
    c.delete()
    assert c.text == "张"
    written(c)
    c.clear()
    assert c.text == "" and c.ink.empty


def test_pinyin_letters_that_match_nothing():
    c = composer()
    c.switch(Mode.PINYIN)
    assert c.type_letter("x") and c.type_letter("q")
    c.offer([])
    assert c.message == NO_SUCH_PINYIN


def test_pinyin_takes_only_letters():
    c = composer()
    c.switch(Mode.PINYIN)
    assert not c.type_letter("1") and not c.type_letter("A") and not c.type_letter("ab")
    assert c.letters == ""


def test_switching_mode_wipes_the_pad_but_keeps_the_text():
    c = composer()
    c.pick("王")
    written(c)
    c.switch(Mode.PINYIN)
    assert c.ink.empty and c.text == "王" and c.mode is Mode.PINYIN


def test_resident_walking_away_forgets_strokes_letters_and_text():
    c = composer()
    c.pick("王")
    written(c)
    c.switch(Mode.PINYIN)
    c.type_letter("m")
    c.forget()
    assert c.text == "" and c.letters == "" and c.ink.empty and c.candidates == [] and c.mode is Mode.HANDWRITING
