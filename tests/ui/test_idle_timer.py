"""The idle rules themselves, on a hand-driven clock (no window)."""

from __future__ import annotations

import pytest

from kiosk.ui.idle import MAX_WARNING_S, IdlePhase, IdleTimer, warning_seconds


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return FakeClock()


def test_active_until_the_warning_starts(clock):
    timer = IdleTimer(90, clock=clock)
    clock.now += 90 - MAX_WARNING_S - 0.1
    assert timer.reading().phase is IdlePhase.ACTIVE


def test_warning_counts_down_whole_seconds_rounded_up(clock):
    timer = IdleTimer(90, clock=clock)
    clock.now += 90 - 14.5
    reading = timer.reading()
    assert (reading.phase, reading.seconds_left) == (IdlePhase.WARNING, 15)
    clock.now += 14
    assert timer.reading().seconds_left == 1


def test_expires_at_the_timeout(clock):
    timer = IdleTimer(90, clock=clock)
    clock.now += 90
    assert timer.reading().phase is IdlePhase.EXPIRED


def test_activity_restarts_the_whole_timeout(clock):
    timer = IdleTimer(30, clock=clock)
    clock.now += 29
    timer.activity()
    clock.now += 29
    assert timer.reading().phase is IdlePhase.WARNING
    assert timer.reading().seconds_left == 1


def test_short_timeouts_warn_for_their_last_third():
    assert warning_seconds(90) == MAX_WARNING_S
    assert warning_seconds(15) == 5
    assert warning_seconds(3) == 1


@pytest.mark.parametrize("timeout, warning", [(0, None), (-1, None), (10, 11), (10, 0)])
def test_nonsense_settings_are_refused(timeout, warning):
    with pytest.raises(ValueError):
        IdleTimer(timeout, warning)


# --- a step's own wait (kiosk.flows.plan.StepKind, [idle] in the config) -------------


def test_a_document_step_waits_longer_than_a_menu():
    from kiosk.config import load_config
    from kiosk.flows.plan import StepKind
    from kiosk.ui.idle import step_timeout_s

    config = load_config()
    menu = step_timeout_s(config, None)
    assert menu == config.idle_timeout_s == step_timeout_s(config, StepKind.CHOICE)
    assert step_timeout_s(config, StepKind.DOCUMENT) == config.idle.document_s > menu
    assert step_timeout_s(config, StepKind.TYPING) == config.idle.typing_s > menu


def test_a_new_steps_wait_applies_from_the_last_touch(clock):
    timer = IdleTimer(90, clock=clock)
    clock.now += 80
    timer.set_timeout(240)  # on to a document step
    assert timer.reading().phase is IdlePhase.ACTIVE
    assert timer.reading().seconds_left == 160
    assert timer.warning_s == MAX_WARNING_S
