"""Which new PINs the kiosk refuses (kiosk.domain.pin_rules): pure rules, no devices."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.domain import pin_rules
from kiosk.domain.pin_rules import is_run, pin_problem

BORN = date(1990, 2, 15)
ID_NUMBER = "500115199002151287"


def digits(text: str) -> list[int]:
    return [int(c) for c in text]


def problem(pin: str, old: str | None = None):
    return pin_problem(digits(pin), birth_date=BORN, id_number=ID_NUMBER, old=digits(old) if old else None)


@pytest.mark.parametrize("pin", ["000000", "777777", "999999"])
def test_six_of_one_digit_is_refused(pin):
    assert problem(pin) == pin_rules.SAME_DIGITS


@pytest.mark.parametrize("pin", ["123456", "234567", "456789", "012345", "654321", "987654", "890123", "109876"])
def test_runs_up_or_down_are_refused_even_round_the_end(pin):
    assert problem(pin) == pin_rules.RUN


@pytest.mark.parametrize("pin", ["900215", "021590", "150290", "480215", "021533"])
def test_the_birth_date_is_refused_in_its_usual_spellings(pin):
    assert problem(pin) == pin_rules.BIRTH_DATE


@pytest.mark.parametrize("pin", ["151287", "011519", "500115"])
def test_six_digits_in_a_row_from_the_id_number_are_refused(pin):
    assert problem(pin) == pin_rules.ID_DIGITS


def test_the_old_pin_again_is_refused():
    assert problem("846203", old="846203") == pin_rules.SAME_AS_OLD


@pytest.mark.parametrize("pin", ["846203", "135790", "270418", "112358"])
def test_ordinary_pins_pass(pin):
    assert problem(pin) is None


@pytest.mark.parametrize("pin", ["12345", "1234567", ""])
def test_a_pin_of_the_wrong_length_is_refused(pin):
    assert problem(pin) == pin_rules.WRONG_LENGTH


def test_a_run_with_one_step_out_is_not_a_run():
    assert not is_run(digits("123457")) and not is_run(digits("135791"))


def test_without_holder_data_only_the_general_rules_apply():
    assert pin_problem(digits("900215")) is None
    assert pin_problem(digits("111111")) == pin_rules.SAME_DIGITS
