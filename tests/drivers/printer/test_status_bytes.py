"""Decoding the printer's status bytes: what each bit means, and that nothing is assumed."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.drivers.printer.status import (
    StatusByteError,
    device_status,
    is_gs_r_answer,
    is_realtime_answer,
    parse_gs_r_paper,
    sensors_from_answers,
)
from kiosk.drivers.status import CoverState, DeviceState, Recovery, SupplyState

FINE = {"printer": 0x12, "offline_cause": 0x12, "roll_paper": 0x12, "gs_r": 0x00}


def status_of(**answers):
    return device_status(sensors_from_answers({**FINE, **answers}))


def test_all_clear_is_online_with_full_paper():
    status = status_of()
    assert status.state is DeviceState.ONLINE
    assert status.supplies == {"paper": SupplyState.FULL}
    assert status.cover is CoverState.CLOSED
    assert status.usable


def test_paper_end_bits_of_dle_eot_4_mean_paper_out_and_staff_can_clear():
    status = status_of(roll_paper=0x12 | 0x60)
    assert status.supplies["paper"] is SupplyState.OUT
    assert status.recovery is Recovery.STAFF_CAN_CLEAR
    assert not status.usable


def test_one_paper_end_bit_is_enough():
    assert status_of(roll_paper=0x12 | 0x20).supplies["paper"] is SupplyState.OUT


def test_paper_end_seen_only_by_gs_r_still_counts():
    assert status_of(gs_r=0x0C).supplies["paper"] is SupplyState.OUT


def test_near_end_is_low_paper_still_usable_and_reported_for_staff():
    status = status_of(roll_paper=0x12 | 0x0C)
    assert status.supplies["paper"] is SupplyState.LOW
    assert status.usable
    assert status.recovery is Recovery.STAFF_CAN_CLEAR


def test_cover_open_bit_of_dle_eot_2_is_a_user_error():
    status = status_of(offline_cause=0x12 | 0x04, printer=0x12 | 0x08)
    assert status.cover is CoverState.OPEN
    assert status.state is DeviceState.USER_ERROR
    assert not status.usable


def test_error_bit_needs_maintenance():
    status = status_of(offline_cause=0x12 | 0x40)
    assert status.state is DeviceState.HARDWARE_ERROR
    assert status.recovery is Recovery.NEEDS_MAINTENANCE


def test_offline_without_a_known_cause_is_offline():
    status = status_of(printer=0x12 | 0x08)
    assert status.state is DeviceState.OFFLINE
    assert not status.usable


@pytest.mark.parametrize("byte", [0x00, 0xFF, 0x10, 0x02, 0x93])
def test_byte_with_wrong_fixed_bits_is_not_a_dle_eot_answer(byte):
    with pytest.raises(StatusByteError):
        sensors_from_answers({**FINE, "roll_paper": byte})


def test_dle_eot_answers_and_gs_r_answers_cannot_be_confused():
    for byte in range(256):
        assert not (is_realtime_answer(byte) and is_gs_r_answer(byte))


@given(st.dictionaries(st.sampled_from(["printer", "offline_cause", "roll_paper", "gs_r"]), st.integers(0, 255)))
def test_any_status_bytes_decode_or_fail_clearly_and_never_hide_paper_end(answers):
    try:
        sensors = sensors_from_answers(answers)
    except StatusByteError:
        return
    status = device_status(sensors)
    paper_end = (answers.get("roll_paper", 0) & 0x60) or (answers.get("gs_r", 0) & 0x0C)
    if paper_end:
        assert status.supplies["paper"] is SupplyState.OUT
        assert not status.usable


@given(st.integers(0, 255))
def test_gs_r_parse_accepts_exactly_the_gs_r_shape(byte):
    if is_gs_r_answer(byte):
        parsed = parse_gs_r_paper(byte)
        assert parsed["paper_end"] == bool(byte & 0x0C)
    else:
        with pytest.raises(StatusByteError):
            parse_gs_r_paper(byte)
