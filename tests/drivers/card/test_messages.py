"""The resident is told what happened in simple words, Chinese first (fast, no pcscd)."""

from __future__ import annotations

from kiosk.drivers.card import messages
from kiosk.drivers.card.apdu import pin_tries_query
from kiosk.drivers.card.errors import pin_refused
from kiosk.drivers.status import Completion, Detail, Recovery, ResultCode


def message(code: ResultCode, recovery: Recovery = Recovery.NONE, **detail):
    return messages.resident_message(Completion.failure(code, "technician text", recovery, **detail))


def test_wrong_pin_says_how_many_tries_are_left():
    done = pin_refused(pin_tries_query(), 0x63C2).completion()
    text = messages.resident_message(done)
    assert text.zh == "密码不对，还可以再试2次。"
    assert text.en == "Wrong PIN. You can try 2 more times."
    one = messages.resident_message(pin_refused(pin_tries_query(), 0x63C1).completion())
    assert one.en.endswith("1 more time.")


def test_blocked_pin_sends_the_resident_to_the_window_or_a_reset():
    for sw in (0x6983, 0x63C0):
        assert messages.resident_message(pin_refused(pin_tries_query(), sw).completion()) is messages.PIN_BLOCKED


def test_each_failure_has_its_own_words():
    assert message(ResultCode.NO_MEDIA) is messages.INSERT_CARD
    assert message(ResultCode.MEDIA_REMOVED) is messages.CARD_TAKEN_OUT
    assert message(ResultCode.NO_DEVICE) is messages.READER_BROKEN
    assert message(ResultCode.INVALID_DATA, sw="6A82") is messages.NOT_SSCARD
    assert message(ResultCode.DEVICE_ERROR, Recovery.NEEDS_MAINTENANCE) is messages.KIOSK_CANNOT
    assert message(ResultCode.PROTOCOL_ERROR) is messages.CANNOT_READ
    assert message(ResultCode.TIMEOUT) is messages.TOO_SLOW
    assert messages.resident_message(Completion.success(None)) is None


def test_detail_keys_that_flows_read_are_the_detail_enum():
    wrong = pin_refused(pin_tries_query(), 0x63C2).completion()
    blocked = pin_refused(pin_tries_query(), 0x6983).completion()
    assert wrong.detail == {Detail.SW: "63C2", Detail.TRIES_LEFT: 2, Detail.BLOCKED: False}
    assert blocked.detail == {Detail.SW: "6983", Detail.TRIES_LEFT: 0, Detail.BLOCKED: True}
    assert all(type(key) is Detail for done in (wrong, blocked) for key in done.detail)
