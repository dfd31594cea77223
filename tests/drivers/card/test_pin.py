"""PIN operations on the card, one test per way they end."""

from __future__ import annotations

import pytest

from hwsim.card.crypto import TEST_RELOAD_KEY, reload_block
from kiosk.drivers.status import Recovery, ResultCode

from .conftest import insert

pytestmark = pytest.mark.pcsc  # pcscd with the vpcd virtual reader


def test_wrong_pin_counts_the_tries_down(card_sim, reader):
    insert(card_sim, "gen2")  # 6 tries
    seen = []
    for _ in range(3):
        done = reader.verify_pin("000000")
        assert done.code is ResultCode.REFUSED
        assert done.recovery is Recovery.RESIDENT_CAN_FIX
        seen.append(done.detail["tries_left"])
    assert seen == [5, 4, 3]
    assert reader.pin_status().value.tries_left == 3


def test_right_pin_verifies_and_restores_the_tries(card_sim, reader):
    insert(card_sim, "gen2")
    assert reader.verify_pin("000000").detail["tries_left"] == 5
    assert reader.verify_pin("123456").ok
    assert reader.pin_status().value.verified
    card_sim.remove(0)
    insert(card_sim, "gen2")  # the same card back: its counter is card memory
    assert reader.pin_status().value.tries_left == 6


def test_last_wrong_try_blocks_the_pin(card_sim, reader):
    insert(card_sim, "gen1")  # 3 tries
    assert [reader.verify_pin("999999").detail["tries_left"] for _ in range(2)] == [2, 1]
    done = reader.verify_pin("999999")
    assert done.code is ResultCode.DEVICE_ERROR
    assert done.detail["blocked"] is True and done.detail["tries_left"] == 0
    assert done.recovery is Recovery.STAFF_CAN_CLEAR
    again = reader.verify_pin("123456")  # even the right PIN: blocked is blocked
    assert again.code is ResultCode.DEVICE_ERROR and again.detail["sw"] == "6983"


def test_blocked_card_refuses_verify_and_change(card_sim, reader):
    insert(card_sim, "pin-blocked")
    assert reader.pin_status().value.blocked
    for done in (reader.verify_pin("123456"), reader.change_pin("123456", "654321")):
        assert done.code is ResultCode.DEVICE_ERROR
        assert done.detail == {"sw": "6983", "tries_left": 0, "blocked": True}
        assert "window" in done.reason


def test_change_pin_then_the_new_pin_verifies(card_sim, reader):
    insert(card_sim, "gen3")
    assert reader.change_pin("123456", "246810").ok
    assert reader.verify_pin("123456").code is ResultCode.REFUSED
    assert reader.verify_pin("246810").ok


def test_change_pin_with_wrong_old_pin_counts_down(card_sim, reader):
    insert(card_sim, "gen2")
    done = reader.change_pin("111111", "222222")
    assert done.code is ResultCode.REFUSED and done.detail["tries_left"] == 5
    assert reader.verify_pin("123456").ok  # unchanged


def test_reload_with_the_centres_block_unblocks_the_pin(card_sim, reader):
    insert(card_sim, "pin-blocked")
    challenge = reader.get_challenge()
    assert challenge.ok and len(challenge.value) == 8
    block = reload_block(TEST_RELOAD_KEY, challenge.value, "864202")  # what the centre's HSM sends
    assert reader.reload_pin(block).ok
    status = reader.pin_status().value
    assert not status.blocked and status.tries_left == 6
    assert reader.verify_pin("864202").ok


def test_reload_block_with_a_bad_mac_is_refused(card_sim, reader):
    insert(card_sim, "pin-blocked")
    challenge = reader.get_challenge().value
    block = bytearray(reload_block(TEST_RELOAD_KEY, challenge, "864202"))
    block[-1] ^= 0x01
    done = reader.reload_pin(bytes(block))
    assert done.code is ResultCode.REFUSED and done.detail["sw"] == "6988"
    assert reader.pin_status().value.blocked


def test_reload_block_for_an_old_challenge_is_refused(card_sim, reader):
    insert(card_sim, "pin-blocked")
    old = reader.get_challenge().value
    reader.get_challenge()  # the card has a new random now
    done = reader.reload_pin(reload_block(TEST_RELOAD_KEY, old, "864202"))
    assert done.code is ResultCode.REFUSED


def test_pin_that_is_not_digits_is_invalid_data_without_a_card_command(card_sim, reader, trace):
    insert(card_sim, "gen2")
    for bad in ("12ab56", "123", "1234567890123", ""):
        done = reader.verify_pin(bad)
        assert done.code is ResultCode.INVALID_DATA
    assert trace == []
