"""GA 467 framing, the byte protocol of the resident ID card reader's SAM module.

    request : AA AA AA 96 69 | LEN_H LEN_L | CMD PARA [data]   | CHK   LEN = len(CMD..data) + 1
    reply   : AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 [data] | CHK   LEN = len(data) + 4
    CHK     = XOR of every byte from LEN_H to the last data byte

Both directions share the framing, so one incremental `FrameParser` serves the driver
(reading replies) and the simulator (reading requests). The serial line delivers bytes in
arbitrary pieces and sometimes with noise, so the parser takes whatever arrived and hands
back every complete frame, or a typed fault for a frame it had to reject; it never raises
on input and never holds more than one frame's worth of bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from functools import reduce

PREAMBLE = bytes.fromhex("AAAAAA9669")
# The longest legitimate frame is the 30 10 reply (2321 bytes, LEN 2314); a LEN far
# beyond that is noise that happened to follow a preamble, not a frame to wait for.
MAX_LENGTH = 2400
MIN_LENGTH = 3  # a request: CMD PARA CHK


def checksum(data: bytes) -> int:
    """XOR of `data` (LEN_H through the last data byte)."""
    return reduce(lambda acc, byte: acc ^ byte, data, 0)


def encode_frame(body: bytes) -> bytes:
    """A complete frame around `body` (CMD PARA data, or SW1 SW2 SW3 data)."""
    length = len(body) + 1
    if not MIN_LENGTH <= length <= MAX_LENGTH:
        raise ValueError(f"a GA 467 frame body must be {MIN_LENGTH - 1}..{MAX_LENGTH - 1} bytes, not {len(body)}")
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([checksum(head + body)])


class Command(Enum):
    """The commands the kiosk sends, as (CMD, PARA)."""

    RESET_SAM = (0x10, 0xFF)
    SAM_STATUS = (0x11, 0xFF)
    SAM_ID = (0x12, 0xFF)
    FIND_CARD = (0x20, 0x01)
    SELECT_CARD = (0x20, 0x02)
    READ_TEXT_PHOTO = (0x30, 0x01)
    READ_WITH_FINGERPRINT = (0x30, 0x10)

    @property
    def cmd(self) -> int:
        return self.value[0]

    @property
    def para(self) -> int:
        return self.value[1]

    @property
    def label(self) -> str:
        """`20 01`, as technicians and the protocol tables write it."""
        return f"{self.cmd:02X} {self.para:02X}"

    @classmethod
    def lookup(cls, cmd: int, para: int) -> "Command | None":
        for command in cls:
            if command.value == (cmd, para):
                return command
        return None


@dataclass(frozen=True)
class Request:
    cmd: int
    para: int
    data: bytes = b""

    @classmethod
    def of(cls, command: Command, data: bytes = b"") -> "Request":
        return cls(command.cmd, command.para, data)

    @property
    def command(self) -> Command | None:
        return Command.lookup(self.cmd, self.para)

    def encode(self) -> bytes:
        return encode_frame(bytes([self.cmd, self.para]) + self.data)


@dataclass(frozen=True)
class Reply:
    sw1: int
    sw2: int
    sw3: int
    data: bytes = b""

    def encode(self) -> bytes:
        return encode_frame(bytes([self.sw1, self.sw2, self.sw3]) + self.data)

    def __repr__(self) -> str:  # the data of a read is personal: show its size only
        return f"Reply(sw={self.sw1:02X}{self.sw2:02X}{self.sw3:02X}, {len(self.data)} data bytes)"


@dataclass(frozen=True)
class Frame:
    """A frame whose length and checksum were right; `body` is everything between LEN and CHK."""

    body: bytes

    def __repr__(self) -> str:
        return f"Frame({len(self.body)} bytes)"


class FaultKind(StrEnum):
    BAD_CHECKSUM = "bad_checksum"
    BAD_LENGTH = "bad_length"  # LEN too small or too large to be a GA 467 frame
    TOO_SHORT = "too_short"  # a well-framed body too short for what it should carry


@dataclass(frozen=True)
class FrameFault:
    """A frame the parser had to reject; `detail` is for technicians (never frame contents)."""

    kind: FaultKind
    detail: str


Parsed = Frame | FrameFault


class FrameParser:
    """Turns a byte stream, fed in arbitrary pieces, into frames and faults.

    Bytes before a preamble are noise and are counted in `discarded`. After a rejected
    frame the parser resumes one byte after that frame's preamble, so a real frame that
    was hiding inside noise (a stray preamble followed by a plausible length) is still found.

    Resynchronising must not cost more than the bytes themselves: noise made of preambles
    and plausible lengths would otherwise have every candidate frame (up to 2,400 bytes)
    XORed again, one byte further on each time. The parser keeps a running XOR of what it
    holds, so a candidate's checksum is two look-ups; `checksummed` counts the bytes folded
    into that running XOR, once each (tests/hardening count it instead of timing).
    """

    def __init__(self, max_length: int = MAX_LENGTH) -> None:
        self.max_length = max_length
        self._buffer = bytearray()
        self._prefix = bytearray()  # _prefix[i]: XOR of every byte ever held, up to _buffer[i]
        self._xor_before = 0  # the same for the bytes already dropped
        self.discarded = 0
        self.checksummed = 0

    @property
    def pending(self) -> int:
        """Bytes held while waiting for the rest of a frame."""
        return len(self._buffer)

    def reset(self) -> None:
        self.discarded += len(self._buffer)
        self._drop(len(self._buffer))

    def feed(self, data: bytes) -> list[Parsed]:
        self._append(data)
        out: list[Parsed] = []
        while True:
            start = self._buffer.find(PREAMBLE)
            if start < 0:
                # keep a tail that may be the start of a preamble split across pieces
                keep = _partial_preamble_tail(self._buffer)
                self.discarded += len(self._buffer) - keep
                self._drop(len(self._buffer) - keep)
                return out
            if start:
                self.discarded += start
                self._drop(start)
            if len(self._buffer) < len(PREAMBLE) + 2:
                return out
            length = int.from_bytes(self._buffer[5:7], "big")
            if not MIN_LENGTH <= length <= self.max_length:
                out.append(FrameFault(FaultKind.BAD_LENGTH, f"length field {length} is outside {MIN_LENGTH}..{self.max_length}"))
                self._skip_one()
                continue
            total = len(PREAMBLE) + 2 + length
            if len(self._buffer) < total:
                return out
            expected = self._xor(5, total - 1)
            received = self._buffer[total - 1]
            if expected != received:
                out.append(
                    FrameFault(
                        FaultKind.BAD_CHECKSUM,
                        f"checksum {received:02X} where {expected:02X} was due ({total}-byte frame)",
                    )
                )
                self._skip_one()
                continue
            out.append(Frame(bytes(self._buffer[7 : total - 1])))
            self._drop(total)

    def _append(self, data: bytes) -> None:
        acc = self._prefix[-1] if self._prefix else self._xor_before
        running = bytearray(len(data))
        for i, byte in enumerate(data):
            acc ^= byte
            running[i] = acc
        self._buffer += data
        self._prefix += running
        self.checksummed += len(data)

    def _xor(self, start: int, end: int) -> int:
        """XOR of _buffer[start:end], from the running XOR."""
        before = self._prefix[start - 1] if start else self._xor_before
        return self._prefix[end - 1] ^ before

    def _drop(self, count: int) -> None:
        """Forget the first `count` bytes (bytearray deletes at its front without copying)."""
        if count:
            self._xor_before = self._prefix[count - 1]
            del self._buffer[:count]
            del self._prefix[:count]

    def _skip_one(self) -> None:
        self.discarded += 1
        self._drop(1)


def _partial_preamble_tail(buffer: bytearray) -> int:
    """How many bytes at the end of `buffer` could be the beginning of a preamble."""
    for size in range(min(len(PREAMBLE) - 1, len(buffer)), 0, -1):
        if buffer.endswith(PREAMBLE[:size]):
            return size
    return 0


def parse_reply(frame: Frame) -> Reply | FrameFault:
    body = frame.body
    if len(body) < 3:
        return FrameFault(FaultKind.TOO_SHORT, f"a reply carries SW1 SW2 SW3; this one has {len(body)} bytes")
    return Reply(body[0], body[1], body[2], bytes(body[3:]))


def parse_request(frame: Frame) -> Request | FrameFault:
    body = frame.body
    if len(body) < 2:
        return FrameFault(FaultKind.TOO_SHORT, f"a request carries CMD PARA; this one has {len(body)} bytes")
    return Request(body[0], body[1], bytes(body[2:]))
