"""The values a terminal's configuration may hold, each with the reason for its bounds.

A type check alone lets through values that break the kiosk quietly: `max_attempts = 0`
marks every outbox item dead before its first send, `backoff_cap_s = nan` leaves an item in
flight forever, a negative paper width or a brightness of 1e308 makes the checks meaningless.
Every number the loader accepts is therefore checked here against a range that says, in the
deployer's words, why it is what it is. A key without a range here is a test failure
(tests/hardening/test_config_ranges.py), so a new setting cannot skip the check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    why: str

    def problem(self, value: int | float) -> str | None:
        """None when `value` is inside; else the reason, naming the bounds and why they are so."""
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number between {self.low:g} and {self.high:g} ({self.why}), not {value}"
        if not self.low <= value <= self.high:
            return f"must be between {self.low:g} and {self.high:g} ({self.why})"
        return None


_GREY = "a mean grey level of 8-bit pixels, 0 to 255"

RANGES: dict[str, Range] = {
    "idle_timeout_s": Range(15, 600, "shorter cuts off a slow reader; longer leaves a resident's data on screen for the next person"),
    # [photo]
    "photo.min_frame_brightness": Range(0, 255, _GREY),
    "photo.min_brightness": Range(0, 255, _GREY),
    "photo.max_brightness": Range(0, 255, _GREY),
    "photo.min_face_size": Range(0.05, 1.0, "a share of the frame height"),
    "photo.max_face_size": Range(0.05, 1.0, "a share of the frame height"),
    "photo.max_centre_offset": Range(0.0, 0.5, "a share of the frame width; 0.5 is the frame's edge"),
    "photo.max_crop_overflow": Range(0.0, 0.5, "a share of the frame height the crop may reach past its edge"),
    "photo.min_sharpness": Range(0.0, 10000.0, "a variance of the Laplacian; above 10000 no real photo passes"),
    "photo.min_background_whiteness": Range(0, 255, _GREY),
    "photo.max_background_saturation": Range(0, 255, "an HSV saturation of 8-bit pixels, 0 to 255"),
    "photo.auto_capture_hold_s": Range(0.2, 10.0, "seconds of green guidance before the 3-2-1"),
    "photo.countdown_step_s": Range(0.3, 3.0, "seconds per number of the 3-2-1"),
    # [printer]
    "printer.paper_width_dots": Range(128, 2048, "58 mm paper is 384 dots and 112 mm is 832 at 203 dpi"),
    "printer.status_timeout_s": Range(0.1, 30.0, "shorter misreads a busy printer as absent; longer freezes the screen"),
    # [outbox]
    "outbox.max_attempts": Range(1, 1000, "0 would mark every item dead before its first send"),
    "outbox.backoff_base_s": Range(0.1, 3600.0, "the first wait between tries"),
    "outbox.backoff_cap_s": Range(1.0, 86400.0, "the longest wait between tries; beyond a day staff learn too late"),
    "outbox.retention_days": Range(1, 3650, "sent records are kept this long for staff questions; 0 would prune at once"),
    # [voice]
    "voice.volume": Range(0.0, 1.0, "a share of the terminal's sound output"),
    "voice.rate_zh_wpm": Range(80, 300, "espeak-ng words (Chinese syllables) a minute; outside this a listener cannot follow"),
    "voice.rate_en_wpm": Range(80, 300, "espeak-ng words a minute; outside this a listener cannot follow"),
    "voice.pitch": Range(0, 99, "espeak-ng's pitch scale"),
    # [metrics]
    "metrics.port": Range(1024, 65535, "a TCP port no root privilege is needed for; 9479 unless it is taken"),
    "metrics.heartbeat_s": Range(0, 3600, "seconds between heartbeats, 0 for none; the centre alerts after 10 minutes without one"),
    # [elder]
    "elder.timeout_multiplier": Range(1.0, 5.0, "长辈模式 gives more time; beyond 5x a resident's data stays on screen too long after they left"),
    # [idle]
    "idle.document_s": Range(30, 900, "shorter loses a parent still searching a bag for the 户口簿; longer leaves data on screen"),
    "idle.typing_s": Range(30, 900, "shorter cuts off a slow typist; longer leaves data on screen"),
    "idle.camera_s": Range(30, 900, "shorter cuts off someone getting ready for the photo; longer leaves data on screen"),
    "idle.check_s": Range(30, 900, "shorter cuts off a slow reader; longer leaves data on screen"),
    "idle.countdown_s": Range(10, 300, "the last seconds the top bar counts down; it must leave time to react"),
    # [simulator]
    "simulator.centre_clock_speed": Range(0.001, 100000.0, "how much faster than real time production states advance"),
}

# Pairs that must be in order: (lower key, higher key).
ORDERED: tuple[tuple[str, str], ...] = (
    ("photo.min_brightness", "photo.max_brightness"),
    ("photo.min_face_size", "photo.max_face_size"),
    ("outbox.backoff_base_s", "outbox.backoff_cap_s"),
    # a step that asks for a document or typing never waits less than a menu
    ("idle_timeout_s", "idle.document_s"),
    ("idle_timeout_s", "idle.typing_s"),
)


def range_problems(values: dict[str, int | float]) -> list[tuple[str, str]]:
    """(key, reason) for each value outside its range, and for each ordered pair out of order.
    `values` maps dotted keys to the numbers in force (defaults included)."""
    problems = []
    for key, value in values.items():
        rule = RANGES.get(key)
        reason = rule.problem(value) if rule is not None else None
        if reason is not None:
            problems.append((key, reason))
    bad = {key for key, _ in problems}
    for low, high in ORDERED:
        if low in values and high in values and not bad & {low, high} and values[low] > values[high]:
            problems.append((high, f"must not be below {low} ({values[low]:g})"))
    return problems
