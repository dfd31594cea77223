"""The receipt printer: ESC/POS over a serial line (python-escpos, with its Chinese and QR faults fixed).

The names below load on first use, so that a module needing only the printer's states or
wording (the availability rules, on the kiosk's start path) does not import python-escpos
and its printer database: that import is most of a second on a slow terminal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.drivers.printer.driver import PrintReport, ReceiptPrinter
    from kiosk.drivers.printer.job import EscposJob

__all__ = ["EscposJob", "PrintReport", "ReceiptPrinter"]
_HOME = {"EscposJob": "job", "PrintReport": "driver", "ReceiptPrinter": "driver"}


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value
