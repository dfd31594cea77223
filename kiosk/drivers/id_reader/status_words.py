"""What each SW3 status byte of a GA 467 reply means for the kiosk.

Every code maps to the shared vocabulary: a result code, a recovery hint, the device
state it implies, and a reason a technician can read. Codes outside the table are still
a value (an unknown device error), never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.drivers.status import DeviceState, Recovery, ResultCode


@dataclass(frozen=True)
class StatusWord:
    sw3: int
    code: ResultCode
    recovery: Recovery
    state: DeviceState  # what the reader's DeviceStatus becomes after this reply
    reason: str

    @property
    def ok(self) -> bool:
        return self.code is ResultCode.SUCCESS

    @property
    def label(self) -> str:
        return f"SW3 {self.sw3:02X}"


OK = 0x90
CARD_FOUND = 0x9F
NO_ITEM = 0x91
REQUEST_CHECKSUM_ERROR = 0x10
REQUEST_LENGTH_ERROR = 0x11
COMMAND_ERROR = 0x21
UNAUTHORISED = 0x23
UNKNOWN_ERROR = 0x24
CARD_AUTH_FAILED = 0x31
SAM_AUTH_FAILED = 0x32
INFO_VERIFY_FAILED = 0x33
UNKNOWN_CARD_TYPE = 0x40
READ_FAILED = 0x41
RANDOM_FAILED = 0x47
SAM_SELF_TEST_FAILED = 0x60
SAM_NOT_AUTHORISED = 0x66
FIND_FAILED = 0x80
SELECT_FAILED = 0x81

_ON, _HW, _USER = DeviceState.ONLINE, DeviceState.HARDWARE_ERROR, DeviceState.USER_ERROR

_TABLE: dict[int, tuple[ResultCode, Recovery, DeviceState, str]] = {
    OK: (ResultCode.SUCCESS, Recovery.NONE, _ON, "ok"),
    CARD_FOUND: (ResultCode.SUCCESS, Recovery.NONE, _ON, "card found"),
    NO_ITEM: (ResultCode.DEVICE_ERROR, Recovery.NONE, _ON, "the card has no such item (e.g. no fingerprint data)"),
    REQUEST_CHECKSUM_ERROR: (
        ResultCode.PROTOCOL_ERROR, Recovery.RETRY, _ON, "the module received our request with a bad checksum (line noise)"
    ),
    REQUEST_LENGTH_ERROR: (
        ResultCode.PROTOCOL_ERROR, Recovery.RETRY, _ON, "the module received our request with a wrong length (line noise)"
    ),
    COMMAND_ERROR: (
        ResultCode.PROTOCOL_ERROR, Recovery.NEEDS_MAINTENANCE, _ON,
        "the module does not know this command (firmware does not match the driver)",
    ),
    UNAUTHORISED: (ResultCode.DEVICE_ERROR, Recovery.NEEDS_MAINTENANCE, _HW, "operation not authorised for this SAM"),
    UNKNOWN_ERROR: (ResultCode.DEVICE_ERROR, Recovery.RETRY, _ON, "the module reports an unknown error"),
    CARD_AUTH_FAILED: (
        ResultCode.DEVICE_ERROR, Recovery.RESIDENT_CAN_FIX, _USER,
        "card-to-SAM authentication failed (card moved, damaged or not genuine)",
    ),
    SAM_AUTH_FAILED: (
        ResultCode.DEVICE_ERROR, Recovery.RESIDENT_CAN_FIX, _USER,
        "SAM-to-card authentication failed (card moved, damaged or not genuine)",
    ),
    INFO_VERIFY_FAILED: (
        ResultCode.INVALID_DATA, Recovery.RESIDENT_CAN_FIX, _USER, "the card's data failed the SAM's verification"
    ),
    UNKNOWN_CARD_TYPE: (
        ResultCode.INVALID_DATA, Recovery.RESIDENT_CAN_FIX, _USER, "the card on the reader is not an identity card"
    ),
    READ_FAILED: (
        ResultCode.DEVICE_ERROR, Recovery.RESIDENT_CAN_FIX, _USER,
        "reading the card failed (card moved during the read, or not selected first)",
    ),
    RANDOM_FAILED: (ResultCode.DEVICE_ERROR, Recovery.RETRY, _ON, "the card failed to produce a random number"),
    SAM_SELF_TEST_FAILED: (
        ResultCode.DEVICE_ERROR, Recovery.NEEDS_MAINTENANCE, _HW, "the SAM module failed its self-test"
    ),
    SAM_NOT_AUTHORISED: (
        ResultCode.DEVICE_ERROR, Recovery.NEEDS_MAINTENANCE, _HW, "the SAM module is not authorised (not activated)"
    ),
    FIND_FAILED: (ResultCode.NO_MEDIA, Recovery.RESIDENT_CAN_FIX, _ON, "no card on the reader"),
    SELECT_FAILED: (
        ResultCode.NO_MEDIA, Recovery.RESIDENT_CAN_FIX, _ON, "selecting the card failed (card moved or taken away)"
    ),
}

KNOWN_CODES = frozenset(_TABLE)


def interpret(sw3: int) -> StatusWord:
    """The meaning of any SW3 byte; unknown codes are a device error that needs a technician."""
    entry = _TABLE.get(sw3)
    if entry is None:
        return StatusWord(
            sw3, ResultCode.DEVICE_ERROR, Recovery.NEEDS_MAINTENANCE, _HW, f"undocumented status SW3 {sw3:02X}"
        )
    return StatusWord(sw3, *entry)
