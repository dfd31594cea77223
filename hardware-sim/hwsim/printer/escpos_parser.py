"""A streaming ESC/POS parser, as strict as a real printer's command interpreter.

`feed(bytes)` returns the events the bytes complete; a command cut in two by the serial
line waits in the buffer for the rest. Text is decoded the way the printer would: GB18030
in Chinese mode (`FS &`, on at power-up on GB18030 printers, off after `FS .`), else one
byte per character in the selected code page (`ESC t`). A command the parser does not know
becomes an `Unknown` event carrying its bytes: it is recorded, never guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10

CODE_PAGES = {0: "cp437", 2: "cp850", 3: "cp860", 4: "cp863", 5: "cp865", 16: "cp1252", 17: "cp866", 18: "cp852", 19: "cp858"}

# Commands with a fixed number of argument bytes: prefix + command byte -> (name, argument count).
FIXED: dict[tuple[int, int], tuple[str, int]] = {
    (ESC, ord("@")): ("init", 0),
    (ESC, ord("a")): ("align", 1),
    (ESC, ord("E")): ("bold", 1),
    (ESC, ord("G")): ("double_strike", 1),
    (ESC, ord("-")): ("underline", 1),
    (ESC, ord("M")): ("font", 1),
    (ESC, ord("!")): ("print_mode", 1),
    (ESC, ord("{")): ("upside_down", 1),
    (ESC, ord("d")): ("feed_lines", 1),
    (ESC, ord("J")): ("feed_dots", 1),
    (ESC, ord("2")): ("line_spacing_default", 0),
    (ESC, ord("3")): ("line_spacing", 1),
    (ESC, ord("t")): ("code_page", 1),
    (ESC, ord("p")): ("drawer_pulse", 3),
    (ESC, ord("V")): ("rotate", 1),
    (ESC, ord("r")): ("color", 1),
    (ESC, ord(" ")): ("char_spacing", 1),
    (ESC, ord("R")): ("international_set", 1),
    (ESC, ord("$")): ("absolute_position", 2),
    (ESC, ord("\\")): ("relative_position", 2),
    (GS, ord("!")): ("char_size", 1),
    (GS, ord("B")): ("invert", 1),
    (GS, ord("b")): ("smoothing", 1),
    (GS, ord("|")): ("density", 1),
    (GS, ord("L")): ("left_margin", 2),
    (GS, ord("W")): ("print_width", 2),
    (GS, ord("H")): ("hri_position", 1),
    (GS, ord("f")): ("hri_font", 1),
    (GS, ord("h")): ("barcode_height", 1),
    (GS, ord("w")): ("barcode_width", 1),
    (GS, ord("a")): ("auto_status_back", 1),
    (FS, ord("&")): ("chinese_on", 0),
    (FS, ord(".")): ("chinese_off", 0),
    (FS, ord("!")): ("chinese_print_mode", 1),
    (FS, ord("-")): ("chinese_underline", 1),
    (FS, ord("S")): ("chinese_spacing", 2),
    (FS, ord("W")): ("chinese_quadruple", 1),
    (FS, ord("C")): ("chinese_code_system", 1),
    (DLE, 0x05): ("realtime_request", 1),
}
SINGLE = {0x0A: "lf", 0x0D: "cr", 0x09: "ht", 0x0C: "ff"}
MAX_RASTER_WIDTH_BYTES = 128  # 1024 dots: wider than any receipt head
MAX_RASTER_HEIGHT = 4095


@dataclass(frozen=True)
class Text:
    text: str
    wide: bool  # a multi-byte (full-width) character run in Chinese mode


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[int, ...] = ()


@dataclass(frozen=True)
class StatusQuery:
    kind: str  # "dle_eot" (real-time) or "gs_r" (processed in order)
    n: int


@dataclass(frozen=True)
class Raster:
    mode: int  # 0 normal, 1 double width, 2 double height, 3 both
    width_bytes: int
    height: int
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Qr:
    fn: int  # 65 model, 67 module size, 69 error correction, 80 store, 81 print, 82 size info
    params: bytes = field(repr=False)


@dataclass(frozen=True)
class Unknown:
    raw: bytes = field(repr=False)
    reason: str

    def to_dict(self) -> dict:
        return {"bytes": self.raw[:32].hex(" "), "length": len(self.raw), "reason": self.reason}


Event = Text | Command | StatusQuery | Raster | Qr | Unknown
_NEED_MORE = None


class EscPosParser:
    def __init__(self, chinese_mode: bool = True) -> None:
        self.power_up_chinese = chinese_mode
        self.chinese_mode = chinese_mode
        self.code_page = 0
        self._buf = bytearray()

    @property
    def pending(self) -> int:
        """Bytes held back because the command (or character) they start is incomplete."""
        return len(self._buf)

    def discard_partial(self) -> None:
        """The line dropped: a half-received command will never be completed."""
        self._buf.clear()

    def reset(self) -> None:
        """Power cycle: forget partial commands and go back to the power-up modes."""
        self.discard_partial()
        self.chinese_mode = self.power_up_chinese
        self.code_page = 0

    def feed(self, data: bytes) -> list[Event]:
        return [event for event, _ in self.feed_sized(data)]

    def feed_sized(self, data: bytes) -> list[tuple[Event, int]]:
        """Like `feed`, with the number of bytes each event took on the wire."""
        self._buf += data
        buf = self._buf
        events: list[tuple[Event, int]] = []
        pos = 0
        while pos < len(buf):
            parsed = self._parse(buf, pos)
            if parsed is _NEED_MORE:
                break
            event, end = parsed
            events.append((event, end - pos))
            pos = end
        del buf[:pos]
        return events

    # --- one event at buf[pos] -----------------------------------------------------------

    def _parse(self, buf: bytearray, pos: int):
        b = buf[pos]
        if b >= 0x20 and not (b == 0x7F and self.chinese_mode):
            return self._text(buf, pos)
        if b in SINGLE:
            return Command(SINGLE[b]), pos + 1
        if b in (ESC, GS, FS, DLE):
            if pos + 1 >= len(buf):
                return _NEED_MORE
            return self._command(buf, pos)
        return Unknown(bytes([b]), f"unknown control byte 0x{b:02X}"), pos + 1

    def _text(self, buf: bytearray, pos: int):
        if not self.chinese_mode:
            end = pos
            while end < len(buf) and buf[end] >= 0x20:
                end += 1
            return Text(bytes(buf[pos:end]).decode(CODE_PAGES.get(self.code_page, "cp437")), False), end
        if buf[pos] < 0x80:
            end = pos
            while end < len(buf) and 0x20 <= buf[end] < 0x7F:
                end += 1
            return Text(bytes(buf[pos:end]).decode("ascii"), False), end
        chars: list[str] = []
        end = pos
        while end < len(buf) and buf[end] >= 0x80:
            size = _gb18030_length(buf, end)
            if size is _NEED_MORE:
                break
            if size == 0:  # not a GB18030 sequence
                if chars:
                    break
                return Unknown(bytes(buf[end : end + 1]), f"invalid GB18030 lead byte 0x{buf[end]:02X}"), end + 1
            chars.append(bytes(buf[end : end + size]).decode("gb18030"))
            end += size
        if not chars:
            return _NEED_MORE
        return Text("".join(chars), True), end

    def _command(self, buf: bytearray, pos: int):
        prefix, cmd = buf[pos], buf[pos + 1]
        spec = FIXED.get((prefix, cmd))
        if spec is not None:
            name, nargs = spec
            end = pos + 2 + nargs
            if end > len(buf):
                return _NEED_MORE
            self._track_modes(name, buf[pos + 2 : end])
            return Command(name, tuple(buf[pos + 2 : end])), end
        special = {
            (DLE, 0x04): self._dle_eot,
            (GS, ord("r")): self._gs_r,
            (GS, ord("V")): self._cut,
            (GS, ord("v")): self._raster,
            (GS, ord("(")): self._gs_paren,
            (GS, ord("k")): self._barcode,
            (ESC, ord("*")): self._column_image,
            (ESC, ord("D")): self._tabs,
            (ESC, ord("c")): self._panel,
        }.get((prefix, cmd))
        if special is not None:
            return special(buf, pos)
        if prefix == DLE:
            return Unknown(bytes(buf[pos : pos + 1]), "DLE not followed by a known real-time command"), pos + 1
        name = {ESC: "ESC", GS: "GS", FS: "FS"}[prefix]
        return Unknown(bytes(buf[pos : pos + 2]), f"unknown command {name} 0x{cmd:02X}"), pos + 2

    def _track_modes(self, name: str, args: bytes) -> None:
        if name == "chinese_on":
            self.chinese_mode = True
        elif name == "chinese_off":
            self.chinese_mode = False
        elif name == "code_page":
            self.code_page = args[0]

    def _dle_eot(self, buf, pos):
        if pos + 2 >= len(buf):
            return _NEED_MORE
        n = buf[pos + 2]
        if n in (1, 2, 3, 4):
            return StatusQuery("dle_eot", n), pos + 3
        return Unknown(bytes(buf[pos : pos + 3]), f"DLE EOT {n}: status type not supported"), pos + 3

    def _gs_r(self, buf, pos):
        if pos + 2 >= len(buf):
            return _NEED_MORE
        n = buf[pos + 2]
        if n in (1, 2, 49, 50):
            return StatusQuery("gs_r", 1 if n in (1, 49) else 2), pos + 3
        return Unknown(bytes(buf[pos : pos + 3]), f"GS r {n}: status type not supported"), pos + 3

    def _cut(self, buf, pos):
        if pos + 2 >= len(buf):
            return _NEED_MORE
        m = buf[pos + 2]
        if m in (0, 1, 48, 49):
            return Command("cut", (m,)), pos + 3
        if m in (65, 66, 97, 98, 103, 104):
            if pos + 3 >= len(buf):
                return _NEED_MORE
            return Command("cut", (m, buf[pos + 3])), pos + 4
        return Unknown(bytes(buf[pos : pos + 3]), f"GS V {m}: unknown cut mode"), pos + 3

    def _raster(self, buf, pos):
        if pos + 2 >= len(buf):
            return _NEED_MORE
        if buf[pos + 2] != ord("0"):
            return Unknown(bytes(buf[pos : pos + 3]), "GS v: only GS v 0 (raster bit image) exists"), pos + 3
        if pos + 8 > len(buf):
            return _NEED_MORE
        m, xl, xh, yl, yh = buf[pos + 3 : pos + 8]
        width, height = xl + 256 * xh, yl + 256 * yh
        if m not in (0, 1, 2, 3, 48, 49, 50, 51) or not (1 <= width <= MAX_RASTER_WIDTH_BYTES) or not (
            1 <= height <= MAX_RASTER_HEIGHT
        ):
            return Unknown(bytes(buf[pos : pos + 8]), f"GS v 0 out of range: m={m} width={width} bytes height={height}"), pos + 8
        end = pos + 8 + width * height
        if end > len(buf):
            return _NEED_MORE
        return Raster(m & 0x03, width, height, bytes(buf[pos + 8 : end])), end

    def _gs_paren(self, buf, pos):
        if pos + 5 > len(buf):
            return _NEED_MORE
        fn_class = buf[pos + 2]
        length = buf[pos + 3] + 256 * buf[pos + 4]
        end = pos + 5 + length
        if end > len(buf):
            return _NEED_MORE
        body = bytes(buf[pos + 5 : end])
        if fn_class != ord("k"):
            return Unknown(bytes(buf[pos:end]), f"GS ( {chr(fn_class) if 32 < fn_class < 127 else hex(fn_class)}: not supported"), end
        if len(body) < 2:
            return Unknown(bytes(buf[pos:end]), "GS ( k shorter than cn fn"), end
        cn, fn = body[0], body[1]
        if cn != 49:
            return Unknown(bytes(buf[pos:end]), f"GS ( k cn={cn}: only QR (cn=49) is supported"), end
        return Qr(fn, body[2:]), end

    def _barcode(self, buf, pos):
        if pos + 2 >= len(buf):
            return _NEED_MORE
        m = buf[pos + 2]
        if m <= 6:
            limit = min(len(buf), pos + 3 + 256)
            nul = buf.find(b"\x00", pos + 3, limit)
            if nul < 0:
                if limit == len(buf):
                    return _NEED_MORE
                return Unknown(bytes(buf[pos : pos + 3]), "GS k barcode data without NUL"), pos + 3
            return Unknown(bytes(buf[pos : nul + 1]), "barcode (GS k) is not rendered by the simulator"), nul + 1
        if 65 <= m <= 79:
            if pos + 3 >= len(buf):
                return _NEED_MORE
            end = pos + 4 + buf[pos + 3]
            if end > len(buf):
                return _NEED_MORE
            return Unknown(bytes(buf[pos:end]), "barcode (GS k) is not rendered by the simulator"), end
        return Unknown(bytes(buf[pos : pos + 3]), f"GS k {m}: unknown barcode system"), pos + 3

    def _column_image(self, buf, pos):
        if pos + 5 > len(buf):
            return _NEED_MORE
        m, nl, nh = buf[pos + 2 : pos + 5]
        n = nl + 256 * nh
        if m not in (0, 1, 32, 33):
            return Unknown(bytes(buf[pos : pos + 5]), f"ESC * {m}: unknown bit image mode"), pos + 5
        end = pos + 5 + (3 * n if m >= 32 else n)
        if end > len(buf):
            return _NEED_MORE
        return Unknown(bytes(buf[pos:end]), "column bit image (ESC *) is not rendered by the simulator"), end

    def _tabs(self, buf, pos):
        limit = min(len(buf), pos + 2 + 33)
        nul = buf.find(b"\x00", pos + 2, limit)
        if nul < 0:
            if limit == len(buf):
                return _NEED_MORE
            return Unknown(bytes(buf[pos : pos + 2]), "ESC D: more than 32 tab positions"), pos + 2
        return Command("tabs", tuple(buf[pos + 2 : nul])), nul + 1

    def _panel(self, buf, pos):
        if pos + 3 >= len(buf):
            return _NEED_MORE
        sub = buf[pos + 2]
        if sub in (ord("3"), ord("4"), ord("5")):
            return Command(f"panel_{chr(sub)}", (buf[pos + 3],)), pos + 4
        return Unknown(bytes(buf[pos : pos + 3]), f"ESC c 0x{sub:02X}: unknown"), pos + 3


def _gb18030_length(buf: bytearray, pos: int):
    """Length of the GB18030 character at `pos`: 2 or 4, 0 if invalid, None if cut short."""
    lead = buf[pos]
    if not 0x81 <= lead <= 0xFE:
        return 0
    if pos + 1 >= len(buf):
        return _NEED_MORE
    second = buf[pos + 1]
    if 0x40 <= second <= 0x7E or 0x80 <= second <= 0xFE:
        size = 2
    elif 0x30 <= second <= 0x39:
        if pos + 3 >= len(buf):
            return _NEED_MORE
        if not (0x81 <= buf[pos + 2] <= 0xFE and 0x30 <= buf[pos + 3] <= 0x39):
            return 0
        size = 4
    else:
        return 0
    try:
        bytes(buf[pos : pos + size]).decode("gb18030")
    except UnicodeDecodeError:
        return 0
    return size
