"""Maintenance mode says when the terminal's clock is behind the software's build day: the
reason the services that number a voucher or date a record are closed (kiosk.availability.
clock_floor) is in the terminal's facts staff see. On the in-process fakes."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from kiosk.flows.context import KioskServices
from kiosk.flows.terminal_facts import terminal_facts
from tests.flows.card_rig import Pins
from tests.flows.conftest import FAST
from tests.flows.fake_rig import rig  # noqa: F401
from tests.flows.test_maintenance import LEAVE, dashboard, run_maintenance, signed_in

NOW = datetime(2000, 1, 1, 8, 30).astimezone()  # a terminal that lost its clock battery


def clock_row(port) -> tuple:
    terminal = dict((label.en, value) for label, value in dashboard(port)["sections"][2][1])
    return terminal["Clock"]


@pytest.fixture
def build(rig, config):  # noqa: F811
    built = []

    def services(not_before):
        made = KioskServices.build(dataclasses.replace(config, not_before=not_before), timeouts=FAST,
                                   devices=rig.devices(), clock=lambda: NOW)
        built.append(made)
        return made

    yield services
    for made in built:
        made.close()


def test_a_clock_before_the_build_day_is_shown_to_staff_with_what_to_check(rig, build):  # noqa: F811
    services = build(NOW.date() + timedelta(days=400))
    rig.card.insert("staff")
    clock = clock_row(run_maintenance(services, [*signed_in(Pins()), LEAVE]))
    assert clock.zh.startswith("2000-01-01 08:30:00") and "早于软件生成日期" in clock.zh and "时钟电池" in clock.zh
    assert f"build day {(NOW.date() + timedelta(days=400)):%Y-%m-%d}" in clock.en and "paused" in clock.en


def test_a_right_clock_is_shown_as_the_time_alone(rig, build):  # noqa: F811
    services = build(NOW.date())
    rig.card.insert("staff")
    assert clock_row(run_maintenance(services, [*signed_in(Pins()), LEAVE])) == f"{NOW:%Y-%m-%d %H:%M:%S %z}"


def test_the_facts_count_the_days_the_clock_is_behind(config):
    behind = terminal_facts(dataclasses.replace(config, not_before=NOW.date() + timedelta(days=3)), NOW)
    assert behind.clock_days_behind == 3
    assert terminal_facts(dataclasses.replace(config, not_before=None), NOW).clock_days_behind == 0
