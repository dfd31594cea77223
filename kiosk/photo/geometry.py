"""Rectangles in frame pixels, shared by the face detector, the checks and the crop."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.w / 2, self.y + self.h / 2

    def scaled(self, factor: float) -> "Box":
        return Box(self.x * factor, self.y * factor, self.w * factor, self.h * factor)

    def shifted(self, dx: float, dy: float) -> "Box":
        return Box(self.x + dx, self.y + dy, self.w, self.h)

    def clipped(self, width: int, height: int) -> "Box":
        x0, y0 = max(0.0, self.x), max(0.0, self.y)
        x1, y1 = min(float(width), self.right), min(float(height), self.bottom)
        return Box(x0, y0, max(0.0, x1 - x0), max(0.0, y1 - y0))

    def pixels(self) -> tuple[slice, slice]:
        """Row and column slices for numpy indexing (rounded to whole pixels)."""
        x0, y0 = int(round(self.x)), int(round(self.y))
        return slice(y0, int(round(self.bottom))), slice(x0, int(round(self.right)))

    def to_dict(self) -> dict[str, int]:
        return {"x": round(self.x), "y": round(self.y), "w": round(self.w), "h": round(self.h)}
