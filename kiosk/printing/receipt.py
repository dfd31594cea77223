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
GAP_DOTS = 16  # two-thirds of a line
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

    def title(self, text: str, *under: str) -> None:
        """Double width and height, centred: half as many columns; the lines `under` it
        centred and bold at normal size."""
        self.job.align("center")
        self.job.bold(True)
        self.job.size(2, 2)
        self._lines(wrap(text, self.columns // 2))
        self.job.size()
        for line in under:
            self._lines(wrap(line, self.columns))
        self.job.bold(False)
        self.job.align("left")

    def centred(self, text: str, bold: bool = False) -> None:
        self.job.align("center")
        self.paragraph(text, bold=bold)
        self.job.align("left")

    def rule(self, char: str = "-") -> None:
        self.job.textln(char * (self.columns // display_width(char)))

    def gap(self) -> None:
        """White space between blocks: `ESC J`, 3 bytes where a rule across the paper takes
        a byte per column (a tenth of a second at 9600 baud)."""
        self.job.feed_dots(GAP_DOTS)

    def paragraph(self, text: str, bold: bool = False, indent: int = 0, hanging: int = 0, tall: bool = False) -> None:
        """Wrapped text, `indent` columns in; lines after the first `hanging` columns further;
        `tall` prints it double height (as wide as ever, so it wraps the same)."""
        self._style(bold, tall)
        self._lines([" " * indent + line for line in wrap(text, self.columns - indent, indent=hanging)])
        self._style(False, False, undo=(bold, tall))

    def bilingual(self, text: Bilingual, bold: bool = False, indent: int = 0) -> None:
        self.paragraph(text.zh, bold=bold, indent=indent)
        self.paragraph(text.en, indent=indent)

    def field(self, label: Bilingual, value: str, bold_value: bool = False) -> None:
        """`标签 Label：value`, continued lines indented under it; the value bold if asked."""
        self.labelled(f"{label.zh} {label.en}", value, bold_value)

    def labelled(self, label: str, value: str, bold_value: bool = False, tall: bool = False) -> None:
        """`label：value` in one language (`Label: value` in English), continued lines indented
        under it; the value bold if asked, the whole line double height if `tall`."""
        head = f"{label}: " if label.isascii() else f"{label}："
        first, *rest = wrap(head + value, self.columns, indent=FIELD_INDENT)
        self._style(False, tall)
        self.job.text(first[: len(head)])
        self._style(bold_value, False)
        self.job.textln(first[len(head) :])
        self._lines(rest)
        self._style(False, False, undo=(bold_value, tall))

    def _style(self, bold: bool, tall: bool, undo: tuple[bool, bool] | None = None) -> None:
        """Turn on what is asked; with `undo` (what was on), turn that off again."""
        if undo is not None:
            if undo[0]:
                self.job.bold(False)
            if undo[1]:
                self.job.size()
            return
        if bold:
            self.job.bold(True)
        if tall:
            self.job.size(1, 2)

    def qr(self, payload: str, caption: Bilingual | str) -> None:
        """The code, centred, with its caption under it (in one language, or both)."""
        self.job.ln()
        self.job.qr_code(payload, qr_module_dots(payload, self.settings.paper_width_dots), ec="M")
        if isinstance(caption, str):
            self.centred(caption)
            return
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
