"""Filling Bilingual templates with values that are themselves Chinese-and-English."""

from __future__ import annotations

from kiosk.i18n import Bilingual


def fill(template: Bilingual, **values: Bilingual | str | int) -> Bilingual:
    """`template` with each placeholder filled in its own language: a Bilingual value gives
    its Chinese to the Chinese text and its English to the English text; other values go in
    as they are (numbers, serials, proper names)."""
    zh = {k: v.zh if isinstance(v, Bilingual) else v for k, v in values.items()}
    en = {k: v.en if isinstance(v, Bilingual) else v for k, v in values.items()}
    return Bilingual(template.zh.format(**zh), template.en.format(**en))
