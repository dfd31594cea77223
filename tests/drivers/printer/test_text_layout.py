"""Wrapping by printed width: a Han character takes two columns, ASCII one."""

from hypothesis import given
from hypothesis import strategies as st

from kiosk.printing.text import display_width, wrap

PIECES = list("ab 社会保障卡，。（）：—") + ["Word", "12333", "x" * 60, "\n"]


def test_chinese_counts_double():
    assert display_width("社保卡 ABC：") == 2 * 3 + 4 + 2


def test_twenty_five_han_characters_need_two_lines_of_48_columns():
    assert [display_width(line) for line in wrap("社" * 25, 48)] == [48, 2]


def test_closing_punctuation_never_starts_a_line():
    lines = wrap("社" * 24 + "。", 48)
    assert lines == ["社" * 23, "社。"]


def test_opening_bracket_never_ends_a_line():
    lines = wrap("社" * 23 + "（二号楼）", 48)
    assert not lines[0].endswith("（") and lines[1].startswith("（")


def test_latin_text_breaks_between_words_with_a_hanging_indent():
    lines = wrap("Take this voucher to the window: the card is made while you wait.", 24, indent=3)
    assert lines == ["Take this voucher to the", "   window: the card is", "   made while you wait."]


@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join), st.integers(10, 48), st.integers(0, 4))
def test_wrapped_lines_fit_and_lose_nothing(text, columns, indent):
    lines = wrap(text, columns, indent)
    assert all(display_width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
