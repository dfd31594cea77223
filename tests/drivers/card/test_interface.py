"""The real card reader driver and the in-process fake expose exactly the CardReader Protocol:
the same public methods with the same signatures, so a flow tested with the fake runs on the
real driver (fast, no pcscd: nothing here talks to a reader)."""

from __future__ import annotations

import inspect

import pytest

from kiosk.drivers.card.fake import FakeCardReader
from kiosk.drivers.card.interface import CardReader
from kiosk.drivers.card.reader import SocialSecurityCardReader

FAKE_STEERING = {"insert", "remove", "unplug", "plug_in"}  # the test's hands, not the Protocol's


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


PROTOCOL = public_methods(CardReader)


def test_the_protocol_has_what_flows_and_the_cli_call():
    assert set(PROTOCOL) == {
        "wait_for_card", "read_basic", "read_staff", "pin_status", "verify_pin", "change_pin", "get_challenge", "reload_pin",
        "status", "refresh_status", "close",
    }  # fmt: skip


@pytest.mark.parametrize("implementation", [SocialSecurityCardReader, FakeCardReader])
def test_each_implementation_has_every_protocol_method_with_its_signature(implementation):
    methods = public_methods(implementation)
    for name, signature in PROTOCOL.items():
        assert name in methods, f"{implementation.__name__} has no {name}"
        assert str(methods[name]) == str(signature), f"{implementation.__name__}.{name}{methods[name]} is not {name}{signature}"


def test_the_real_driver_has_no_public_method_outside_the_protocol():
    assert set(public_methods(SocialSecurityCardReader)) == set(PROTOCOL)


def test_the_fake_adds_only_its_steering():
    assert set(public_methods(FakeCardReader)) - set(PROTOCOL) == FAKE_STEERING


def test_both_are_card_readers_at_run_time():
    reader = SocialSecurityCardReader("pcsc://")  # no pcscd needed until an operation runs
    try:
        assert isinstance(reader, CardReader) and isinstance(FakeCardReader(), CardReader)
    finally:
        reader.close()
