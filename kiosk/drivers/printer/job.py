"""Building a print job's bytes with python-escpos, with its Chinese and QR faults fixed.

Why build the whole job first and send it ourselves, rather than give python-escpos a
device backend that writes as it goes: the driver must ask the printer for its status
*before* a single byte of the job goes out (paper out, cover open: print nothing), and
again after the last byte, and it must be able to send the very same bytes again when paper
ran out mid-job. A job that exists as bytes before it is sent gives all three, lets the
driver send it in chunks (cancellable, with progress, within pyserial's write timeout) and
lets tests and benchmarks look at exactly what goes on the wire. So `EscposJob` is an
`escpos.escpos.Escpos` whose `_raw` collects bytes, like `escpos.printer.Dummy`, plus
the fixes below.

What python-escpos 3.1 gets wrong, and what this class does instead:

- it sends Chinese as GB18030 without `FS &`, relying on the printer's power-up mode:
  `text()` here sends `FS &` itself before the first multi-byte character of a job;
- a string of only full-width punctuation (`：`, `￥`) falls through to a code page and
  prints `?`: every non-ASCII character here is GB18030-encoded, since in Chinese mode a
  GB18030 printer prints any multi-byte GB18030 code as a full-width glyph;
- control characters inside text would be executed by the printer (a name containing ESC
  could restyle or cut the voucher): they are replaced by spaces;
- `set()` sends `ESC ! 0` twice before any style (17 bytes for a bold double-size title,
  as many again to undo it), and sizes with `ESC !`, which a GB18030 printer applies to
  ASCII only: `bold()` and `size()` here send one `ESC E n` or `GS ! n` (3 bytes), and
  `GS !` magnifies Chinese and ASCII alike;
- `qr(native=True)` cannot centre, and the image fallback centres by padding the image
  to the full paper width (a 25 KB raster at 6 dots per module): `qr_code()` centres with
  `ESC a 1` in both cases, keeps the image as small as the symbol, and sends it at half
  resolution with the printer doubling it (`GS v 0` mode 3) when the module size allows.
"""

from __future__ import annotations

import copy
import re

from kiosk.drivers.printer.escpos_cache import import_capabilities

import_capabilities()  # before anything else of escpos: see kiosk/drivers/printer/escpos_cache.py

from escpos.capabilities import get_profile
from escpos.constants import QR_ECLEVEL_H, QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_MODEL_2
from escpos.escpos import Escpos

FS_CHINESE_ON = b"\x1c&"
ESC_BOLD = b"\x1bE"
GS_SIZE = b"\x1d!"
ALIGN = {"left": b"\x1ba\x00", "center": b"\x1ba\x01", "right": b"\x1ba\x02"}
QR_EC_LEVELS = {"L": QR_ECLEVEL_L, "M": QR_ECLEVEL_M, "Q": QR_ECLEVEL_Q, "H": QR_ECLEVEL_H}

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` with every control character but LF turned into a space."""
    return _CONTROL.sub(" ", text)


def encode_text(text: str) -> bytes:
    """GB18030 bytes of `text` as a printer in Chinese mode reads them (ASCII stays ASCII)."""
    return printable(text).encode("gb18030", errors="replace")


class EscposJob(Escpos):
    """Collects one job's bytes; `output` is what goes on the wire."""

    def __init__(self, paper_width_dots: int = 576, native_qr: bool = True) -> None:
        super().__init__()
        # The profile's data is shared by every instance of its class: copy before setting
        # the paper width (python-escpos prints a warning on stdout when it is unknown).
        profile = get_profile("default")
        profile.profile_data = copy.deepcopy(profile.profile_data)
        profile.profile_data["media"]["width"]["pixels"] = paper_width_dots
        self.profile = profile
        self.paper_width_dots = paper_width_dots
        self.native_qr = native_qr
        self._chunks: list[bytes] = []
        self._chinese_mode = False

    def _raw(self, msg: bytes) -> None:
        self._chunks.append(bytes(msg))

    @property
    def output(self) -> bytes:
        return b"".join(self._chunks)

    def close(self) -> None:
        """Nothing to close: the driver owns the line."""

    def hw(self, hw: str) -> None:
        super().hw(hw)
        if hw.upper() in ("INIT", "RESET"):
            self._chinese_mode = False  # printers differ in what ESC @ does to it: send FS & again

    def init(self) -> None:
        """`ESC @`, then Chinese mode on: never trust the printer's power-up default."""
        self.hw("INIT")
        self._raw(FS_CHINESE_ON)
        self._chinese_mode = True

    def text(self, txt: str) -> None:
        data = encode_text(str(txt))
        if not self._chinese_mode and any(b >= 0x80 for b in data):
            self._raw(FS_CHINESE_ON)
            self._chinese_mode = True
        self._raw(data)

    def align(self, where: str) -> None:
        self._raw(ALIGN[where])

    def feed_dots(self, dots: int) -> None:
        """`ESC J n`: feed the paper `dots` (1..255) without printing."""
        self._raw(b"\x1bJ" + bytes([dots]))

    def bold(self, on: bool) -> None:
        """`ESC E n`: emphasised, Chinese and ASCII alike."""
        self._raw(ESC_BOLD + bytes([1 if on else 0]))

    def size(self, width: int = 1, height: int = 1) -> None:
        """`GS ! n`: characters `width` x `height` times their size (1..8), Chinese included."""
        if not (1 <= width <= 8 and 1 <= height <= 8):
            raise ValueError("GS ! magnifies 1 to 8 times")
        self._raw(GS_SIZE + bytes([(width - 1) << 4 | (height - 1)]))

    def qr_code(self, content: str, module_dots: int, ec: str = "M") -> None:
        """A centred QR code: native `GS ( k` or, for printers without it, a raster image."""
        self.align("center")
        if self.native_qr:
            self.qr(content, ec=QR_EC_LEVELS[ec], size=module_dots, model=QR_MODEL_2, native=True)
            self.text("\n")
        elif module_dots % 2 == 0:
            # Half-size image printed at double width and height (GS v 0 mode 3): the same
            # symbol on paper for a quarter of the bytes, a quarter of the time on the line.
            self.qr(
                content, ec=QR_EC_LEVELS[ec], size=module_dots // 2, model=QR_MODEL_2, native=False,
                image_arguments={"high_density_vertical": False, "high_density_horizontal": False},
            )
        else:
            self.qr(content, ec=QR_EC_LEVELS[ec], size=module_dots, model=QR_MODEL_2, native=False)
        self.align("left")
