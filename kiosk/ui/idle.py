"""When a resident stops touching the screen: a warning countdown, then the end of the session.

Pure timekeeping (a monotonic clock is injected), so the rules are tested without a window;
`kiosk.ui.app` polls `phase()` a few times a second and shows the countdown overlay. How long
a step waits depends on its kind (`step_timeout_s`): a document or typing step waits longer
than a menu.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Callable

from kiosk.config.settings import Config
from kiosk.flows.plan import StepKind

MAX_WARNING_S = 15  # the countdown a resident sees at most


class IdlePhase(StrEnum):
    ACTIVE = "active"
    WARNING = "warning"  # show "returning to the start in N s" with a Continue button
    EXPIRED = "expired"  # end the session


def step_timeout_s(config: Config, kind: StepKind | None) -> float:
    """How long the kiosk waits for a touch on a step of `kind` (None: a menu, outside any
    plan), from the terminal's config. The one place a step's wait is worked out: a
    multiplier (长辈模式) belongs here."""
    idle = config.idle
    by_kind = {
        StepKind.DOCUMENT: idle.document_s,
        StepKind.TYPING: idle.typing_s,
        StepKind.CAMERA: idle.camera_s,
        StepKind.CHECK: idle.check_s,
    }
    return float(by_kind.get(kind, config.idle_timeout_s))


def warning_seconds(timeout_s: float) -> float:
    """The last 15 seconds of the timeout, or the last third of a short one."""
    return min(MAX_WARNING_S, timeout_s / 3)


@dataclass(frozen=True)
class IdleReading:
    phase: IdlePhase
    seconds_left: int  # whole seconds until expiry, rounded up, as the countdown shows them


class IdleTimer:
    def __init__(
        self, timeout_s: float, warning_s: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._fixed_warning_s = warning_s
        self.set_timeout(timeout_s)
        self._clock = clock
        self._last_activity = clock()
        self._configured = (self.timeout_s, self.warning_s)

    def stretch(self, factor: float) -> None:
        """The timeout and its warning `factor` times as long as configured (长辈模式 gives
        more time); 1 puts them back."""
        if factor < 1:
            raise ValueError(f"the timeout may only be stretched, not shrunk ({factor})")
        timeout_s, warning_s = self._configured
        self.timeout_s, self.warning_s = timeout_s * factor, warning_s * factor

    def set_timeout(self, timeout_s: float) -> None:
        """Wait this long from the last touch (a new step's own wait); the warning follows."""
        if timeout_s <= 0:
            raise ValueError(f"idle timeout must be positive, not {timeout_s}")
        warning_s = warning_seconds(timeout_s) if self._fixed_warning_s is None else self._fixed_warning_s
        if not 0 < warning_s <= timeout_s:
            raise ValueError(f"the warning ({warning_s} s) must lie within the timeout ({timeout_s} s)")
        self.timeout_s, self.warning_s = timeout_s, warning_s

    def activity(self) -> None:
        """A touch or a key: the resident is still there."""
        self._last_activity = self._clock()

    def reading(self) -> IdleReading:
        left = self.timeout_s - (self._clock() - self._last_activity)
        if left <= 0:
            return IdleReading(IdlePhase.EXPIRED, 0)
        phase = IdlePhase.WARNING if left <= self.warning_s else IdlePhase.ACTIVE
        return IdleReading(phase, math.ceil(left))
