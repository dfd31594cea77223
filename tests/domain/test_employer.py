"""The unified social credit code (GB 32100): its check character, what a clerk types, masking."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.employer import (
    USCC_ALPHABET,
    InvalidCreditCode,
    mask_credit_code,
    parse_credit_code,
    uscc_check_character,
)

# Codes printed on real business licences (public registrations).
REAL = ["91440300708461136T", "91350100M000100Y43"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass(code):
    assert parse_credit_code(code) == code


def test_typed_with_spaces_lowercase_and_full_width():
    assert parse_credit_code(" 9144 0300 7084 6113 6ｔ ") == "91440300708461136T"


@pytest.mark.parametrize(
    "text, reason",
    [("", "empty"), ("9144030070846113", "length"), ("91440300708461136I", "characters"), ("91440300708461136A", "check_character")],
)
def test_refusals_say_why(text, reason):
    with pytest.raises(InvalidCreditCode) as refused:
        parse_credit_code(text)
    assert refused.value.code == reason and refused.value.reason.zh and refused.value.reason.en


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17), st.integers(0, 16), st.sampled_from(USCC_ALPHABET))
def test_any_single_character_change_is_caught(body, at, new):
    code = body + uscc_check_character(body)
    changed = code[:at] + new + code[at + 1 :]
    if changed != code:
        with pytest.raises(InvalidCreditCode):
            parse_credit_code(changed)


def test_masking_keeps_the_province_and_the_last_four():
    assert mask_credit_code("91440300708461136T") == "9144**********136T"
    assert mask_credit_code("12345") == "1***5"
    assert mask_credit_code(None) == ""


def test_an_employer_shows_its_code_masked():
    from kiosk.domain.employer import Employer

    assert Employer("重庆某某科技有限公司", "91440300708461136T").masked_code == "9144**********136T"
