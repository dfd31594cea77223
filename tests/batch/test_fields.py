"""Reading one cell: validity periods, phone numbers, banks, replacement answers."""

from datetime import date, datetime

import pytest

from kiosk.batch import fields
from kiosk.batch.problems import ProblemCode
from kiosk.domain.replacement import Reason


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("2015.03.01-2035.03.01", date(2015, 3, 1), date(2035, 3, 1)),
        ("2015.3.1-长期", date(2015, 3, 1), None),
        ("20150301－20350301", date(2015, 3, 1), date(2035, 3, 1)),
        ("2015年03月01日至2035年03月01日", date(2015, 3, 1), date(2035, 3, 1)),
        (" 2015-03-01 ~ 2035-03-01 ", date(2015, 3, 1), date(2035, 3, 1)),
    ],
)
def test_validity_in_one_field(text, start, end):
    assert fields.validity(one=text) == fields.Validity(start, end)


def test_validity_in_two_fields_with_excel_dates():
    assert fields.validity(start=datetime(2015, 3, 1), end="长期") == fields.Validity(date(2015, 3, 1), None)


@pytest.mark.parametrize("text", ["2015.03.01", "长期-2015.03.01", "2015.02.30-2035.02.28", "2015.03.01-2035.03.01-2040.01.01", "10年"])
def test_validity_that_is_not_a_period(text):
    assert fields.validity(one=text) is ProblemCode.VALIDITY_INVALID


@pytest.mark.parametrize("value, expected", [(13800138000, "13800138000"), (13800138000.0, "13800138000"),
                                             ("023-4025 0850", "023-40250850"), ("+8613800138000", "13800138000")])
def test_phones(value, expected):
    assert fields.phone(value) == expected


@pytest.mark.parametrize("value", ["12345678901", "2340250850", "138001380001", "", None])
def test_phones_refused(value):
    assert fields.phone(value) is ProblemCode.PHONE_INVALID


def test_a_landline_excel_stored_as_a_number_lost_its_zero():
    assert fields.phone(2340250850) is ProblemCode.PHONE_INVALID


def test_bank_must_be_followed_by_a_branch_if_anything(policy):
    assert fields.bank("工商银行长寿支行", policy.banks).code == "icbc"
    assert fields.bank("工商银行的朋友", policy.banks) is ProblemCode.BANK_UNKNOWN
    assert fields.bank("icbc", policy.banks).code == "icbc"


@pytest.mark.parametrize("text, reason", [("丢失", Reason.LOST), ("卡片损坏", Reason.DAMAGED), ("有效期满", Reason.EXPIRED),
                                          ("换发三代卡", Reason.NEW_GENERATION)])
def test_replacement_reasons(text, reason):
    assert fields.reason(text) is reason


@pytest.mark.parametrize("text, answer", [("是", True), ("否", False), ("Y", True), ("n", False), ("不更换", False)])
def test_photo_change_answers(text, answer):
    assert fields.photo_change(text) is answer


def test_id_number_excel_turned_into_a_number():
    assert fields.id_number_text(5.00115198001011e17) is ProblemCode.ID_STORED_AS_NUMBER
    assert fields.id_number_text("5.00115E+17") is ProblemCode.ID_STORED_AS_NUMBER
    assert fields.id_number_text(" 50011519800101001x ") == "50011519800101001X"
