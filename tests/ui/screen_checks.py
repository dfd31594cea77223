"""The checks every screen of every service must pass for elderly residents, on real widgets.

Run inside the kiosk app (tests/ui/screen_checks_scenarios.py): each check reads the widgets
on the window as they are drawn, no screenshot guessing. Colours come from the widgets
themselves: a label's `color`, and behind it the `Color` + rectangle its own canvas or an
ancestor's draws (see-through layers blended), else the window's clear colour.

What "large enough" means comes from the display mode (tests/ui/screen_rules.py MODES).
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.graphics import Color, Rectangle, RoundedRectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label
from kivy.uix.relativelayout import RelativeLayout
from kivy.uix.textinput import TextInput

from kiosk.ui.theme import REFERENCE_SHORT_SIDE
from kiosk.ui.voice_prompts import screen_prompt, spoken_text
from tests.ui.screen_rules import MIN_CONTRAST, RULES, DisplayMode, contrast, over

# --- colours, as drawn ---------------------------------------------------------------------


def _painted(node, x: float, y: float, own: bool = False) -> list[tuple]:
    """The colours `node`'s canvas paints under the window point (x, y), topmost first; of
    a text widget's `own` canvas only what lies before its text."""
    layers = []
    colour = None
    for group in (node.canvas.before,) if own else (node.canvas.before, node.canvas):
        if group is None:
            continue
        for instruction in group.children:
            if isinstance(instruction, Color):
                colour = tuple(instruction.rgba)
            elif isinstance(instruction, (Rectangle, RoundedRectangle)) and colour is not None and colour[3] > 0:
                (left, bottom), (width, height) = instruction.pos, instruction.size
                if isinstance(node, RelativeLayout):  # its own drawing is in its own coordinates
                    left, bottom = node.to_parent(left, bottom)
                wx, wy = node.to_window(left, bottom)
                if wx <= x <= wx + width and wy <= y <= wy + height and width > 4 and height > 4:
                    layers.append(colour)
    return list(reversed(layers))


def background(widget) -> tuple[float, float, float]:
    """The colour behind the middle of `widget`, as drawn by it and its ancestors."""
    x, y = widget.to_window(*widget.center)
    layers: list[tuple] = []
    node = widget
    while node is not None and node is not Window:
        layers.extend(_painted(node, x, y, own=node is widget))
        if layers and layers[-1][3] >= 1:
            break
        node = node.parent
    colour = tuple(Window.clearcolor[:3])
    for layer in reversed(layers):  # bottom first
        colour = over(layer, colour)
    return colour


# --- the checks ----------------------------------------------------------------------------


def _visible(r, widget) -> bool:
    return r.is_visible(widget)


def text_widgets(r) -> list:
    return [w for w in r.app.root.walk(restrict=True) if isinstance(w, (Label, TextInput)) and w.text and _visible(r, w)]


def _name(widget) -> str:
    return f"{type(widget).__name__}({getattr(widget, 'text', '')[:24]!r})"


def check_screen(r, mode: DisplayMode, progress=None) -> dict:
    """"checks": each rule's problems on the current screen ([] when it holds, None when it
    does not apply here), and what was measured: the lowest contrast, the smallest text (px
    at 1080) and the smallest button. `progress` is the step the flow is at
    (kiosk.flows.plan), None off a plan."""
    scale = min(Window.size) / REFERENCE_SHORT_SIDE
    app = r.app
    found: dict[str, list[str] | None] = {rule: [] for rule in RULES}
    ratios, sizes, buttons = [], [], []
    for w in text_widgets(r):
        sizes.append(w.font_size / scale)
        if w.font_size < mode.min_body_px * scale - 0.5:
            found["text_size"].append(f"{_name(w)} {w.font_size:.0f}px")
        if w.disabled:  # an inactive control: WCAG asks no contrast of it
            continue
        ratio = contrast(w.color, background(w))
        ratios.append(ratio)
        if ratio < MIN_CONTRAST:
            found["contrast"].append(f"{_name(w)} {ratio:.1f}:1")
    for w in app.root.walk(restrict=True):
        if isinstance(w, ButtonBehavior) and _visible(r, w) and not w.disabled:
            buttons.append(w.height / scale)
            if w.height < mode.min_touch_px * scale - 0.5 or w.width < mode.min_touch_width_px * scale - 0.5:
                found["touch_target"].append(f"{_name(w)} {w.width:.0f}x{w.height:.0f}px")
    screen = r.screen
    if screen.idle_timeout:  # where a session runs; the attract screen waits silently by design
        if not spoken_text(screen_prompt(screen), app.lang):
            found["voice_prompt"].append(f"{screen.name}: nothing to say")
    else:
        found["voice_prompt"] = None
    strip = app.root.ids.step_strip
    if progress is not None:
        if not (_visible(r, strip) and strip.ids.label.text == progress.label.get(app.lang)):
            found["step_strip"].append(f"expected {progress.label.get(app.lang)!r}, shows {strip.ids.label.text!r}")
    else:
        found["step_strip"] = None
    staff = app.root.ids.top_bar.ids.call_staff
    if not (_visible(r, staff) and not staff.disabled and staff.get_root_window() is not None):
        found["staff_button"].append("呼叫工作人员 is not in the top bar")
    return {
        "checks": found,
        "lowest_contrast": round(min(ratios), 1) if ratios else None,
        "smallest_text_px": round(min(sizes)) if sizes else None,
        "lowest_button_px": round(min(buttons)) if buttons else None,
    }
