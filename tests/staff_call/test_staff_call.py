"""呼叫工作人员 end to end below the UI: the real light driver against the relay simulator and
the real centre client against the centre simulator, through the outbox."""

from __future__ import annotations

import dataclasses
import time

import pytest

from hwsim.control import send
from kiosk.config import OutboxSettings
from kiosk.flows.context import KioskServices
from kiosk.flows.staff_call import call_staff, end_call
from kiosk.offline.items import PRIORITY, Kind
from kiosk.offline.outbox import ItemState
from tests.flows.conftest import FAST, config, rig  # noqa: F401  (fixtures)


@pytest.fixture
def services(config):  # noqa: F811
    # A retry is due within 50 ms, so a test can see the worker deliver what waited.
    built = KioskServices.build(dataclasses.replace(config, outbox=OutboxSettings(backoff_base_s=0.05)), timeouts=FAST)
    yield built
    built.close()


def calls(rig) -> list[dict]:  # noqa: F811
    return rig.centre.staff_calls.listed()


def test_a_press_lights_the_tower_and_reaches_the_centre_once(rig, services):  # noqa: F811
    result = call_staff(services, screen="keypad", service="apply")
    assert result.heard and result.light_on and result.centre_has_it
    assert result.phone == services.outlet.phone
    assert rig.staff_signal.light
    [call] = calls(rig)
    assert (call["outlet_id"], call["terminal_id"], call["screen"], call["service"]) == ("CS-01", "T01", "keypad", "apply")


def test_a_call_that_arrives_twice_is_still_one_call(rig, services):  # noqa: F811
    send("centre", "replay", count=1)  # a network that delivers the request twice
    result = call_staff(services, screen="home")
    assert result.centre_has_it
    assert len(calls(rig)) == 1


def test_an_answer_lost_on_the_way_back_is_sent_again_with_the_same_key(rig, services):  # noqa: F811
    send("centre", "drop_response", count=1)
    result = call_staff(services, screen="home")
    assert not result.centre_has_it and len(calls(rig)) == 1  # it arrived; the kiosk did not hear
    [(item, _payload)] = services.outbox.unsent(Kind.STAFF_CALL)
    assert services.centre.call_staff(item.idempotency_key, _payload).duplicate  # the retry the worker makes
    assert len(calls(rig)) == 1


def test_centre_down_the_light_still_calls_and_the_call_waits_for_the_centre(rig, services):  # noqa: F811
    rig.centre.down()
    result = call_staff(services, screen="photo")
    assert result.heard and result.light_on and not result.centre_has_it
    rig.centre.up()
    time.sleep(0.1)
    services.sync.sync_once()
    assert len(calls(rig)) == 1 and services.outbox.unsent(Kind.STAFF_CALL) == []


def test_no_light_and_no_centre_is_not_heard_and_the_phone_is_shown(rig, config):  # noqa: F811
    rig.centre.down()
    services = KioskServices.build(dataclasses.replace(config, devices=dataclasses.replace(config.devices, staff_signal="")), timeouts=FAST)
    try:
        result = call_staff(services, screen="home")
    finally:
        services.close()
    assert not result.heard and result.phone


def test_an_unplugged_light_leaves_the_centre_to_call_staff(rig, services):  # noqa: F811
    send("staff-signal", "unplug")
    result = call_staff(services, screen="home")
    assert result.heard and not result.light_on and result.centre_has_it


def test_each_press_is_its_own_call(rig, services):  # noqa: F811
    call_staff(services, screen="home")
    call_staff(services, screen="home")
    assert len(calls(rig)) == 2


def test_the_light_goes_out_when_the_resident_has_left(rig, services):  # noqa: F811
    call_staff(services, screen="home")
    end_call(services)
    end = time.monotonic() + 3
    while rig.staff_signal.light and time.monotonic() < end:
        time.sleep(0.01)
    assert not rig.staff_signal.light


def test_a_call_carries_nothing_personal(rig, services):  # noqa: F811
    rig.centre.down()
    call_staff(services, screen="review", service="apply")
    [(item, payload)] = services.outbox.unsent(Kind.STAFF_CALL)
    assert set(payload) == {"outlet_id", "terminal_id", "screen", "service", "called_at"}


def test_staff_calls_are_as_urgent_as_the_most_urgent_item_in_the_outbox():
    assert PRIORITY[Kind.STAFF_CALL] == max(PRIORITY.values()) == PRIORITY[Kind.LOSS_REPORT]


def test_a_staff_call_does_not_wait_behind_loss_reports_the_centre_has_not_taken(rig, services):  # noqa: F811
    rig.centre.down()
    services.outbox.enqueue(Kind.LOSS_REPORT, {"id_number": "500115199003071234"})  # queued while offline
    rig.centre.up()
    result = call_staff(services, screen="home")
    assert result.centre_has_it and len(calls(rig)) == 1
