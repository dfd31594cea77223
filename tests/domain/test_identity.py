"""Identity numbers: the three accepted forms, each refusal, and properties over generated numbers."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.identity import (
    REASONS,
    IdKind,
    IdNumber,
    InvalidIdNumber,
    gb11643_check_character,
    parse_id_number,
)
from kiosk.domain.regions import MAINLAND_PROVINCES, PERMIT_PREFIXES, RESIDENT_PROVINCES

TODAY = date(2026, 11, 23)
# GB 11643-1999's own worked example (Chaoyang district, Beijing, 1949-12-31, female).
STANDARD_EXAMPLE = "11010519491231002X"
# Worked examples from public validator code, independent of our check-character function.
HK_PERMIT = "810000199408230021"
TW_PERMIT = "830000199201300022"
FOREIGN_2023 = "911398199012310021"
FOREIGN_2017 = "KAZ110090123105"


def with_check(body: str) -> str:
    return body + gb11643_check_character(body)


def refusal(text: str) -> InvalidIdNumber:
    with pytest.raises(InvalidIdNumber) as info:
        parse_id_number(text, today=TODAY)
    return info.value


# --- the accepted forms -------------------------------------------------------------------


def test_resident_number_gives_birth_sex_and_region():
    n = parse_id_number(STANDARD_EXAMPLE, today=TODAY)
    assert (n.kind, n.birth_date, n.sex, n.region_code) == (IdKind.RESIDENT, date(1949, 12, 31), "女", "110105")


def test_odd_seventeenth_digit_is_male():
    n = parse_id_number(with_check("50011519900101123"), today=TODAY)
    assert n.sex == "男"


def test_lower_case_x_is_normalised():
    assert parse_id_number(STANDARD_EXAMPLE.lower(), today=TODAY).value == STANDARD_EXAMPLE


def test_full_width_characters_and_spaces_are_accepted():
    typed = " １１０１０５ 1949 1231 002ｘ "
    assert parse_id_number(typed, today=TODAY).value == STANDARD_EXAMPLE


def test_hong_kong_and_taiwan_residence_permits():
    hk = parse_id_number(HK_PERMIT, today=TODAY)
    tw = parse_id_number(TW_PERMIT, today=TODAY)
    assert (hk.kind, hk.region_code, hk.birth_date) == (IdKind.HMT_PERMIT, "810000", date(1994, 8, 23))
    assert (tw.kind, tw.region_code, tw.sex) == (IdKind.HMT_PERMIT, "830000", "女")


def test_foreign_permanent_residence_2023_number():
    n = parse_id_number(FOREIGN_2023, today=TODAY)
    assert (n.kind, n.region_code, n.nationality, n.birth_date, n.sex) == (
        IdKind.FOREIGN_PERMANENT, "110000", "398", date(1990, 12, 31), "女",
    )


def test_foreign_permanent_residence_2017_number():
    n = parse_id_number(FOREIGN_2017.lower(), today=TODAY)
    assert (n.kind, n.value, n.region_code, n.nationality, n.birth_date, n.sex) == (
        IdKind.FOREIGN_PERMANENT, FOREIGN_2017, "110000", "KAZ", date(1990, 12, 31), "女",
    )


def test_foreign_2017_two_digit_year_takes_the_latest_past_century():
    # KAZ 1100 + YYMMDD + sequence 1; the check digit is recomputed for each birth date.
    from kiosk.domain.identity import icao_check_digit

    def number(yymmdd: str) -> str:
        body = f"KAZ1100{yymmdd}1"
        return body + icao_check_digit(body)

    assert parse_id_number(number("100101"), today=TODAY).birth_date == date(2010, 1, 1)
    assert parse_id_number(number("300101"), today=TODAY).birth_date == date(1930, 1, 1)


# --- each refusal ---------------------------------------------------------------------------


def test_empty_input_is_refused():
    assert refusal("   ").code == "empty"


def test_wrong_length_is_refused():
    e = refusal("1101051949123100")
    assert e.code == "length" and "18" in e.reason.zh


def test_old_15_digit_number_is_refused_with_its_own_reason():
    assert refusal("110105491231002").code == "old_15_digit"


def test_letters_inside_the_number_are_refused():
    assert refusal("1101051949A231002X").code == "characters"


def test_x_anywhere_but_last_is_refused():
    assert refusal("X10105194912310021").code == "characters"


def test_wrong_check_character_is_refused_without_telling_the_resident_which():
    e = refusal("110105194912310021")
    assert e.code == "check_character"
    assert e.reason == REASONS["check_character"]
    assert "X" in e.detail  # technicians see what the other digits give


def test_unknown_province_is_refused():
    assert refusal(with_check("16010519491231002")).code == "region"


def test_all_zero_region_is_refused():
    assert refusal(with_check("00000019491231002")).code == "region"


def test_permit_prefix_with_other_digits_is_refused():
    assert refusal(with_check("81123419940823002")).code == "region"


def test_impossible_birth_date_is_refused():
    assert refusal(with_check("11010519490230002")).code == "birth_date"


def test_future_birth_date_is_refused():
    assert refusal(with_check("11010520261124002")).code == "birth_date"


def test_birth_before_1900_is_refused():
    assert refusal("440524188001010014").code == "birth_date"  # GB 11643's other example, born 1880


def test_foreign_2023_unknown_province_is_refused():
    assert refusal(with_check("99939819901231002")).code == "region"


def test_foreign_2023_nationality_000_is_refused():
    assert refusal(with_check("91100019901231002")).code == "nationality"


def test_foreign_2017_bad_check_digit_is_refused():
    assert refusal("KAZ110090123107").code == "check_character"


def test_foreign_2017_bad_shape_is_refused():
    assert refusal("KA1110090123105").code == "foreign_characters"


def test_foreign_2017_impossible_birth_date_is_refused():
    assert refusal("KAZ110090023105").code == "birth_date"


def test_every_reason_is_bilingual():
    assert all(r.zh and r.en for r in REASONS.values())


# --- age ------------------------------------------------------------------------------------


def test_minor_until_the_sixteenth_birthday():
    n = parse_id_number(with_check("50011520100615002"), today=TODAY)
    assert n.age_on(date(2026, 6, 14)) == 15 and n.is_minor_on(date(2026, 6, 14))
    assert n.age_on(date(2026, 6, 15)) == 16 and not n.is_minor_on(date(2026, 6, 15))


def test_leap_day_birthday_counts_from_march_first_in_common_years():
    n = parse_id_number(with_check("50011520080229002"), today=TODAY)
    assert n.age_on(date(2024, 2, 28)) == 15 and n.age_on(date(2024, 3, 1)) == 16


def test_age_before_birth_is_an_error():
    n = parse_id_number(STANDARD_EXAMPLE, today=TODAY)
    with pytest.raises(ValueError):
        n.age_on(date(1949, 12, 30))


# --- privacy --------------------------------------------------------------------------------


def test_repr_and_str_never_show_the_full_number():
    n = parse_id_number(STANDARD_EXAMPLE, today=TODAY)
    for shown in (repr(n), str(n), f"{n}", repr([n])):
        assert STANDARD_EXAMPLE not in shown and "19491231" not in shown


@pytest.mark.parametrize(
    "bad",
    ["110105194912310021", with_check("16010519491231002"), with_check("11010520261124002"), "KAZ110090123107"],
)
def test_refusal_messages_never_repeat_the_number(bad):
    e = refusal(bad)
    for text in (str(e), repr(e), e.detail, e.reason.zh, e.reason.en):
        assert bad not in text and bad[6:14] not in text


# --- properties over generated numbers --------------------------------------------------------

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@st.composite
def resident_numbers(draw) -> str:
    province = draw(st.sampled_from(sorted(RESIDENT_PROVINCES)))
    area = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    birth = draw(birth_dates)
    sequence = draw(st.integers(0, 999))
    return with_check(f"{province}{area}{birth:%Y%m%d}{sequence:03d}")


@st.composite
def any_valid_numbers(draw) -> str:
    birth = draw(birth_dates)
    sequence = draw(st.integers(0, 999))
    kind = draw(st.sampled_from(["resident", "permit", "foreign"]))
    if kind == "resident":
        return draw(resident_numbers())
    if kind == "permit":
        return with_check(f"{draw(st.sampled_from(sorted(PERMIT_PREFIXES)))}{birth:%Y%m%d}{sequence:03d}")
    province = draw(st.sampled_from(sorted(MAINLAND_PROVINCES)))
    nationality = draw(st.integers(1, 999))
    return with_check(f"9{province}{nationality:03d}{birth:%Y%m%d}{sequence:03d}")


@given(resident_numbers())
def test_generated_resident_numbers_round_trip(number):
    n = parse_id_number(number, today=TODAY)
    assert n.value == number and n.kind == IdKind.RESIDENT and n.region_code == number[:6]
    assert n.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert n.sex == ("男" if int(number[16]) % 2 else "女")


@given(any_valid_numbers())
def test_every_single_character_change_is_refused(number):
    # MOD 11-2 catches every single substitution: each weight and each digit difference is
    # non-zero modulo 11, so a changed number can never carry a matching check character.
    alphabet = "0123456789X"
    for i, original in enumerate(number):
        for c in alphabet:
            if c == original:
                continue
            changed = number[:i] + c + number[i + 1 :]
            with pytest.raises(InvalidIdNumber):
                parse_id_number(changed, today=TODAY)


@given(any_valid_numbers())
def test_every_swap_of_neighbouring_characters_is_refused(number):
    for i in range(len(number) - 1):
        if number[i] != number[i + 1]:
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            with pytest.raises(InvalidIdNumber):
                parse_id_number(swapped, today=TODAY)


@given(st.one_of(st.text(), st.from_regex(r"[0-9Xx９ ]{13,20}", fullmatch=True), st.from_regex(r"[A-Za-z]{3}[0-9]{12}", fullmatch=True)))
def test_arbitrary_text_gives_a_number_or_a_reason(text):
    try:
        result = parse_id_number(text, today=TODAY)
    except InvalidIdNumber as e:
        assert e.reason.zh and e.reason.en and e.code in REASONS
    else:
        assert isinstance(result, IdNumber)


def test_non_text_input_is_refused_not_crashed():
    for value in (None, 11010519491231002, b"11010519491231002X"):
        with pytest.raises(InvalidIdNumber):
            parse_id_number(value, today=TODAY)
