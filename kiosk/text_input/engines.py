"""The engines the input screen uses, loaded once per process: an engine that is not
installed leaves its mode switched off (and logged), never the kiosk stopped."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.text_input.glyphs import FontCoverage
from kiosk.text_input.handwriting import ZinniaRecogniser
from kiosk.text_input.interface import EngineUnavailable, GlyphCheck, PinyinLookup, Recogniser
from kiosk.text_input.pinyin import LibpinyinLookup

log = logging.getLogger(__name__)


@dataclass
class Engines:
    recogniser: Recogniser | None
    pinyin: PinyinLookup | None
    glyphs: GlyphCheck

    @classmethod
    def load(cls, font: Path) -> Engines:
        return cls(_try(ZinniaRecogniser, "handwriting"), _try(LibpinyinLookup, "pinyin"), FontCoverage(font))

    def close(self) -> None:
        for engine in (self.recogniser, self.pinyin):
            close = getattr(engine, "close", None)
            if close is not None:
                close()


def _try(build, what: str):
    try:
        return build()
    except EngineUnavailable as exc:
        log.error("Chinese %s input is off: %s", what, exc)
        return None
