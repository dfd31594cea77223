"""The building blocks every printed slip shares: big title, labelled fields, bilingual
paragraphs, rules, a QR code and the cut, laid out by printed width (kiosk.printing.text).

Chinese always comes first, English under it, in simple words; key facts are bold, the
title double size, for residents who read small print badly.
"""

from __future__ import annotations

import qrcode

from kiosk.config import PrinterSettings
from kiosk.drivers.printer.job import EscposJob
from kiosk.i18n import Bilingual
from kiosk.printing.text import display_width, wrap

DOTS_PER_COLUMN = 12  # font A
FIELD_INDENT = 2
QR_MAX_MODULE_DOTS = 8
QR_MAX_SHARE = 0.6  # of the paper width: room around the code so a scanner finds it


def qr_module_dots(payload: str, paper_width_dots: int) -> int:
    """The largest module size (dots) that keeps the symbol within QR_MAX_SHARE of the paper."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    modules = code.modules_count
    return max(1, min(QR_MAX_MODULE_DOTS, int(paper_width_dots * QR_MAX_SHARE) // modules))


class Receipt:
    def __init__(self, settings: PrinterSettings) -> None:
        self.settings = settings
        self.columns = settings.paper_width_dots // DOTS_PER_COLUMN
        self.job = EscposJob(settings.paper_width_dots, settings.native_qr)
        self.job.init()

    def _lines(self, lines: list[str]) -> None:
        for line in lines:
            self.job.textln(line)

    def title(self, text: str) -> None:
        """Double width and height, centred: half as many columns."""
        self.job.set(align="center", bold=True, double_width=True, double_height=True)
        self._lines(wrap(text, self.columns // 2))
        self.job.set(align="left", bold=False, normal_textsize=True)

    def centred(self, text: str, bold: bool = False) -> None:
        self.job.set(align="center", bold=bold)
        self._lines(wrap(text, self.columns))
        self.job.set(align="left", bold=False)

    def rule(self, char: str = "-") -> None:
        self.job.textln(char * (self.columns // display_width(char)))

    def paragraph(self, text: str, bold: bool = False, indent: int = 0, hanging: int = 0) -> None:
        """Wrapped text, `indent` columns in; lines after the first `hanging` columns further."""
        if bold:
            self.job.set(bold=True)
        self._lines([" " * indent + line for line in wrap(text, self.columns - indent, indent=hanging)])
        if bold:
            self.job.set(bold=False)

    def bilingual(self, text: Bilingual, bold: bool = False, indent: int = 0) -> None:
        self.paragraph(text.zh, bold=bold, indent=indent)
        self.paragraph(text.en, indent=indent)

    def field(self, label: Bilingual, value: str, bold_value: bool = False) -> None:
        """`标签 Label：value`, continued lines indented under it; the value bold if asked."""
        head = f"{label.zh} {label.en}："
        first, *rest = wrap(head + value, self.columns, indent=FIELD_INDENT)
        self.job.text(first[: len(head)])
        if bold_value:
            self.job.set(bold=True)
        self.job.textln(first[len(head) :])
        self._lines(rest)
        if bold_value:
            self.job.set(bold=False)

    def qr(self, payload: str, caption: Bilingual) -> None:
        self.job.ln()
        self.job.qr_code(payload, qr_module_dots(payload, self.settings.paper_width_dots), ec="M")
        one_line = caption.both(" / ")
        if display_width(one_line) <= self.columns:
            self.centred(one_line)
        else:
            self.centred(caption.zh)
            self.centred(caption.en)

    def finish(self) -> bytes:
        """Feed past the cutter, cut, and return the job's bytes."""
        self.job.cut()
        return self.job.output
