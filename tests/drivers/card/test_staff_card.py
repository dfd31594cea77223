"""The outlet staff card through pcscd: what the chip answers tells it from a resident's card,
and its PIN is verified on the card like any other."""

from __future__ import annotations

import pytest

from kiosk.drivers.card import StaffCredential, is_not_staff_card
from kiosk.drivers.status import ResultCode

from .conftest import insert

pytestmark = pytest.mark.pcsc  # pcscd with the vpcd virtual reader


def test_staff_card_names_its_staff_member_and_outlet(card_sim, reader):
    insert(card_sim, "staff")
    done = reader.read_staff()
    assert done.ok, done.reason
    assert done.value == StaffCredential(staff_id="S0042", outlet="CS-01")


def test_resident_card_is_not_a_staff_card(card_sim, reader):
    insert(card_sim, "gen3")
    done = reader.read_staff()
    assert done.code is ResultCode.INVALID_DATA
    assert is_not_staff_card(done.detail["sw"])
    assert "not an outlet staff card" in done.reason


def test_staff_pin_is_verified_on_the_card_after_the_staff_application(card_sim, reader, trace):
    insert(card_sim, "staff")  # PIN 246810, 3 tries
    assert reader.read_staff().ok
    wrong = reader.verify_pin("123456")
    assert wrong.code is ResultCode.REFUSED and wrong.detail["tries_left"] == 2
    assert reader.verify_pin("246810").ok
    verifies = [line for line in trace if line.startswith("0020")]
    assert verifies and all("246810" not in line for line in trace), "the PIN never reaches a trace"
