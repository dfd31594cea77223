"""The photo's automatic shutter: green for the hold time, then 3-2-1, then take; anything
that does not pass starts it over."""

from __future__ import annotations

from kiosk.photo.shutter import AutoShutter, ShutterPhase


def run(shutter: AutoShutter, frames):
    return [shutter.update(passed, at) for at, passed in frames]


def test_green_for_the_hold_then_three_two_one_then_take():
    shutter = AutoShutter(hold_s=1.0, count_step_s=0.5)
    readings = run(shutter, [(t / 10, True) for t in range(0, 27)])
    counts = [r.count for r in readings if r.changed and r.phase is ShutterPhase.COUNTING]
    assert counts == [3, 2, 1]
    assert readings[9].phase is ShutterPhase.HOLDING  # 0.9 s: still holding
    first_take = next(i for i, r in enumerate(readings) if r.phase is ShutterPhase.TAKE)
    assert readings[first_take].changed and first_take / 10 >= 2.5 - 1e-9  # 1 s hold + 3 x 0.5 s


def test_a_frame_that_does_not_pass_during_the_count_starts_it_over():
    shutter = AutoShutter(hold_s=1.0, count_step_s=0.5)
    run(shutter, [(t / 10, True) for t in range(0, 13)])  # counting: 3
    moved = shutter.update(False, 1.3)
    assert moved.phase is ShutterPhase.WAITING and moved.changed
    again = run(shutter, [(1.4 + t / 10, True) for t in range(0, 10)])
    assert all(r.phase is ShutterPhase.HOLDING for r in again)  # the hold starts from the beginning


def test_each_number_is_announced_once():
    shutter = AutoShutter(hold_s=0.0, count_step_s=1.0)
    readings = run(shutter, [(t / 15, True) for t in range(0, 30)])  # 15 frames a second, 2 s
    assert sum(1 for r in readings if r.changed) == 2  # 3, then 2
