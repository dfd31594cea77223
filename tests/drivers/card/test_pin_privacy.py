"""PIN digits never leave the driver: not in a log line, a Completion, a repr, an exception
or a trace, whichever way the operation ends."""

from __future__ import annotations

import logging
import traceback

import pytest

from kiosk.drivers.card import apdu
from kiosk.drivers.card.pin import BadPin, Pin
from kiosk.drivers.status import ResultCode

from .conftest import insert

pytestmark = pytest.mark.pcsc  # pcscd with the vpcd virtual reader

PIN = "975310"  # digits that appear nowhere else in a trace
NEW_PIN = "864297"
SECRETS = (PIN, NEW_PIN, "97531", "86429")


def assert_no_pin(*texts: object) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text), f"PIN digits leaked into: {text!r}"


def completion_texts(done) -> list[str]:
    return [repr(done), done.reason, repr(done.detail)]


def test_wrong_pin_leaves_no_digits_in_logs_or_results(card_sim, reader, trace, debug_logs):
    insert(card_sim, "gen2")
    done = reader.verify_pin(PIN)
    assert done.code is ResultCode.REFUSED
    changed = reader.change_pin(PIN, NEW_PIN)
    assert changed.code is ResultCode.REFUSED
    assert_no_pin(debug_logs.text, *trace, *completion_texts(done), *completion_texts(changed))
    assert_no_pin(*card_sim.trace(0))
    assert any("0020000003******" in line for line in trace), "the VERIFY was traced, masked"


def test_pin_pulled_out_mid_verify_leaves_no_digits(card_sim, reader, trace, debug_logs):
    insert(card_sim, "gen2")
    assert reader.pin_status().ok
    card_sim.remove(0, during_next_command=True)
    done = reader.verify_pin(PIN)
    assert done.code is ResultCode.MEDIA_REMOVED
    assert_no_pin(debug_logs.text, *trace, *completion_texts(done))


def test_pin_blocked_leaves_no_digits(card_sim, reader, debug_logs):
    insert(card_sim, "pin-blocked")
    done = reader.change_pin(PIN, NEW_PIN)
    assert done.code is ResultCode.DEVICE_ERROR
    assert_no_pin(debug_logs.text, *completion_texts(done))


def test_bad_pin_error_does_not_repeat_the_input():
    for bad in ("97531a", "975310975310975"):
        with pytest.raises(BadPin) as caught:
            Pin(bad)
        text = "".join(traceback.format_exception(caught.value))
        assert bad not in text and "97531" not in text


def test_pin_and_its_apdus_have_masked_reprs():
    pin = Pin(PIN)
    command = apdu.verify_pin(pin.bcd())
    change = apdu.change_pin(pin.bcd(), Pin(NEW_PIN).bcd())
    assert_no_pin(repr(pin), str(pin), f"{pin}", repr(command), command.hex(), repr(change), change.hex())
    assert command.to_bytes().hex().upper().endswith(PIN)  # the card itself does get it
    with pytest.raises(TypeError):
        __import__("pickle").dumps(pin)


def test_driver_logs_at_debug_show_masked_pin_commands(card_sim, reader, caplog):
    caplog.set_level(logging.DEBUG, logger="kiosk.drivers.card")
    insert(card_sim, "gen2")
    assert reader.verify_pin("123456").ok
    assert "0020000003******" in caplog.text
    assert "123456" not in caplog.text
