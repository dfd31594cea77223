"""What a cardholder may change at the kiosk: the checks on a new phone and a new address, and
how an address is masked (kiosk/domain/contact_details.py)."""

from __future__ import annotations

import pytest

from kiosk.domain.contact_details import (
    ADDRESS_PART_MAX,
    MADE_UP,
    NOT_A_MOBILE,
    SAME_ADDRESS,
    SAME_PHONE,
    address_parts,
    address_problem,
    mask_address,
    phone_problem,
)
from kiosk.domain.postal_address import PostalAddress

ADDRESS = PostalAddress("长寿区", "凤城街道", "向阳路13号", "重庆市")


@pytest.mark.parametrize(
    "typed, on_record, problem",
    [
        ("13812345678", None, None),
        ("138 1234 5678", "13987654321", None),
        ("1381234567", None, "10"),  # too few digits: says how many were typed
        ("12812345678", None, NOT_A_MOBILE),
        ("23812345678", None, NOT_A_MOBILE),
        ("13811111111", None, MADE_UP),
        ("13987654321", "13987654321", SAME_PHONE),
    ],
    ids=["a mobile", "spaces dropped", "too few digits", "12 is no mobile prefix", "not starting with 1", "eight digits the same", "the one on record"],
)
def test_a_new_phone_is_checked(typed, on_record, problem):
    found = phone_problem(typed, on_record)
    if isinstance(problem, str) and problem.isdigit():
        assert f"只输入了{problem}位" in found.zh and f"Only {problem} digits" in found.en
    else:
        assert found == problem


def test_an_address_goes_to_the_centre_in_its_parts_without_empty_ones():
    assert address_parts(ADDRESS) == {"city": "重庆市", "district": "长寿区", "street": "凤城街道", "rest": "向阳路13号"}
    assert address_parts(PostalAddress("怀柔区", "", "青春路1号")) == {"district": "怀柔区", "rest": "青春路1号"}


def test_a_part_longer_than_the_centre_keeps_is_refused_with_its_limit():
    too_long = PostalAddress("长寿区", "凤城街道", "路" * (ADDRESS_PART_MAX["rest"] + 1), "重庆市")
    problem = address_problem(too_long)
    assert "60" in problem.zh and "路名门牌" in problem.zh and "road and number" in problem.en


def test_the_address_on_record_is_nothing_to_change():
    assert address_problem(ADDRESS, "重庆市长寿区凤城街道向阳路13号") == SAME_ADDRESS
    assert address_problem(ADDRESS, "重庆市长寿区凤城街道向阳路14号") is None


def test_a_masked_address_hides_the_road_and_number():
    assert mask_address("重庆市长寿区凤城街道向阳路13号") == "重庆市长寿区凤城" + "*" * 8
