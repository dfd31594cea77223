"""Handwriting recognition with Zinnia and the Tegaki simplified-Chinese model.

A thin ctypes wrapper over libzinnia's C API (zinnia.h): Debian's libzinnia0 and
tegaki-zinnia-simplified-chinese, both in deploy/apt-packages.txt. Zinnia recognises a
whole character from its strokes in order, so the screen asks again after every stroke.
Zinnia scales by the size it is told, so the ink is put into a square of SIZE around
the pad's centre first: a wide pad does not squash the character.
"""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path

from kiosk.text_input.interface import EngineUnavailable, Ink
from kiosk.text_input.native import load_library

LIBRARY = "libzinnia.so.0"
MODEL = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")
SIZE = 1000  # the square the ink is scaled into: the Tegaki models' own coordinate space

_P = ctypes.c_void_p


def _load(name: str) -> ctypes.CDLL:
    signatures = {
        "zinnia_recognizer_new": ([], _P),
        "zinnia_recognizer_destroy": ([_P], None),
        "zinnia_recognizer_open": ([_P, ctypes.c_char_p], ctypes.c_int),
        "zinnia_recognizer_strerror": ([_P], ctypes.c_char_p),
        "zinnia_recognizer_classify": ([_P, _P, ctypes.c_size_t], _P),
        "zinnia_character_new": ([], _P),
        "zinnia_character_destroy": ([_P], None),
        "zinnia_character_clear": ([_P], None),
        "zinnia_character_set_width": ([_P, ctypes.c_size_t], None),
        "zinnia_character_set_height": ([_P, ctypes.c_size_t], None),
        "zinnia_character_add": ([_P, ctypes.c_size_t, ctypes.c_int, ctypes.c_int], ctypes.c_int),
        "zinnia_result_value": ([_P, ctypes.c_size_t], ctypes.c_char_p),
        "zinnia_result_size": ([_P], ctypes.c_size_t),
        "zinnia_result_destroy": ([_P], None),
    }
    return load_library(name, "libzinnia0", signatures)


class ZinniaRecogniser:
    """Recogniser (kiosk.text_input.interface) over one loaded model; safe to call from any
    thread (one classification at a time: Zinnia's recogniser is not documented as
    re-entrant)."""

    def __init__(self, model: Path = MODEL, library: str = LIBRARY) -> None:
        if not model.is_file():
            raise EngineUnavailable(f"no handwriting model at {model}: apt-get install tegaki-zinnia-simplified-chinese")
        self._lib = _load(library)
        self._recogniser = self._lib.zinnia_recognizer_new()
        if not self._lib.zinnia_recognizer_open(self._recogniser, str(model).encode()):
            reason = self._lib.zinnia_recognizer_strerror(self._recogniser) or b""
            self._lib.zinnia_recognizer_destroy(self._recogniser)
            raise EngineUnavailable(f"Zinnia cannot open {model}: {reason.decode(errors='replace')}")
        self._character = self._lib.zinnia_character_new()
        self._lock = threading.Lock()

    def recognise(self, ink: Ink, n: int = 10) -> list[str]:
        if ink.empty or n < 1:
            return []
        scale = SIZE / max(ink.width, ink.height, 1e-9)
        dx = (SIZE - ink.width * scale) / 2
        dy = (SIZE - ink.height * scale) / 2
        lib = self._lib
        with self._lock:
            if self._recogniser is None:
                raise EngineUnavailable("the recogniser was closed")
            character = self._character
            lib.zinnia_character_clear(character)
            lib.zinnia_character_set_width(character, SIZE)
            lib.zinnia_character_set_height(character, SIZE)
            for index, stroke in enumerate(ink.strokes):
                for x, y in stroke:
                    lib.zinnia_character_add(character, index, round(x * scale + dx), round(y * scale + dy))
            result = lib.zinnia_recognizer_classify(self._recogniser, character, n)
            if not result:
                return []
            try:
                values = (lib.zinnia_result_value(result, i) for i in range(lib.zinnia_result_size(result)))
                return [v.decode("utf-8") for v in values if v]
            finally:
                lib.zinnia_result_destroy(result)

    def close(self) -> None:
        with self._lock:
            if self._recogniser is not None:
                self._lib.zinnia_character_destroy(self._character)
                self._lib.zinnia_recognizer_destroy(self._recogniser)
                self._recogniser = None
