"""The chip of a simulated social security card: ISO 7816-4 APDUs in, R-APDUs out.

It is as strict as a real card (PROTOCOLS.md section 1): SELECT by DF name answers T=0
style (61xx, then GET RESPONSE), a wrong Le gets 6Cxx, a missing record 6A83, a missing file
6A82; on a 3.00 card the holder data (EF06) needs EXTERNAL AUTHENTICATE with key 0A first
(6982 before it); the PIN counts down with 63Cx and blocks with 6983. The PIN and its tries
are card memory: they survive the card being pulled out and put back.

Pure logic, no I/O: the vpcd link (vpcd.py) carries the bytes.
"""

from __future__ import annotations

import collections
import os
import threading
from dataclasses import dataclass
from datetime import date

from hwsim.card import crypto
from hwsim.card.profile import NAME_EXTENSION_BYTES, CardProfile, split_name

DF_SSSE = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")  # "sx1.sh." + GBK 社会保障
DF_PKI_DDF = bytes.fromhex("504B492EC9E7BBE1B1A3D5CF")  # "PKI." + GBK 社会保障
DF_PKI_ADF = bytes.fromhex("53532E434552542E41444631")  # "SS.CERT.ADF1"
AID_UNIONPAY = bytes.fromhex("A000000333010101")
# The outlet staff application, on cards the centre issues to outlet staff. Its real name and
# layout are not public (*stand-in*): a DF named "SS.STAFF.ADF" with one EF (SFI 1) whose
# records, by tag, hold the staff id (01) and the outlet (02). The PIN is the card's one PIN,
# verified in the SSSE application as on any card.
DF_STAFF = b"SS.STAFF.ADF"
STAFF_SFI = 1
STAFF_TAG_ID, STAFF_TAG_OUTLET = 0x01, 0x02

ATR_CONTACT = bytes.fromhex("3B6D00000081008843866533010114F199")  # a real card's ATR


def _pseudo_atr_type_b() -> bytes:
    """PC/SC part 3 ATR a contactless reader builds for an ISO 14443-4 type B card:
    3B 88 80 01, ATQB application data (4) and protocol info (3), then TCK."""
    body = bytes.fromhex("888001") + bytes.fromhex("00000000") + bytes.fromhex("338181")
    tck = 0
    for b in body:
        tck ^= b
    return b"\x3b" + body + bytes([tck])


ATR_CONTACTLESS = _pseudo_atr_type_b()

EF05, EF06 = 0xEF05, 0xEF06
SFI = {5: EF05, 6: EF06}

SW_OK = b"\x90\x00"
SW_WRONG_LENGTH = b"\x67\x00"
SW_SECURITY_NOT_SATISFIED = b"\x69\x82"
SW_BLOCKED = b"\x69\x83"
SW_CONDITIONS_NOT_SATISFIED = b"\x69\x85"
SW_NO_CURRENT_EF = b"\x69\x86"
SW_SM_WRONG = b"\x69\x88"
SW_WRONG_DATA = b"\x6A\x80"
SW_FILE_NOT_FOUND = b"\x6A\x82"
SW_RECORD_NOT_FOUND = b"\x6A\x83"
SW_WRONG_P1P2 = b"\x6A\x86"
SW_KEY_NOT_FOUND = b"\x6A\x88"
SW_INS_NOT_SUPPORTED = b"\x6D\x00"
SW_CLA_NOT_SUPPORTED = b"\x6E\x00"
SW_AUTH_FAILED = b"\x63\x00"

# Commands whose data must never reach a log or a trace.
SECRET_INS = {0x20, 0x5E, 0x24, 0x82}


@dataclass(frozen=True)
class Command:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: int | None  # None: no Le; 256 for Le = 00

    @classmethod
    def parse(cls, apdu: bytes) -> "Command | None":
        if len(apdu) < 4:
            return None
        cla, ins, p1, p2 = apdu[:4]
        body = apdu[4:]
        if not body:
            return cls(cla, ins, p1, p2, b"", None)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, b"", body[0] or 256)
        lc = body[0]
        if lc and len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, body[1:], None)
        if lc and len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, body[1 : 1 + lc], body[-1] or 256)
        return None


def bcd(digits: str, size: int | None = None, pad: str = "F") -> bytes:
    text = digits + pad * ((size * 2 - len(digits)) if size else len(digits) % 2)
    return bytes.fromhex(text)


def bcd_date(day: date) -> bytes:
    return bytes.fromhex(day.strftime("%Y%m%d"))


