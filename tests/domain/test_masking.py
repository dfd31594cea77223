"""Masking for screens, vouchers and logs: the examples of the issue, odd input, and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.masking import MASK, mask_id_number, mask_name, mask_phone, redact
from tests.domain.test_identity import any_valid_numbers

phones = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@pytest.mark.parametrize(
    "name, masked",
    [
        ("张三", "张*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("司马光", "司马*"),
        ("诸葛亮", "诸葛*"),
        ("张", "*"),
        ("欧阳", "欧*"),  # a compound surname alone keeps only one character
        (" 张 三 ", "张*"),
        ("阿依古丽·买买提", "阿***·***"),
        ("John Smith", "J*** S****"),
        ("Mary-Jane O'Neil", "M***-J*** O'N***"),
        ("J", "*"),
    ],
)
def test_names_keep_only_the_surname_or_initials(name, masked):
    assert mask_name(name) == masked


def test_single_surname_that_starts_a_compound_is_not_kept_twice():
    assert mask_name("梁丘明") == "梁**"  # 梁 is a common surname: 丘 may be the given name


def test_id_number_keeps_first_six_and_last_four():
    assert mask_id_number("500115199001011234") == "500115********1234"


def test_phone_keeps_first_three_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_phone_separators_stay():
    assert mask_phone("138 1234 5678") == "138 **** 5678"


@pytest.mark.parametrize("odd", ["", "   ", "1", "12", "1234", "abc", "\u200b", "１３８"])
def test_odd_input_is_masked_conservatively(odd):
    for masked in (mask_id_number(odd), mask_phone(odd)):
        visible = [c for c in masked if c != MASK and not c.isspace()]
        digits = [c for c in odd if c.isdigit()]
        assert len([c for c in visible if c.isdigit()]) <= len(digits) // 2


def test_non_text_input_gives_empty_masks():
    assert (mask_name(None), mask_id_number(None), mask_phone(42)) == ("", "", "")


@given(st.text())
def test_masking_never_fails_and_is_idempotent(text):
    for mask in (mask_name, mask_id_number, mask_phone, redact):
        once = mask(text)
        assert isinstance(once, str)
        assert mask(once) == once


# Common one-character surnames that never begin one of the compound surnames.
SURNAMES = "王李张刘陈杨黄赵吴周徐孙朱马胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@given(st.sampled_from(list(SURNAMES) + ["欧阳", "诸葛", "上官", "慕容"]), st.text(alphabet=han, min_size=1, max_size=3))
def test_chinese_names_show_the_surname_and_hide_the_given_name(surname, given_name):
    assert mask_name(surname + given_name) == surname + MASK * len(given_name)


@given(any_valid_numbers())
def test_masked_id_hides_the_middle_and_keeps_the_length(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert masked[6:-4] == MASK * 8
    assert number[6:14] not in masked  # the birth date
    assert mask_id_number(masked) == masked


@given(phones)
def test_masked_phone_hides_the_middle(phone):
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]


def test_redact_masks_numbers_in_free_text():
    text = "applicant 50011519900101123x phone 13812345678, card 6222021234567890123, permit KAZ110090123105"
    assert redact(text) == (
        "applicant 500115********123x phone 138****5678, card 622202*********0123, permit KAZ110*****3105"
    )


def test_redact_masks_formatted_and_prefixed_phones():
    assert redact("tel 138-1234-5678 or +86 13912345678") == "tel 138-****-5678 or +86 1******5678"


def test_redact_masks_full_width_digits():
    assert "１９９００１０１" not in redact("号码５００１１５１９９００１０１１２３４")


def test_redact_leaves_ordinary_numbers_alone():
    text = "hotline 12333, 2026-09-30 10:15, 96 hours, serial CS01-T01-20260930-0007, ts 1759200000000"
    assert redact(text) == text


no_digits = st.text(alphabet=st.characters(blacklist_categories=("Nd",), blacklist_characters="Xx+"), max_size=8)


@given(st.one_of(any_valid_numbers(), phones), no_digits, no_digits)
def test_redact_masks_a_number_wherever_it_sits(number, before, after):
    masked = mask_phone(number) if len(number) == 11 else mask_id_number(number)
    assert redact(before + number + after) == before + masked + after


@given(st.lists(st.one_of(any_valid_numbers(), phones), min_size=2, max_size=4), st.lists(no_digits, min_size=4, max_size=4))
def test_redact_hides_numbers_even_when_they_touch(numbers, fillers):
    out = redact("".join(f + n for f, n in zip(fillers, numbers)))
    for number in numbers:
        assert number not in out
