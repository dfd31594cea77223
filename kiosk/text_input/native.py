"""Loading a C library for ctypes with its functions' signatures, or saying what to install."""

from __future__ import annotations

import ctypes
from typing import Any

from kiosk.text_input.interface import EngineUnavailable

Signatures = dict[str, tuple[list[Any], Any]]  # function -> (argument types, result type)


def load_library(name: str, install: str, signatures: Signatures) -> ctypes.CDLL:
    """`name` loaded with `signatures` set; EngineUnavailable naming the Debian packages
    (`install`) when it is missing."""
    try:
        lib = ctypes.CDLL(name)
    except OSError as exc:
        raise EngineUnavailable(f"{name} is missing: apt-get install {install} ({exc})") from None
    for function, (args, result) in signatures.items():
        getattr(lib, function).argtypes = args
        getattr(lib, function).restype = result
    return lib
