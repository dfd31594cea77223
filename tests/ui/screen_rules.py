"""The rules every screen must follow for elderly residents, and the display modes they are
checked in; no Kivy here, so the test process reads them without opening a window
(tests/ui/screen_checks.py applies them to the widgets, inside the app).

Each mode is one line in MODES: its minimums and how the app is put in it ("elder" is
长辈模式, kiosk/ui/mode.py: no text below 48 px).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from kiosk.ui.mode import Mode  # no Kivy in it

TABLES: list[str] = []  # the tables of this pytest run, printed at its end (tests/ui/conftest.py)
MIN_CONTRAST = 7.0  # WCAG 2 AAA, normal text
RULES = ("text_size", "contrast", "touch_target", "voice_prompt", "step_strip", "staff_button")


@dataclass(frozen=True)
class DisplayMode:
    name: str
    min_body_px: float  # at REFERENCE_SHORT_SIDE pixels on the short side
    min_touch_px: float  # a button's height (kiosk.ui.theme: buttons never below 120 px tall)
    # and its width: the letter keyboard's ten keys in a row on 1080 px are 83 px wide, still
    # twice WCAG 2.5.5's 44 px on a kiosk panel whose pixels are larger than a desktop's
    min_touch_width_px: float
    enter: Callable[[object], None] | None = None  # how the app is put in this mode (None: as it starts)


MODES = {
    "standard": DisplayMode("standard", min_body_px=32, min_touch_px=120, min_touch_width_px=80),
    "elder": DisplayMode("elder", min_body_px=48, min_touch_px=120, min_touch_width_px=80, enter=lambda app: app.set_mode(Mode.SIMPLER)),
}


# --- colours (WCAG 2) -------------------------------------------------------------------


def luminance(rgb) -> float:
    """WCAG relative luminance of an sRGB colour (0..1 channels)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(float(c)) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def over(top, below) -> tuple[float, float, float]:
    """`top` (rgba) blended over the opaque colour `below`."""
    alpha = float(top[3]) if len(top) > 3 else 1.0
    return tuple(alpha * float(t) + (1 - alpha) * float(b) for t, b in zip(top[:3], below[:3]))


def summary(found: dict[str, list[str] | None]) -> dict[str, str]:
    """One word per rule for the table: ok, FAIL or n/a."""
    return {rule: "n/a" if problems is None else "FAIL" if problems else "ok" for rule, problems in found.items()}


def table(results: dict[str, dict], mode: str) -> str:
    """The per-screen results as a fixed-width table: one row a screen, one column a rule."""
    width = max(len(name) for name in results) if results else 10
    measured = ("lowest_contrast", "smallest_text_px", "lowest_button_px")
    head = f"{'screen (' + mode + ')':<{width}}  " + "  ".join(f"{rule:<12}" for rule in RULES)
    head += "  contrast  text px  button px"
    rows = [head, "-" * len(head)]
    for name, result in results.items():
        words = summary(result["checks"])
        numbers = [result.get(key) for key in measured]
        rows.append(
            f"{name:<{width}}  " + "  ".join(f"{words[rule]:<12}" for rule in RULES)
            + "  " + "  ".join(f"{'-' if n is None else n:>8}" for n in numbers)
        )  # fmt: skip
    return "\n".join(rows)


def problems_text(results: dict[str, dict]) -> str:
    """Every problem found, screen by screen (the artifact beside the table)."""
    lines = []
    for name, result in results.items():
        for rule, found in result["checks"].items():
            for problem in found or ():
                lines.append(f"{name}: {rule}: {problem}")
    return "\n".join(lines) or "no problems"
