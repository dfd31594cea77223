"""Chinese line breaking: Kivy breaks only at spaces, so the kiosk does it itself."""

from __future__ import annotations

from hypothesis import given, strategies as st

from kiosk.ui.linebreak import NO_LINE_END, NO_LINE_START, break_lines

NOTICE = "防诈骗提醒：社保经办机构和社保卡合作银行不会发送带网页链接的短信，也不会向您要银行账号和支付密码。请提高警惕。"


def at_most(n: int):
    return lambda line: len(line) <= n


def test_no_line_starts_with_closing_punctuation():
    for width in range(4, 30):
        for line in break_lines(NOTICE, at_most(width))[1:]:
            assert line[0] not in NO_LINE_START, (width, line)


def test_a_run_of_closing_marks_does_not_start_a_line():
    lines = break_lines("补领（卡丢失）、换领", at_most(7))
    assert lines == ["补领（卡丢", "失）、换领"]


def test_an_opening_bracket_moves_down_with_what_it_opens():
    lines = break_lines("补领（卡丢失）", at_most(3))
    assert all(line[-1] not in NO_LINE_END for line in lines)
    assert "".join(lines) == "补领（卡丢失）"


def test_english_breaks_only_between_words():
    lines = break_lines("Returning to the start in 15 s", at_most(12))
    assert lines == ["Returning to", "the start in", "15 s"]


def test_explicit_newlines_are_kept():
    assert break_lines("第一行\n第二行", at_most(10)) == ["第一行", "第二行"]


def test_a_word_longer_than_the_line_gets_a_line_of_its_own():
    assert break_lines("a 3rd-generation card", at_most(6)) == ["a", "3rd-generation", "card"]


@given(st.text(alphabet="社保卡申领，。、（）abc ", min_size=1, max_size=80), st.integers(min_value=2, max_value=20))
def test_breaking_never_loses_or_invents_text(text, width):
    lines = break_lines(text, at_most(width))
    assert "".join("".join(lines).split()) == "".join(text.split())
