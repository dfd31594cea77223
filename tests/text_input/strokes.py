"""Recorded stroke-order data for the handwriting tests and the bench (data/README.md)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from kiosk.text_input.interface import Ink

DATA = Path(__file__).resolve().parent / "data" / "hanzi_medians.json"
BOX = 1024  # Make Me a Hanzi's square
BASELINE = 900  # its y axis points up from here


@lru_cache(maxsize=1)
def medians() -> dict[str, list[list[list[int]]]]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def strokes(char: str, size: float = 1.0) -> list[list[tuple[float, float]]]:
    """`char`'s strokes in order, as points in a `size` square, y downwards."""
    scale = size / BOX
    return [[(x * scale, (BASELINE - y) * scale) for x, y in stroke] for stroke in medians()[char]]


def ink(char: str, size: float = 400.0) -> Ink:
    return Ink(size, size, strokes(char, size))
