"""Every SW3 code of the GA 467 table means something definite to the kiosk."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.drivers.id_reader.status_words import KNOWN_CODES, interpret
from kiosk.drivers.status import DeviceState, Recovery, ResultCode

PROTOCOL_TABLE = [0x90, 0x9F, 0x91, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81]


def test_every_documented_code_is_mapped():
    assert set(PROTOCOL_TABLE) == KNOWN_CODES
    for code in PROTOCOL_TABLE:
        meaning = interpret(code)
        assert meaning.reason and "undocumented" not in meaning.reason


def test_only_ok_and_card_found_are_success():
    assert {code for code in PROTOCOL_TABLE if interpret(code).ok} == {0x90, 0x9F}


def test_find_card_failed_is_no_media_with_reader_online():
    meaning = interpret(0x80)
    assert (meaning.code, meaning.state, meaning.recovery) == (
        ResultCode.NO_MEDIA, DeviceState.ONLINE, Recovery.RESIDENT_CAN_FIX
    )


@pytest.mark.parametrize("code", [0x60, 0x66, 0x23])
def test_sam_problems_need_maintenance(code):
    meaning = interpret(code)
    assert meaning.state is DeviceState.HARDWARE_ERROR
    assert meaning.recovery is Recovery.NEEDS_MAINTENANCE


@pytest.mark.parametrize("code", [0x10, 0x11])
def test_corrupted_requests_are_worth_retrying(code):
    assert interpret(code).recovery is Recovery.RETRY


@pytest.mark.parametrize("code", [0x31, 0x32, 0x41])
def test_card_problems_ask_the_resident_to_place_the_card_again(code):
    assert interpret(code).recovery is Recovery.RESIDENT_CAN_FIX


@given(st.integers(min_value=0, max_value=255))
def test_any_status_byte_has_a_meaning(code):
    meaning = interpret(code)
    assert isinstance(meaning.code, ResultCode) and isinstance(meaning.state, DeviceState)
    assert meaning.reason
    if code not in KNOWN_CODES:
        assert not meaning.ok and meaning.recovery is Recovery.NEEDS_MAINTENANCE
