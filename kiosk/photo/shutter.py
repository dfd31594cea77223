"""When the photo takes itself: once the guidance has been green for a moment, a spoken
3-2-1, then the shutter. Many elderly residents cannot reach the button while holding
still in front of the camera; the button stays for those who want it.

`AutoShutter` is only the timing, fed with each preview's verdict and the time; it knows
nothing of screens or voices. Any frame that does not pass starts it over, so the photo is
never taken of someone who moved away during the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

COUNT_FROM = 3


class ShutterPhase(StrEnum):
    WAITING = "waiting"  # the picture does not pass yet
    HOLDING = "holding"  # it passes: waiting for it to stay so for the hold time
    COUNTING = "counting"  # 3, 2, 1
    TAKE = "take"  # now


@dataclass(frozen=True)
class ShutterReading:
    phase: ShutterPhase
    count: int | None = None  # 3, 2 or 1 while counting
    changed: bool = False  # the phase or the count is new (a number to show and say)


class AutoShutter:
    def __init__(self, hold_s: float, count_step_s: float, count_from: int = COUNT_FROM) -> None:
        self.hold_s = hold_s
        self.count_step_s = count_step_s
        self.count_from = count_from
        self._green_since: float | None = None
        self._last: tuple[ShutterPhase, int | None] = (ShutterPhase.WAITING, None)

    def reset(self) -> None:
        self._green_since, self._last = None, (ShutterPhase.WAITING, None)

    def update(self, passed: bool, now: float) -> ShutterReading:
        """What the shutter does at `now` (time.monotonic()), given the newest preview's verdict."""
        if not passed:
            self._green_since = None
            return self._reading(ShutterPhase.WAITING, None)
        if self._green_since is None:
            self._green_since = now
        green = now - self._green_since
        if green < self.hold_s:
            return self._reading(ShutterPhase.HOLDING, None)
        step = int((green - self.hold_s) // self.count_step_s)
        if step >= self.count_from:
            return self._reading(ShutterPhase.TAKE, None)
        return self._reading(ShutterPhase.COUNTING, self.count_from - step)

    def _reading(self, phase: ShutterPhase, count: int | None) -> ShutterReading:
        changed = (phase, count) != self._last
        self._last = (phase, count)
        return ShutterReading(phase, count, changed)
