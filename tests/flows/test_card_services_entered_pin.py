"""The PIN as the pin pad hands it to a flow: never shown, never copied, wiped after use."""

from __future__ import annotations

import pickle

import pytest

from kiosk.flows.pin_entry import EnteredPin


def test_digits_are_read_as_values_without_copying_the_buffer():
    pin = EnteredPin(bytearray(b"860417"))
    assert list(pin) == [8, 6, 0, 4, 1, 7] and len(pin) == 6
    with pytest.raises(TypeError):
        pin[1:]  # a slice would be a copy nobody wipes


def test_repr_str_and_pickle_never_show_the_digits():
    pin = EnteredPin(bytearray(b"860417"))
    assert "860417" not in repr(pin) and "860417" not in str(pin) and repr(pin) == "EnteredPin(******)"
    with pytest.raises(TypeError):
        pickle.dumps(pin)


def test_the_with_block_wipes_the_pin_pads_buffer():
    buffer = bytearray(b"860417")
    with EnteredPin(buffer) as pin:
        assert not pin.wiped
    assert buffer == bytearray(6) and pin.wiped


def test_two_entries_compare_without_text():
    a, b, c = (EnteredPin(bytearray(x)) for x in (b"860417", b"860417", b"860418"))
    assert a.matches(b) and not a.matches(c)


def test_the_driver_pin_it_makes_is_masked_too():
    assert "860417" not in repr(EnteredPin(bytearray(b"860417")).to_pin())


def test_only_a_bytearray_is_taken():
    with pytest.raises(TypeError):
        EnteredPin(b"860417")  # bytes cannot be wiped
