"""What the input screen needs from an engine: characters for some ink, characters for
some pinyin letters, and whether a character can be drawn. Tests drive the engines
through these without Kivy; the screen never knows which library is behind them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Sequence

Point = tuple[float, float]  # pad coordinates, x to the right, y DOWN, in pixels


class EngineUnavailable(RuntimeError):
    """The library or its data is not installed (scripts/setup installs both)."""


@dataclass
class Ink:
    """The strokes written on a pad of `width` x `height`, y downwards.

    A point outside the pad is moved to its edge: a finger that slips past the border
    while writing still writes the stroke it meant. A stroke that STARTS outside is not
    writing at all (a palm, a sleeve) and `start_stroke` refuses it.
    """

    width: float
    height: float
    strokes: list[list[Point]] = field(default_factory=list)

    def inside(self, x: float, y: float) -> bool:
        return 0 <= x <= self.width and 0 <= y <= self.height

    def start_stroke(self, x: float, y: float) -> bool:
        """Begin a stroke; False (nothing added) if (x, y) is outside the pad."""
        if not self.inside(x, y):
            return False
        self.strokes.append([(x, y)])
        return True

    def extend_stroke(self, x: float, y: float) -> None:
        if self.strokes:
            self.strokes[-1].append((min(max(x, 0.0), self.width), min(max(y, 0.0), self.height)))

    def undo_stroke(self) -> None:
        if self.strokes:
            self.strokes.pop()

    def clear(self) -> None:
        self.strokes.clear()

    @property
    def empty(self) -> bool:
        return not self.strokes


class Recogniser(Protocol):
    def recognise(self, ink: Ink, n: int = 10) -> list[str]:
        """The likeliest characters for `ink`, best first; [] for an empty pad."""


class PinyinLookup(Protocol):
    def candidates(self, letters: str, n: int = 30) -> list[str]:
        """Words and characters for pinyin `letters` (whole syllables like "zhangwei" or
        initials like "zw"), best first; [] when nothing matches."""


class GlyphCheck(Protocol):
    def can_draw(self, char: str) -> bool:
        """True if the kiosk font has a glyph for `char` (never draw an empty box)."""


def drawable(candidates: Sequence[str], glyphs: GlyphCheck) -> list[str]:
    """The candidates whose every character the font can draw."""
    return [c for c in candidates if all(glyphs.can_draw(ch) for ch in c)]
