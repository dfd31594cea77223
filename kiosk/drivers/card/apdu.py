"""ISO 7816-4 command and response APDUs, and the status words a social security card uses.

A command that carries a PIN or a key cryptogram is `secret`: its data never appears in a
repr, a log line or an exception (`hex()` shows ** for each data byte).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SW_OK = 0x9000
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_BLOCKED = 0x6983
SW_CONDITIONS_NOT_SATISFIED = 0x6985
SW_SM_WRONG = 0x6988
SW_WRONG_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_RECORD_NOT_FOUND = 0x6A83

STATUS_WORDS = {
    0x9000: "ok",
    0x6300: "authentication failed",
    0x6700: "wrong length",
    0x6981: "command incompatible with the file",
    0x6982: "security status not satisfied",
    0x6983: "PIN or key blocked",
    0x6985: "conditions of use not satisfied",
    0x6986: "command not allowed (no current EF)",
    0x6988: "secure messaging data wrong",
    0x6A80: "wrong data",
    0x6A81: "function not supported",
    0x6A82: "file or application not found",
    0x6A83: "record not found",
    0x6A86: "wrong P1 P2",
    0x6A88: "key not found",
    0x6D00: "instruction not supported",
    0x6E00: "class not supported",
    0x6F00: "card error, no precise diagnosis",
}


def describe_sw(sw: int) -> str:
    """A status word as a technician reads it: `6A82 (file or application not found)`."""
    if sw >> 8 == 0x61:
        text = f"{sw & 0xFF} bytes waiting"
    elif sw >> 8 == 0x6C:
        text = f"wrong Le, {sw & 0xFF} bytes available"
    elif sw & 0xFFF0 == 0x63C0:
        text = f"wrong PIN, {sw & 0x0F} tries left"
    else:
        text = STATUS_WORDS.get(sw, "unknown status word")
    return f"{sw:04X} ({text})"


@dataclass(frozen=True)
class Command:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # None: no Le; 0 means "up to 256"
    name: str = ""  # for traces: "SELECT", "READ RECORD"
    secret: bool = field(default=False, compare=False)

    def to_bytes(self) -> bytes:
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out

    def with_le(self, le: int) -> "Command":
        return Command(self.cla, self.ins, self.p1, self.p2, self.data, le, self.name, self.secret)

    def hex(self) -> str:
        """The APDU for traces, with the data of a secret command masked."""
        if not self.secret:
            return self.to_bytes().hex().upper()
        head = bytes([self.cla, self.ins, self.p1, self.p2]).hex().upper()
        body = f"{len(self.data):02X}" + "**" * len(self.data) if self.data else ""
        le = f"{self.le:02X}" if self.le is not None else ""
        return head + body + le

    def __repr__(self) -> str:
        return f"Command({self.name or 'APDU'} {self.hex()})"

    __str__ = __repr__


@dataclass(frozen=True)
class Response:
    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    @classmethod
    def from_bytes(cls, raw: bytes) -> "Response":
        if len(raw) < 2:
            raise ValueError("an R-APDU has at least the two status bytes")
        return cls(raw[:-2], int.from_bytes(raw[-2:], "big"))

    def __repr__(self) -> str:
        # The data may be personal (a name, an ID number): only its length is shown.
        return f"Response({len(self.data)} bytes, {describe_sw(self.sw)})"


# --- the commands the driver sends (PROTOCOLS.md section 1) --------------------------


def select_df(name: bytes) -> Command:
    return Command(0x00, 0xA4, 0x04, 0x00, name, None, "SELECT DF")


def select_ef(fid: int) -> Command:
    return Command(0x00, 0xA4, 0x00, 0x00, fid.to_bytes(2, "big"), None, "SELECT EF")


def get_response(le: int) -> Command:
    return Command(0x00, 0xC0, 0x00, 0x00, b"", le, "GET RESPONSE")


def read_record(p1: int, p2: int, le: int) -> Command:
    return Command(0x00, 0xB2, p1, p2, b"", le, "READ RECORD")


def get_challenge(length: int = 8) -> Command:
    return Command(0x00, 0x84, 0x00, 0x00, b"", length, "GET CHALLENGE")


def external_authenticate(key_id: int, cryptogram: bytes) -> Command:
    return Command(0x00, 0x82, 0x00, key_id, cryptogram, None, "EXTERNAL AUTHENTICATE", secret=True)


def verify_pin(pin_bcd: bytes) -> Command:
    return Command(0x00, 0x20, 0x00, 0x00, pin_bcd, None, "VERIFY", secret=True)


def pin_tries_query() -> Command:
    """VERIFY without data: the card answers 63Cx with the tries left (9000 if verified)."""
    return Command(0x00, 0x20, 0x00, 0x00, b"", None, "VERIFY (tries left)")


def change_pin(old_bcd: bytes, new_bcd: bytes) -> Command:
    return Command(0x80, 0x5E, 0x01, 0x00, old_bcd + b"\xff" + new_bcd, None, "CHANGE PIN", secret=True)


def reload_pin(block: bytes) -> Command:
    if len(block) != 20:
        raise ValueError("a PIN reload block is 20 bytes (16-byte PIN block + 4-byte MAC)")
    return Command(0x84, 0x24, 0x00, 0x01, block, None, "RELOAD PIN", secret=True)
