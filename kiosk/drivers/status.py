"""The shared device vocabulary, after CEN/XFS4IoT and VotingWorks vxsuite.

A device's condition is a value, never an exception: a closed set of device states,
media and supply states, and a recovery hint that tells staff what to do. Every
operation ends in a `Completion` with a result code and a reason a technician can read.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class DeviceKind(StrEnum):
    """The kinds of device a terminal drives; each has one interface in kiosk/drivers/<kind>/."""

    ID_READER = "id_reader"
    CARD_READER = "card_reader"
    PRINTER = "printer"
    CAMERA = "camera"
    USB_DRIVE = "usb_drive"  # the employer's removable drive (batch packages)
    STAFF_SIGNAL = "staff_signal"  # the outlet's call light / buzzer (呼叫工作人员)


class Detail(StrEnum):
    """Keys of `Completion.detail` that flows and screens read (the rest is for technicians)."""

    TRIES_LEFT = "tries_left"  # PIN tries left on the card after a wrong PIN
    BLOCKED = "blocked"  # the card's PIN is blocked
    SAME_CARD = "same_card"  # the ID card on the reader is the one already read
    SW = "sw"  # the card's status word, as 4 hex digits
    DISK_FULL = "disk_full"  # the kiosk's own disk has no room for what was asked
    WRITE_PROTECTED = "write_protected"  # a removable drive refused to be written


class DeviceState(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"  # present but not answering as it should (e.g. printer offline bit)
    BUSY = "busy"
    NO_DEVICE = "no_device"  # unplugged, port missing
    HARDWARE_ERROR = "hardware_error"
    USER_ERROR = "user_error"  # something a person did: cover open, card inserted wrongly


class MediaState(StrEnum):
    """A card (ID card, social security card) on or in the reader."""

    PRESENT = "present"
    NOT_PRESENT = "not_present"
    UNKNOWN = "unknown"


class SupplyState(StrEnum):
    """Consumables such as receipt paper."""

    FULL = "full"
    LOW = "low"
    OUT = "out"
    JAMMED = "jammed"
    UNKNOWN = "unknown"


class CoverState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    UNKNOWN = "unknown"


class Recovery(StrEnum):
    NONE = "none"
    RETRY = "retry"  # try the operation again
    RESIDENT_CAN_FIX = "resident_can_fix"  # e.g. place the card properly
    STAFF_CAN_CLEAR = "staff_can_clear"  # paper, cover, a jammed card
    NEEDS_MAINTENANCE = "needs_maintenance"  # a technician must come


class ResultCode(StrEnum):
    SUCCESS = "success"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"
    NO_MEDIA = "no_media"  # no card on the reader, no paper
    MEDIA_REMOVED = "media_removed"  # card taken away mid-operation
    NO_DEVICE = "no_device"
    DEVICE_ERROR = "device_error"  # the device said it failed
    PROTOCOL_ERROR = "protocol_error"  # bytes we could not make sense of
    INVALID_DATA = "invalid_data"  # well-formed, but fails a domain check
    REFUSED = "refused"  # e.g. wrong PIN, paper out so we did not print


@dataclass(frozen=True)
class DeviceStatus:
    device: DeviceKind
    state: DeviceState
    media: MediaState = MediaState.UNKNOWN
    supplies: dict[str, SupplyState] = field(default_factory=dict)
    cover: CoverState = CoverState.UNKNOWN
    recovery: Recovery = Recovery.NONE
    detail: str = ""  # for technicians; never personal data

    @property
    def usable(self) -> bool:
        return self.state in (DeviceState.ONLINE, DeviceState.BUSY)

    def to_dict(self) -> dict:
        return {
            "device": self.device,
            "state": str(self.state),
            "media": str(self.media),
            "supplies": {k: str(v) for k, v in self.supplies.items()},
            "cover": str(self.cover),
            "recovery": str(self.recovery),
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Completion(Generic[T]):
    """How an operation ended. `value` is set only on success."""

    code: ResultCode
    value: T | None = None
    reason: str = ""  # for technicians and logs; never personal data
    recovery: Recovery = Recovery.NONE
    detail: dict = field(default_factory=dict)  # protocol-level facts (status words, SW3, ...)

    @property
    def ok(self) -> bool:
        return self.code is ResultCode.SUCCESS

    @classmethod
    def success(cls, value: T) -> "Completion[T]":
        return cls(ResultCode.SUCCESS, value)

    @classmethod
    def failure(
        cls, code: ResultCode, reason: str, recovery: Recovery = Recovery.NONE, **detail
    ) -> "Completion[T]":
        if code is ResultCode.SUCCESS:
            raise ValueError("a failure needs a failure code")
        return cls(code, None, reason, recovery, detail)


class CancelToken:
    """Lets a screen or flow stop a device operation that is waiting (e.g. for a card)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True as soon as cancelled."""
        return self._event.wait(seconds)


Listener = Callable[[DeviceStatus], None]


class StatusReporter:
    """Keeps a driver's current status and tells listeners when it changes.

    Listeners are called on the driver's thread: a Kivy screen must hop to the UI thread
    (`Clock.schedule_once`) itself.
    """

    def __init__(self, initial: DeviceStatus) -> None:
        from kiosk.drivers.device_audit import FaultWatch  # it reads this module's vocabulary

        self._status = initial
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._faults = FaultWatch()  # device-fault / device-recovered in the audit trail

    @property
    def status(self) -> DeviceStatus:
        return self._status

    def add_listener(self, listener: Listener) -> None:
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def update(self, **changes) -> DeviceStatus:
        with self._lock:
            new = replace(self._status, **changes)
            changed = new != self._status
            self._status = new
            listeners = list(self._listeners) if changed else []
        if changed:
            self._faults.seen(new)
        for listener in listeners:
            listener(new)
        return new
