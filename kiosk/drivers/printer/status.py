"""What the printer's status bytes mean, and what the kiosk should do about them.

Four queries, each answered by one byte (Epson ESC/POS, the de-facto standard of Chinese
kiosk printers):

- `DLE EOT 1` printer status: bit 3 offline.
- `DLE EOT 2` offline cause: bit 2 cover open, bit 5 printing stopped at paper end,
  bit 6 an error occurred.
- `DLE EOT 4` roll paper sensor: bits 2-3 near end, bits 5-6 paper end.
- `GS r 1` paper sensor: bits 0-1 near end, bits 2-3 paper end.

The `DLE EOT` answers always have bits 1 and 4 set and bits 0 and 7 clear (`0xx1xx10`);
`GS r` answers have bits 4 and 7 clear. The two families can therefore be told apart on
the wire, which the driver relies on when it polls `DLE EOT` while waiting for a `GS r`.
A byte outside both patterns is a protocol error, and silence is never "paper adequate"
(python-escpos 3.1's `paper_status()` says it is).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.drivers.status import CoverState, DeviceKind, DeviceState, DeviceStatus, Recovery, SupplyState

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_ROLL_PAPER = b"\x10\x04\x04"
GS_R_PAPER = b"\x1d\x72\x01"

REALTIME_QUERIES = {
    "printer": DLE_EOT_PRINTER,
    "offline_cause": DLE_EOT_OFFLINE_CAUSE,
    "roll_paper": DLE_EOT_ROLL_PAPER,
}


class StatusByteError(ValueError):
    """A byte that cannot be an answer to the query that was sent."""


def is_realtime_answer(byte: int) -> bool:
    """True for a byte shaped like a `DLE EOT n` answer (`0xx1xx10`)."""
    return byte & 0b1001_0011 == 0b0001_0010


def is_gs_r_answer(byte: int) -> bool:
    """True for a byte shaped like a `GS r 1` answer (bits 4 and 7 clear)."""
    return byte & 0b1001_0000 == 0


def _realtime(byte: int, query: str) -> int:
    if not is_realtime_answer(byte):
        raise StatusByteError(f"0x{byte:02X} is not an answer to DLE EOT ({query}): fixed bits 0xx1xx10 do not match")
    return byte


@dataclass(frozen=True)
class PrinterSensors:
    """The printer's own view of itself, decoded from the status bytes."""

    offline: bool = False
    cover_open: bool = False
    stopped_at_paper_end: bool = False
    error: bool = False
    paper_near_end: bool = False
    paper_end: bool = False

    def to_dict(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def parse_printer_status(byte: int) -> dict[str, bool]:
    """`DLE EOT 1`."""
    return {"offline": bool(_realtime(byte, "printer status") & 0x08)}


def parse_offline_cause(byte: int) -> dict[str, bool]:
    """`DLE EOT 2`."""
    _realtime(byte, "offline cause")
    return {
        "cover_open": bool(byte & 0x04),
        "stopped_at_paper_end": bool(byte & 0x20),
        "error": bool(byte & 0x40),
    }


def parse_roll_paper(byte: int) -> dict[str, bool]:
    """`DLE EOT 4`. Either bit of a pair counts: printers differ in setting one or both."""
    _realtime(byte, "roll paper sensor")
    return {"paper_near_end": bool(byte & 0x0C), "paper_end": bool(byte & 0x60)}


def parse_gs_r_paper(byte: int) -> dict[str, bool]:
    """`GS r 1`."""
    if not is_gs_r_answer(byte):
        raise StatusByteError(f"0x{byte:02X} is not an answer to GS r 1: bits 4 and 7 must be clear")
    return {"paper_near_end": bool(byte & 0x03), "paper_end": bool(byte & 0x0C)}


PARSERS = {
    "printer": parse_printer_status,
    "offline_cause": parse_offline_cause,
    "roll_paper": parse_roll_paper,
}


def sensors_from_answers(answers: dict[str, int]) -> PrinterSensors:
    """Combine the answers that arrived (`printer`, `offline_cause`, `roll_paper`, `gs_r`).

    A sensor reported by any query counts: the paper is out if either `DLE EOT 4` or
    `GS r 1` says so.
    """
    flags: dict[str, bool] = {}
    for query, byte in answers.items():
        parsed = parse_gs_r_paper(byte) if query == "gs_r" else PARSERS[query](byte)
        for name, value in parsed.items():
            flags[name] = flags.get(name, False) or value
    return PrinterSensors(**flags)


def device_status(sensors: PrinterSensors, detail: str = "") -> DeviceStatus:
    """The shared vocabulary for what the sensors say, worst condition first."""
    if sensors.paper_end:
        paper = SupplyState.OUT
    elif sensors.paper_near_end:
        paper = SupplyState.LOW
    else:
        paper = SupplyState.FULL
    cover = CoverState.OPEN if sensors.cover_open else CoverState.CLOSED
    common = {"device": DeviceKind.PRINTER, "supplies": {"paper": paper}, "cover": cover}
    if sensors.error:
        return DeviceStatus(
            state=DeviceState.HARDWARE_ERROR,
            recovery=Recovery.NEEDS_MAINTENANCE,
            detail=detail or "the printer reports an error (cutter or print head)",
            **common,
        )
    if sensors.cover_open:
        return DeviceStatus(
            state=DeviceState.USER_ERROR,
            recovery=Recovery.STAFF_CAN_CLEAR,
            detail=detail or "printer cover is open: close it",
            **common,
        )
    if sensors.paper_end or sensors.stopped_at_paper_end:
        return DeviceStatus(
            state=DeviceState.OFFLINE,
            recovery=Recovery.STAFF_CAN_CLEAR,
            detail=detail or "out of paper: load a new roll",
            **{**common, "supplies": {"paper": SupplyState.OUT}},
        )
    if sensors.offline:
        return DeviceStatus(
            state=DeviceState.OFFLINE,
            recovery=Recovery.RETRY,
            detail=detail or "printer is offline (feed button held, or recovering)",
            **common,
        )
    if sensors.paper_near_end:
        return DeviceStatus(
            state=DeviceState.ONLINE,
            recovery=Recovery.STAFF_CAN_CLEAR,
            detail=detail or "paper near end: replace the roll soon",
            **common,
        )
    return DeviceStatus(state=DeviceState.ONLINE, detail=detail, **common)