def tlv(tag: int, value: bytes) -> bytes:
    return bytes([tag, len(value)]) + value


class Chip:
    """One card. Thread-safe: the vpcd link and the control socket may touch it at once."""

    def __init__(self, profile: CardProfile) -> None:
        self.profile = profile
        self.atr = ATR_CONTACTLESS if profile.interface == "contactless" else ATR_CONTACT
        self.pin = profile.pin
        self.pin_tries_left = profile.pin_tries_left
        self._lock = threading.Lock()
        self.trace: collections.deque[str] = collections.deque(maxlen=200)
        self._files = self._build_files(profile)
        self._applications = self._build_applications(profile)
        self.power_on()

    # --- card contents -----------------------------------------------------------------

    @staticmethod
    def _build_files(p: CardProfile) -> dict[int, list[tuple[int, bytes]]]:
        """Each EF as its records in record-number order: (tag, value)."""
        name, extension = split_name(p.holder_name)
        birthplace = bcd(p.birthplace, 3)
        ef05 = [
            (0x01, p.card_id_code),
            (0x02, p.card_type.encode("ascii")),
            (0x03, p.spec_version.encode("ascii")),
            (0x04, p.init_org),
            (0x05, bcd_date(p.issue_date)),
            (0x06, bcd_date(p.expiry_date)),
            (0x07, p.card_number.encode("ascii")),
        ]
        ef06 = [
            (0x08, p.social_security_number.encode("ascii")),
            (0x09, name),
        ]
        if p.spec_version != "1.00":
            ef06.append((0x4E, extension or b" " * NAME_EXTENSION_BYTES))
        ef06 += [
            (0x0A, str(p.sex).encode("ascii")),
            (0x0B, bcd(f"{p.nation:02d}")),
            (0x0C, birthplace),
            (0x0D, bcd_date(p.birth_date)),
        ]
        return {EF05: ef05, EF06: ef06}

    @staticmethod
    def _build_applications(p: CardProfile) -> dict[bytes, bytes]:
        """DF name -> FCI."""
        apps: dict[bytes, bytes] = {}
        if "ssse" in p.applications:
            proprietary = tlv(0x88, b"\x0b")
            if p.spec_version == "3.00":
                proprietary += b"\x9f\x0c" + bytes([3]) + bytes.fromhex("860104")  # algorithm: SM (inferred)
            apps[DF_SSSE] = tlv(0x6F, tlv(0x84, DF_SSSE) + tlv(0xA5, proprietary))
        if "pki" in p.applications:
            apps[DF_PKI_DDF] = tlv(0x6F, tlv(0x84, DF_PKI_DDF) + tlv(0xA5, tlv(0x88, b"\x01")))
            apps[DF_PKI_ADF] = tlv(0x6F, tlv(0x84, DF_PKI_ADF) + tlv(0xA5, tlv(0x88, b"\x02")))
        if "unionpay" in p.applications:
            apps[AID_UNIONPAY] = tlv(0x6F, tlv(0x84, AID_UNIONPAY) + tlv(0xA5, tlv(0x50, b"UnionPay Debit")))
        if "staff" in p.applications:
            apps[DF_STAFF] = tlv(0x6F, tlv(0x84, DF_STAFF) + tlv(0xA5, tlv(0x88, bytes([STAFF_SFI]))))
        return apps

    # --- power -------------------------------------------------------------------------

    def power_on(self) -> None:
        """Reset: security state and selection are volatile, the PIN counter is not."""
        self.selected: bytes | None = None
        self.current_ef: int | None = None
        self.authenticated = False
        self.pin_verified = False
        self.challenge: bytes | None = None
        self.pending: bytes = b""

    def power_off(self) -> None:
        self.power_on()

    # --- dispatch ----------------------------------------------------------------------

    def process(self, apdu: bytes) -> bytes:
        with self._lock:
            cmd = Command.parse(apdu)
            answer = SW_WRONG_LENGTH if cmd is None else self._dispatch(cmd)
            self.trace.append(f"{_masked(apdu, cmd)} -> {answer[-2:].hex().upper()}")
            return answer

    def _dispatch(self, cmd: Command) -> bytes:
        handlers = {
            (0x00, 0xA4): self._select,
            (0x00, 0xC0): self._get_response,
            (0x00, 0xB2): self._read_record,
            (0x00, 0x84): self._get_challenge,
            (0x00, 0x82): self._external_authenticate,
            (0x00, 0x20): self._verify,
            (0x80, 0x5E): self._change_pin,
            (0x84, 0x24): self._reload_pin,
        }
        handler = handlers.get((cmd.cla, cmd.ins))
        if handler is None:
            known_ins = {ins for _cla, ins in handlers}
            return SW_CLA_NOT_SUPPORTED if cmd.ins in known_ins else SW_INS_NOT_SUPPORTED
        if cmd.ins != 0xC0:
            self.pending = b""
        return handler(cmd)

    @staticmethod
    def _with_le(data: bytes, le: int | None) -> bytes:
        """Data for a case-2 command: a wrong Le gets 6Cxx (resend with Le = xx)."""
        if le != len(data):
            return bytes([0x6C, len(data) & 0xFF])
        return data + SW_OK

    # --- SELECT / GET RESPONSE ---------------------------------------------------------

    def _select(self, cmd: Command) -> bytes:
        if cmd.p1 == 0x04:
            fci = self._applications.get(cmd.data)
            if fci is None:
                return SW_FILE_NOT_FOUND
            if self.selected != cmd.data:
                self.authenticated = False
                self.pin_verified = False
            self.selected = cmd.data
            self.current_ef = None
            if cmd.p2 == 0x0C:
                return SW_OK
            self.pending = fci
            return bytes([0x61, len(fci)])
        if cmd.p1 in (0x00, 0x02) and len(cmd.data) == 2:
            fid = int.from_bytes(cmd.data, "big")
            if self.selected != DF_SSSE or fid not in self._files:
                return SW_FILE_NOT_FOUND
            self.current_ef = fid
            return SW_OK
        return SW_WRONG_P1P2

    def _get_response(self, cmd: Command) -> bytes:
        if not self.pending:
            return SW_CONDITIONS_NOT_SATISFIED
        if cmd.le is None or cmd.le > len(self.pending):
            return bytes([0x6C, len(self.pending)])
        data, self.pending = self.pending[: cmd.le], self.pending[cmd.le :]
        return data + (bytes([0x61, len(self.pending)]) if self.pending else SW_OK)

    # --- READ RECORD -------------------------------------------------------------------

    def _read_record(self, cmd: Command) -> bytes:
        if self.selected == DF_STAFF:
            return self._read_staff_record(cmd)
        if self.selected != DF_SSSE:
            return SW_FILE_NOT_FOUND
        sfi, mode = cmd.p2 >> 3, cmd.p2 & 0x07
        if mode not in (0x00, 0x04):
            return SW_WRONG_P1P2
        by_number = mode == 0x04
        form = ("recno_sfi" if by_number else "tag_sfi") if sfi else ("recno_current" if by_number else "tag")
        if sfi:
            if sfi not in SFI:
                return SW_FILE_NOT_FOUND
            ef = SFI[sfi]
        else:
            if self.current_ef is None:
                return SW_NO_CURRENT_EF
            ef = self.current_ef
        if form not in self.profile.record_forms:
            return SW_RECORD_NOT_FOUND  # as a card that does not know this addressing does
        if ef == EF06 and self.profile.needs_external_auth and not self.authenticated:
            return SW_SECURITY_NOT_SATISFIED
        records = self._files[ef]
        if by_number:
            record = records[cmd.p1 - 1] if 1 <= cmd.p1 <= len(records) else None
        else:
            record = next((r for r in records if r[0] == cmd.p1), None)
        if record is None:
            return SW_RECORD_NOT_FOUND
        self.current_ef = ef
        return self._with_le(tlv(*record), cmd.le)

    def _read_staff_record(self, cmd: Command) -> bytes:
        """The staff application's EF, by tag or by number via its SFI (P2 08 / 0C)."""
        sfi, mode = cmd.p2 >> 3, cmd.p2 & 0x07
        if sfi != STAFF_SFI:
            return SW_FILE_NOT_FOUND
        if mode not in (0x00, 0x04):
            return SW_WRONG_P1P2
        records = [
            (STAFF_TAG_ID, self.profile.staff_id.encode("ascii")),
            (STAFF_TAG_OUTLET, self.profile.staff_outlet.encode("ascii")),
        ]
        if mode == 0x04:
            record = records[cmd.p1 - 1] if 1 <= cmd.p1 <= len(records) else None
        else:
            record = next((r for r in records if r[0] == cmd.p1), None)
        if record is None:
            return SW_RECORD_NOT_FOUND
        return self._with_le(tlv(*record), cmd.le)

    # --- security ----------------------------------------------------------------------

    def _get_challenge(self, cmd: Command) -> bytes:
        if cmd.le not in (4, 8):
            return SW_WRONG_LENGTH
        self.challenge = os.urandom(cmd.le)
        return self.challenge + SW_OK

    def _external_authenticate(self, cmd: Command) -> bytes:
        if self.selected != DF_SSSE:
            return SW_CONDITIONS_NOT_SATISFIED
        if cmd.p2 != 0x0A:
            return SW_KEY_NOT_FOUND
        if len(cmd.data) != 16:
            return SW_WRONG_LENGTH
        challenge, self.challenge = self.challenge, None
        if challenge is None or len(challenge) != 8:
            return SW_CONDITIONS_NOT_SATISFIED
        if not crypto.check_external_auth(self.profile.rksse_key, challenge, cmd.data):
            return SW_AUTH_FAILED
        self.authenticated = True
        return SW_OK

    # --- PIN ---------------------------------------------------------------------------

    def _pin_wrong(self) -> bytes:
        self.pin_tries_left = max(0, self.pin_tries_left - 1)
        self.pin_verified = False
        return bytes([0x63, 0xC0 | self.pin_tries_left])

    def _pin_right(self) -> None:
        self.pin_tries_left = self.profile.pin_retry_limit
        self.pin_verified = True

    def _verify(self, cmd: Command) -> bytes:
        if self.selected != DF_SSSE:
            return SW_CONDITIONS_NOT_SATISFIED
        if cmd.p1 != 0x00 or cmd.p2 != 0x00:
            return SW_WRONG_P1P2
        if self.pin_tries_left == 0:
            return SW_BLOCKED
        if not cmd.data:  # VERIFY without data: how many tries are left
            return SW_OK if self.pin_verified else bytes([0x63, 0xC0 | self.pin_tries_left])
        pin = _unbcd(cmd.data)
        if pin is None:
            return SW_WRONG_DATA
        if pin != self.pin:
            return self._pin_wrong()
        self._pin_right()
        return SW_OK

    def _change_pin(self, cmd: Command) -> bytes:
        if self.selected != DF_SSSE:
            return SW_CONDITIONS_NOT_SATISFIED
        if cmd.p1 != 0x01 or cmd.p2 != 0x00:
            return SW_WRONG_P1P2
        if self.pin_tries_left == 0:
            return SW_BLOCKED
        old_raw, sep, new_raw = cmd.data.partition(b"\xff")
        old, new = _unbcd(old_raw), _unbcd(new_raw)
        if not sep or old is None or new is None or not 4 <= len(new) <= 12:
            return SW_WRONG_DATA
        if old != self.pin:
            return self._pin_wrong()
        self.pin = new
        self._pin_right()
        return SW_OK

    def _reload_pin(self, cmd: Command) -> bytes:
        if self.selected != DF_SSSE:
            return SW_CONDITIONS_NOT_SATISFIED
        if cmd.p1 != 0x00 or cmd.p2 != 0x01:
            return SW_WRONG_P1P2
        if len(cmd.data) != 20:
            return SW_WRONG_LENGTH
        challenge, self.challenge = self.challenge, None
        if challenge is None or len(challenge) != 8:
            return SW_CONDITIONS_NOT_SATISFIED
        new = crypto.open_reload_block(self.profile.reload_key, challenge, cmd.data)
        if new is None:
            return SW_SM_WRONG
        self.pin = new
        self.pin_tries_left = self.profile.pin_retry_limit
        self.pin_verified = False
        return SW_OK

    # --- for the control socket ----------------------------------------------------------

    def state(self) -> dict:
        return {
            "profile": self.profile.name,
            "spec_version": self.profile.spec_version,
            "pin_tries_left": self.pin_tries_left,
            "pin_retry_limit": self.profile.pin_retry_limit,
            "pin_blocked": self.pin_tries_left == 0,
            "selected": (self.selected or b"").hex().upper() or None,
            "authenticated": self.authenticated,
        }


def _unbcd(data: bytes) -> str | None:
    """PIN digits from BCD with F padding at the end; None if it is not that."""
    text = data.hex().upper().rstrip("F")
    if not data or not text.isdigit() or not 4 <= len(text) <= 12 or len(data) != (len(text) + 1) // 2:
        return None
    return text


def _masked(apdu: bytes, cmd: Command | None) -> str:
    """The C-APDU for the trace: data of PIN and key commands as ** only."""
    if cmd is not None and cmd.ins in SECRET_INS and cmd.data:
        return apdu[:5].hex().upper() + "**" * len(cmd.data)
    return apdu.hex().upper()
