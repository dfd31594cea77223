"""PC/SC through pyscard: the only module of the kiosk that talks to pcscd.

Everything pcscd can answer becomes a `PcscFailure` carrying a ResultCode, so the layers
above deal in the shared device vocabulary and never in SCARD_* numbers:

- no pcscd, no reader, reader gone        -> NO_DEVICE
- no card in the reader                   -> NO_MEDIA
- card pulled out while we talk to it     -> MEDIA_REMOVED
- card mute or not powered                -> DEVICE_ERROR (take it out, put it in again)

Facts seen with pcsc-lite 1.9.9 and vpcd (tests/drivers/card): a card pulled out in the
middle of an APDU makes SCardTransmit *succeed* with an empty response; the next transmit
fails with SCARD_E_NOT_TRANSACTED and, once pcscd has polled the slot (every 400 ms),
with SCARD_W_REMOVED_CARD. `Channel.transmit` turns all three into MEDIA_REMOVED after
asking pcscd whether the card is still there.

pcscd keeps a 16-bit event counter in the upper half of a reader's event state: it
changes on every insertion and removal, so a card swapped between two polls is still seen.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from smartcard import scard

from kiosk.drivers.status import Recovery, ResultCode

log = logging.getLogger(__name__)


def _u32(code: int) -> int:
    return code & 0xFFFFFFFF


NO_DEVICE_CODES = {
    _u32(scard.SCARD_E_NO_SERVICE),
    _u32(scard.SCARD_E_SERVICE_STOPPED),
    _u32(scard.SCARD_E_NO_READERS_AVAILABLE),
    _u32(scard.SCARD_E_UNKNOWN_READER),
    _u32(scard.SCARD_E_READER_UNAVAILABLE),
    _u32(scard.SCARD_E_INVALID_HANDLE),  # the context died with its pcscd
    _u32(scard.SCARD_F_COMM_ERROR),  # the socket to pcscd broke
}
NO_CARD_CODES = {_u32(scard.SCARD_E_NO_SMARTCARD), _u32(scard.SCARD_W_REMOVED_CARD)}
MUTE_CARD_CODES = {_u32(scard.SCARD_W_UNRESPONSIVE_CARD), _u32(scard.SCARD_W_UNPOWERED_CARD)}
LOST_TRANSACTION_CODES = {_u32(scard.SCARD_E_NOT_TRANSACTED)}
EVENT_COUNTER_SHIFT = 16


class PcscFailure(Exception):
    """A PC/SC-level failure, already in the device vocabulary. No personal data inside."""

    def __init__(self, code: ResultCode, reason: str, recovery: Recovery = Recovery.NONE, hresult: int | None = None):
        self.code = code
        self.reason = reason
        self.recovery = recovery
        self.hresult = hresult
        super().__init__(reason)


def error_text(hresult: int) -> str:
    return f"{scard.SCardGetErrorMessage(hresult)} (0x{_u32(hresult):08X})"


def failure_for(hresult: int, doing: str, *, mid_command: bool = False) -> PcscFailure:
    code = _u32(hresult)
    text = f"{doing}: {error_text(hresult)}"
    if code in NO_DEVICE_CODES:
        return PcscFailure(ResultCode.NO_DEVICE, text, Recovery.NEEDS_MAINTENANCE, code)
    if code in NO_CARD_CODES:
        if mid_command:
            return PcscFailure(ResultCode.MEDIA_REMOVED, text, Recovery.RESIDENT_CAN_FIX, code)
        return PcscFailure(ResultCode.NO_MEDIA, text, Recovery.RESIDENT_CAN_FIX, code)
    if code in MUTE_CARD_CODES:
        return PcscFailure(ResultCode.DEVICE_ERROR, text + " - the card does not answer; take it out and put it in again", Recovery.RESIDENT_CAN_FIX, code)
    if code == _u32(scard.SCARD_E_TIMEOUT):
        return PcscFailure(ResultCode.TIMEOUT, text, Recovery.RETRY, code)
    if code == _u32(scard.SCARD_E_CANCELLED):
        return PcscFailure(ResultCode.CANCELLED, text, Recovery.NONE, code)
    if code == _u32(scard.SCARD_E_SHARING_VIOLATION):
        return PcscFailure(ResultCode.DEVICE_ERROR, text + " - another program holds the card", Recovery.RETRY, code)
    return PcscFailure(ResultCode.DEVICE_ERROR, text, Recovery.RETRY, code)


@dataclass(frozen=True)
class ReaderChoice:
    """Which reader a `pcsc://` URL means: `pcsc://` is the first reader holding a card,
    `pcsc://?name=NAME` the reader called NAME (exactly, else the only one whose name
    contains NAME, case-insensitive)."""

    name: str | None = None

    @classmethod
    def from_url(cls, url: str) -> "ReaderChoice":
        parts = urlsplit(url or "pcsc://")
        if parts.scheme != "pcsc":
            raise ValueError(f"a card reader URL starts with pcsc:// (not {url!r})")
        names = parse_qs(parts.query).get("name")
        return cls(names[0] if names else None)

    def match(self, readers: list[str]) -> str | None:
        if self.name is None:
            return None
        if self.name in readers:
            return self.name
        hits = [r for r in readers if self.name.lower() in r.lower()]
        return hits[0] if len(hits) == 1 else None

    def describe(self) -> str:
        return f"reader {self.name!r}" if self.name else "the first reader holding a card"


@dataclass(frozen=True)
class ReaderState:
    name: str
    present: bool
    atr: bytes
    events: int  # pcscd's insert/remove counter for this reader
    mute: bool = False
    exclusive: bool = False


class Context:
    """A PC/SC context; re-established by the caller when pcscd went away."""

    def __init__(self) -> None:
        hresult, handle = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        if hresult != scard.SCARD_S_SUCCESS:
            raise failure_for(hresult, "connecting to pcscd (is pcscd running?)")
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            scard.SCardReleaseContext(self.handle)
            self.handle = None

    def valid(self) -> bool:
        return self.handle is not None and scard.SCardIsValidContext(self.handle) == scard.SCARD_S_SUCCESS

    def readers(self) -> list[str]:
        hresult, readers = scard.SCardListReaders(self.handle, [])
        if _u32(hresult) == _u32(scard.SCARD_E_NO_READERS_AVAILABLE):
            return []
        if hresult != scard.SCARD_S_SUCCESS:
            raise failure_for(hresult, "listing readers")
        return list(readers)

    def states(self, readers: list[str], timeout_ms: int = 0, known: dict[str, int] | None = None) -> list[ReaderState]:
        """The readers' states now (timeout 0), or after the first change from `known`
        (reader -> last event state) within `timeout_ms`."""
        if not readers:
            return []
        request = [(r, (known or {}).get(r, scard.SCARD_STATE_UNAWARE)) for r in readers]
        hresult, result = scard.SCardGetStatusChange(self.handle, timeout_ms, request)
        if _u32(hresult) == _u32(scard.SCARD_E_TIMEOUT):
            hresult, result = scard.SCardGetStatusChange(self.handle, 0, [(r, scard.SCARD_STATE_UNAWARE) for r in readers])
        if hresult != scard.SCARD_S_SUCCESS:
            raise failure_for(hresult, "reading the readers' state")
        return [_reader_state(name, state, atr) for name, state, atr in result]

    def cancel(self) -> None:
        if self.handle is not None:
            scard.SCardCancel(self.handle)


def _reader_state(name: str, state: int, atr) -> ReaderState:
    present = bool(state & scard.SCARD_STATE_PRESENT) and not state & scard.SCARD_STATE_UNAVAILABLE
    return ReaderState(
        name=name,
        present=present,
        atr=bytes(atr or b"") if present else b"",
        events=(state >> EVENT_COUNTER_SHIFT) & 0xFFFF,
        mute=bool(state & scard.SCARD_STATE_MUTE),
        exclusive=bool(state & scard.SCARD_STATE_EXCLUSIVE),
    )


def choose_reader(context: Context, choice: ReaderChoice) -> ReaderState:
    """The reader to use now, or a PcscFailure saying why there is none."""
    readers = context.readers()
    if not readers:
        raise PcscFailure(ResultCode.NO_DEVICE, "no card reader is connected (pcscd lists none)", Recovery.NEEDS_MAINTENANCE)
    if choice.name is not None:
        name = choice.match(readers)
        if name is None:
            raise PcscFailure(
                ResultCode.NO_DEVICE,
                f"no {choice.describe()} (readers: {', '.join(readers)})",
                Recovery.NEEDS_MAINTENANCE,
            )
        readers = [name]
    states = context.states(readers)
    for state in states:
        if state.present:
            return state
    where = choice.describe() if choice.name else "any reader"
    raise PcscFailure(ResultCode.NO_MEDIA, f"no card in {where}", Recovery.RESIDENT_CAN_FIX)


class Channel:
    """One connection to the card in one reader."""

    def __init__(self, context: Context, reader: str) -> None:
        self.context = context
        self.reader = reader
        hresult, handle, protocol = scard.SCardConnect(
            context.handle, reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        if hresult != scard.SCARD_S_SUCCESS:
            raise failure_for(hresult, f"connecting to the card in {reader!r}")
        self.handle = handle
        self.protocol = protocol
        self._pci = scard.SCARD_PCI_T0 if protocol == scard.SCARD_PROTOCOL_T0 else scard.SCARD_PCI_T1
        self.atr = self.status_atr()

    @property
    def protocol_name(self) -> str:
        return "T=0" if self.protocol == scard.SCARD_PROTOCOL_T0 else "T=1"

    def status_atr(self) -> bytes:
        """The ATR while the card is still in; a PcscFailure if it is gone."""
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(self.handle)
        if hresult != scard.SCARD_S_SUCCESS:
            raise failure_for(hresult, "reading the card's status")
        return bytes(atr)

    def alive(self) -> bool:
        try:
            self.status_atr()
        except PcscFailure:
            return False
        return True

    def transmit(self, apdu: bytes) -> bytes:
        hresult, response = scard.SCardTransmit(self.handle, self._pci, list(apdu))
        if hresult == scard.SCARD_S_SUCCESS and len(response) >= 2:
            return bytes(response)
        if hresult == scard.SCARD_S_SUCCESS or _u32(hresult) in LOST_TRANSACTION_CODES | NO_CARD_CODES:
            raise self._lost_card(hresult)
        raise failure_for(hresult, "sending a command to the card", mid_command=True)

    def _lost_card(self, hresult: int) -> PcscFailure:
        """The exchange broke: the card was pulled out, unless pcscd still sees it."""
        what = "the card gave no answer" if hresult == scard.SCARD_S_SUCCESS else error_text(hresult)
        if self._gone_within(2.5):  # pcscd polls every 400 ms; a loaded machine can take longer
            return PcscFailure(
                ResultCode.MEDIA_REMOVED,
                f"the card was taken out in the middle of a command ({what})",
                Recovery.RESIDENT_CAN_FIX,
                _u32(hresult),
            )
        return PcscFailure(ResultCode.PROTOCOL_ERROR, f"the card's answer was lost ({what})", Recovery.RETRY, _u32(hresult))

    def _gone_within(self, seconds: float) -> bool:
        """True once pcscd reports the reader empty (it polls every 400 ms)."""
        deadline = time.monotonic() + seconds
        known = scard.SCARD_STATE_UNAWARE
        while True:
            remaining_ms = int((deadline - time.monotonic()) * 1000)
            hresult, result = scard.SCardGetStatusChange(self.context.handle, max(0, remaining_ms), [(self.reader, known)])
            if _u32(hresult) in NO_DEVICE_CODES:
                return True  # the reader or pcscd went with it
            if hresult == scard.SCARD_S_SUCCESS:
                state = result[0][1]
                if not state & scard.SCARD_STATE_PRESENT or state & scard.SCARD_STATE_UNAVAILABLE:
                    return True
                known = state & ~scard.SCARD_STATE_CHANGED
            if remaining_ms <= 0:
                return False

    def disconnect(self, reset: bool = False) -> None:
        if self.handle is None:
            return
        disposition = scard.SCARD_RESET_CARD if reset else scard.SCARD_LEAVE_CARD
        hresult = scard.SCardDisconnect(self.handle, disposition)
        if hresult != scard.SCARD_S_SUCCESS:
            log.debug("disconnect from %s: %s", self.reader, error_text(hresult))
        self.handle = None
