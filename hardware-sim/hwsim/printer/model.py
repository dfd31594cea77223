"""The simulated receipt printer: paper roll, cover, print modes, jobs and status answers.

`receive(bytes)` is everything the printer does with what arrives on its serial line, and
returns the bytes it answers. Like a real printer:
- `DLE EOT n` is answered at once, whatever the printer is doing;
- `GS r n` is answered in order, so never while printing has stopped;
- every printed line feeds paper; when the roll runs out mid-job, printing stops, the
  paper-end bits are set and everything after is dropped (real-time queries excepted)
  until paper is loaded; the job is saved marked incomplete;
- data that arrives while the cover is open is dropped too;
- a job runs from the first printed line to the cut (or to `ESC @` without a cut), and is
  saved as a PNG plus a JSON of its text lines and QR payloads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable

from hwsim.printer.escpos_parser import Command, EscPosParser, Qr, Raster, StatusQuery, Text, Unknown
from hwsim.printer.render import Bitmap, Feed, Glyph, Mark, Style, TextLine, qr_image, raster_image

DOTS_PER_MM = 8  # 203 dpi
DEFAULT_LINE_SPACING = 30  # dots; ESC 2
QR_EC_NAMES = {48: "L", 49: "M", 50: "Q", 51: "H"}


@dataclass
class Job:
    number: int
    started: datetime
    blocks: list = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    line_heights: list[int] = field(default_factory=list)  # dots of each line's tallest glyph: 48 = double height
    qr: list[dict] = field(default_factory=list)
    images: list[dict] = field(default_factory=list)
    unknown: list[dict] = field(default_factory=list)
    bytes_received: int = 0
    paper_dots: int = 0
    cut: bool = False
    complete: bool = True
    stopped_reason: str = ""

    @property
    def has_output(self) -> bool:
        return bool(self.blocks)

    def summary(self) -> dict:
        return {
            "job": self.number,
            "started": self.started.isoformat(timespec="seconds"),
            "complete": self.complete,
            "cut": self.cut,
            "stopped_reason": self.stopped_reason,
            "bytes_received": self.bytes_received,
            "paper_used_mm": round(self.paper_dots / DOTS_PER_MM, 1),
            "lines": self.lines,
            "line_heights": self.line_heights,
            "qr": self.qr,
            "images": self.images,
            "unknown_commands": self.unknown,
        }


JobSink = Callable[[Job], None]


@dataclass
class QrSettings:
    model: int = 50  # '2'
    module: int = 3
    ec: int = 48  # 'L'
    data: bytes = b""


class PrinterModel:
    def __init__(
        self,
        paper_mm: float = 50_000.0,
        near_end_mm: float = 1_000.0,
        paper_dots: int = 576,
        chinese_at_power_up: bool = True,
        sink: JobSink | None = None,
    ) -> None:
        self.paper_width = paper_dots
        self.paper_mm = float(paper_mm)
        self.near_end_mm = float(near_end_mm)
        self.cover_open = False
        self.powered = True
        self.stopped_reason = ""  # "paper end" / "cover open": printing stopped, data dropped
        self.dropped_bytes = 0
        self.unknown_total = 0
        self.jobs_done = 0
        self.sink = sink or (lambda job: None)
        self.parser = EscPosParser(chinese_mode=chinese_at_power_up)
        self.lock = threading.RLock()
        self._job: Job | None = None
        self._next_job = 1
        self._bytes_before_job = 0  # init and mode commands that open the next job
        self._reset_modes()

    # --- the serial side -----------------------------------------------------------------

    def receive(self, data: bytes) -> bytes:
        """Process bytes from the line; returns the printer's answers."""
        with self.lock:
            if not self.powered:
                return b""
            answers = bytearray()
            for event, size in self.parser.feed_sized(data):
                if isinstance(event, StatusQuery) and event.kind == "dle_eot":
                    answers.append(self._dle_eot(event.n))
                elif self.offline:
                    self.dropped_bytes += size
                elif isinstance(event, StatusQuery):
                    answers.append(self._gs_r(event.n))
                else:
                    self._apply(event)
                    if self._job is not None:
                        self._job.bytes_received += size
                    else:
                        self._bytes_before_job += size
            return bytes(answers)

    # --- status answers ------------------------------------------------------------------

    @property
    def paper_end(self) -> bool:
        return self.paper_mm <= 0

    @property
    def near_end(self) -> bool:
        return self.paper_mm <= self.near_end_mm

    @property
    def offline(self) -> bool:
        return self.cover_open or self.paper_end or bool(self.stopped_reason)

    def _dle_eot(self, n: int) -> int:
        byte = 0x12
        if n == 1 and self.offline:
            byte |= 0x08
        elif n == 2:
            byte |= (0x04 if self.cover_open else 0) | (0x20 if self.stopped_reason == "paper end" or self.paper_end else 0)
        elif n == 4:
            byte |= (0x0C if self.near_end else 0) | (0x60 if self.paper_end else 0)
        return byte

    def _gs_r(self, n: int) -> int:
        if n == 2:
            return 0x00  # drawer kick-out connector: nothing attached
        return (0x03 if self.near_end else 0) | (0x0C if self.paper_end else 0)

    # --- what a technician does ----------------------------------------------------------

    def load_paper(self, meters: float) -> None:
        if not float(meters) > 0:
            raise ValueError("load_paper needs meters > 0")
        with self.lock:
            self.paper_mm = float(meters) * 1000
            if self.stopped_reason == "paper end":
                self.stopped_reason = ""

    def set_paper(self, mm: float) -> None:
        with self.lock:
            self.paper_mm = max(0.0, float(mm))
            if self.paper_end and self._job is not None:
                self._stop("paper end")

    def set_cover(self, open_: bool) -> None:
        with self.lock:
            self.cover_open = open_
            if open_ and self._job is not None:
                self._stop("cover open")
            if not open_ and self.stopped_reason == "cover open":
                self.stopped_reason = ""

    def power(self, on: bool) -> None:
        with self.lock:
            if not on and self.powered:
                self._finish(complete=False, reason="power off")
            if on and not self.powered:
                self.parser.reset()
                self._reset_modes()
                self.stopped_reason = ""
            self.powered = on

    def line_lost(self) -> None:
        """The cable was pulled: a half-received command is gone, a half-printed job ends."""
        with self.lock:
            self.parser.discard_partial()
            self._finish(complete=False, reason="cable unplugged")

    def status(self) -> dict:
        with self.lock:
            return {
                "powered": self.powered,
                "paper_mm": round(self.paper_mm, 1),
                "near_end_mm": self.near_end_mm,
                "paper": "out" if self.paper_end else ("low" if self.near_end else "ok"),
                "cover": "open" if self.cover_open else "closed",
                "stopped": self.stopped_reason or None,
                "chinese_mode": self.parser.chinese_mode,
                "dropped_bytes": self.dropped_bytes,
                "unknown_commands": self.unknown_total,
                "jobs": self.jobs_done,
                "job_in_progress": self._job is not None,
            }

    # --- printing ------------------------------------------------------------------------

    def _reset_modes(self) -> None:
        self.style = Style()
        self.align = 0
        self.line_spacing = DEFAULT_LINE_SPACING
        self.line: list[Glyph] = []
        self.line_align = 0
        self.qr = QrSettings()

    def _job_now(self) -> Job:
        if self._job is None:
            self._job = Job(self._next_job, datetime.now(), bytes_received=self._bytes_before_job)
            self._bytes_before_job = 0
            self._next_job += 1
        return self._job

    def _apply(self, event) -> None:
        if isinstance(event, Text):
            for char in event.text:
                self._add_glyph(Glyph(char, event.wide, self.style))
        elif isinstance(event, Command):
            self._command(event)
        elif isinstance(event, Raster):
            img = raster_image(event.width_bytes, event.height, event.data, event.mode)
            self._flush_line(force=False)
            if self._feed_block(Bitmap(img, self.align)):
                self._job_now().images.append({"width": img.width, "height": img.height})
        elif isinstance(event, Qr):
            self._qr(event)
        elif isinstance(event, Unknown):
            self._unknown(event.to_dict())

    def _unknown(self, record: dict) -> None:
        self.unknown_total += 1
        self._job_now().unknown.append(record)

    def _add_glyph(self, glyph: Glyph) -> None:
        if self.line and sum(g.size[0] for g in self.line) + glyph.size[0] > self.paper_width:
            self._flush_line(force=True)  # the printer wraps at the end of the print area
        if self.offline:  # printing stopped, perhaps at that very wrap
            return
        if not self.line:
            self.line_align = self.align
        self.line.append(glyph)

    def _flush_line(self, force: bool) -> None:
        """Print the line buffer; with `force`, an empty buffer feeds one blank line (LF)."""
        if not self.line and not force:
            return
        glyph_h = max((g.size[1] for g in self.line), default=0)
        line = TextLine(self.line, self.line_align if self.line else self.align, max(self.line_spacing, glyph_h))
        self.line = []
        if self._feed_block(line):
            self._job_now().lines.append(line.text)
            self._job_now().line_heights.append(glyph_h)

    def _feed_block(self, block) -> bool:
        """Put `block` on paper if the roll has room for it; else stop at paper end."""
        if self.stopped_reason or self.cover_open:
            return False
        job = self._job_now()
        need_mm = block.height / DOTS_PER_MM
        if need_mm > self.paper_mm:
            self.paper_mm = 0.0
            self._stop("paper end")
            return False
        self.paper_mm -= need_mm
        job.paper_dots += block.height
        job.blocks.append(block)
        return True

    def _stop(self, reason: str) -> None:
        self.stopped_reason = reason
        self.line = []
        label = "纸用完了 · PAPER RAN OUT" if reason == "paper end" else "盖子打开 · COVER OPENED"
        if self._job is not None:
            self._job.blocks.append(Mark("stopped", f"{label}: rest of job dropped", 48))
        self._finish(complete=False, reason=reason)

    def _finish(self, complete: bool, reason: str = "", cut: bool = False) -> None:
        job, self._job = self._job, None
        if job is None:
            return
        job.cut = cut
        job.complete = complete
        job.stopped_reason = reason
        if cut:
            job.blocks.append(Mark("cut"))
        self.jobs_done += 1
        self.sink(job)

    def _command(self, cmd: Command) -> None:
        name, args = cmd.name, cmd.args
        arg = args[0] if args else 0
        if name == "lf":
            self._flush_line(force=True)
        elif name == "init":
            if self._job is not None and (self._job.has_output or self.line):
                self._flush_line(force=False)
                self._finish(complete=True, reason="ended by ESC @ without a cut")
            self._reset_modes()
        elif name == "cut":
            self._flush_line(force=False)
            self._job_now()
            self._finish(complete=True, cut=True)
        elif name == "align":
            if arg in (0, 1, 2, 48, 49, 50):
                self.align = arg % 48
            else:
                self._unknown({"bytes": bytes([0x1B, 0x61, arg]).hex(" "), "length": 3, "reason": f"ESC a {arg}: out of range"})
        elif name in ("bold", "double_strike"):
            self.style = replace(self.style, bold=bool(arg & 1))
        elif name == "underline":
            self.style = replace(self.style, underline=arg % 48 if arg % 48 in (0, 1, 2) else 0)
        elif name == "font":
            self.style = replace(self.style, font_b=(arg % 48) == 1)
        elif name == "print_mode":
            self.style = replace(
                self.style,
                font_b=bool(arg & 0x01),
                bold=bool(arg & 0x08),
                height=2 if arg & 0x10 else 1,
                width=2 if arg & 0x20 else 1,
                underline=1 if arg & 0x80 else 0,
            )
        elif name == "char_size":
            self.style = replace(self.style, width=((arg >> 4) & 7) + 1, height=(arg & 7) + 1)
        elif name == "invert":
            self.style = replace(self.style, invert=bool(arg & 1))
        elif name == "feed_lines":
            self._flush_line(force=False)
            if arg:
                self._feed_block(Feed(arg * self.line_spacing))
        elif name == "feed_dots":
            self._flush_line(force=False)
            if arg:
                self._feed_block(Feed(arg))
        elif name == "line_spacing":
            self.line_spacing = arg
        elif name == "line_spacing_default":
            self.line_spacing = DEFAULT_LINE_SPACING
        elif name == "ht":
            col = sum(g.size[0] for g in self.line) // 12
            for _ in range(8 - col % 8):
                self._add_glyph(Glyph(" ", False, self.style))
        # Everything else the parser knows is accepted without visible effect here:
        # CR (ignored in standard mode), FF, code page / Chinese mode (the parser tracks
        # them), smoothing, density, upside-down, panel buttons, drawer, margins.

    def _qr(self, event: Qr) -> None:
        fn, p = event.fn, event.params
        if fn == 65 and len(p) == 2 and p[0] in (49, 50, 51):
            self.qr.model = p[0]
        elif fn == 67 and len(p) == 1 and 1 <= p[0] <= 16:
            self.qr.module = p[0]
        elif fn == 69 and len(p) == 1 and p[0] in QR_EC_NAMES:
            self.qr.ec = p[0]
        elif fn == 80 and p[:1] == b"0":
            self.qr.data = bytes(p[1:])
        elif fn == 81 and p[:1] == b"0":
            self._print_qr()
        else:
            self._unknown({"bytes": bytes([fn]).hex() + " " + p[:16].hex(" "), "length": len(p) + 1,
                           "reason": f"GS ( k QR function {fn} with these parameters is not supported"})

    def _print_qr(self) -> None:
        settings = self.qr
        if settings.model != 50:
            self._unknown({"bytes": "", "length": 0, "reason": f"QR model {settings.model - 48} cannot be drawn (model 2 only)"})
            return
        if not settings.data:
            self._unknown({"bytes": "", "length": 0, "reason": "QR print with no data stored"})
            return
        try:
            img = qr_image(settings.data, settings.module, QR_EC_NAMES[settings.ec])
        except Exception as exc:  # data too long for any version: a real printer prints nothing
            self._unknown({"bytes": "", "length": len(settings.data), "reason": f"QR not printable: {exc}"})
            return
        if img.width > self.paper_width:
            self._unknown({"bytes": "", "length": len(settings.data), "reason": "QR wider than the paper: not printed"})
            return
        self._flush_line(force=False)
        if self._feed_block(Bitmap(img, self.align)):
            self._job_now().qr.append(
                {
                    "content": settings.data.decode("utf-8", errors="replace"),
                    "model": 2,
                    "module_dots": settings.module,
                    "ec": QR_EC_NAMES[settings.ec],
                    "size_dots": img.width,
                }
            )

