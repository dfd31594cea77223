"""The receipt printer: ESC/POS over a serial line (python-escpos, with its Chinese and QR faults fixed)."""

from kiosk.drivers.printer.driver import PrintReport, ReceiptPrinter
from kiosk.drivers.printer.job import EscposJob

__all__ = ["EscposJob", "PrintReport", "ReceiptPrinter"]
