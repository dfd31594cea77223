"""Can the kiosk font draw this character? A character it cannot draw would show as an
empty box, which a resident cannot check; the input screen refuses it with a message
instead. The answer comes from the font's own character map (fontTools), read once."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kiosk.text_input.interface import EngineUnavailable


class FontCoverage:
    """GlyphCheck (kiosk.text_input.interface) for one font file (.ttf, .otf or .ttc)."""

    def __init__(self, font: Path) -> None:
        self.font = Path(font)
        self._codepoints = _codepoints(self.font)

    def can_draw(self, char: str) -> bool:
        return len(char) == 1 and (char == " " or ord(char) in self._codepoints)

    def missing(self, text: str) -> str:
        """The characters of `text` the font cannot draw, each once, in order."""
        return "".join(dict.fromkeys(c for c in text if not self.can_draw(c)))


@lru_cache(maxsize=4)
def _codepoints(font: Path) -> frozenset[int]:
    from fontTools.ttLib import TTCollection, TTFont

    try:
        if font.suffix.lower() == ".ttc":
            faces = TTCollection(str(font), lazy=True).fonts[:1]
        else:
            faces = [TTFont(str(font), lazy=True)]
        return frozenset(faces[0].getBestCmap() or {})
    except Exception as exc:  # a missing or unreadable font: nothing can be checked
        raise EngineUnavailable(f"cannot read the character map of {font}: {exc}") from None
