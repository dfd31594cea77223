"""From what the terminal has to what each service can do: one pure function.

`service_availability(statuses, centre, switch)` looks at the devices' statuses (the
drivers' vocabulary, kiosk.drivers.status), whether the card centre answers, the
out-of-service switch, and whether the clock is behind the software's build day, and gives every service an `Availability` and the reason in the
residents' words (Chinese first, English second). No I/O: `monitor` gathers the inputs.

A device without a status (never asked yet) counts as working, and a centre not yet asked
as reachable: residents are turned away only for a fault that was seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Iterable, Mapping

from kiosk.availability.needs import CAMERA, CARD_READER, DATES_A_VOUCHER_OR_RECORD, ID_READER, PRINTER, CentreUse, Needs, needs_of
from kiosk.availability.out_of_service import GO_ELSEWHERE, SwitchReading
from kiosk.domain.services import SERVICES
from kiosk.drivers.printer.driver import refusal
from kiosk.drivers.status import DeviceKind, DeviceState, DeviceStatus, SupplyState
from kiosk.i18n import Bilingual, bi


class Availability(StrEnum):
    OPEN = "open"
    OPEN_QUEUED = "open_queued"  # the centre is down: the work is kept and sent later
    OPEN_CACHED = "open_cached"  # the centre is down: earlier answers, marked as such
    CLOSED_PRINTER = "closed_printer"
    CLOSED_CARD_READER = "closed_card_reader"
    CLOSED_ID_READER = "closed_id_reader"
    CLOSED_READERS = "closed_readers"  # neither the ID card nor the card can be read
    CLOSED_CAMERA = "closed_camera"
    CLOSED_CENTRE = "closed_centre"  # needs the centre live, and it cannot be reached
    CLOSED_CLOCK = "closed_clock"  # numbers or dates something, and the clock is behind the build day
    OUT_OF_SERVICE = "out_of_service"

    @property
    def open(self) -> bool:
        return self in OPEN_STATES


OPEN_STATES = frozenset({Availability.OPEN, Availability.OPEN_QUEUED, Availability.OPEN_CACHED})


class CentreReach(StrEnum):
    REACHABLE = "reachable"
    UNREACHABLE = "unreachable"
    UNKNOWN = "unknown"  # not asked yet: counts as reachable


PAPER_OUT = bi("打印机缺纸，暂不能办理需要打印凭证的业务", "Printer out of paper: services with a voucher are closed for now")
PRINTER_DOWN = bi("打印机暂时不能用，暂不能办理需要打印凭证的业务", "Printer not working: services with a voucher are closed for now")
CARD_READER_DOWN = bi("社保卡读卡器暂时不能用，暂不能办理要插社保卡的业务", "Card reader not working: card services are closed for now")
ID_READER_DOWN = bi("身份证读卡器暂时不能用，暂不能办理要刷身份证的业务", "ID card reader not working: services that need an ID card are closed for now")
READERS_DOWN = bi("身份证和社保卡都暂时读不了，暂不能办理这项业务", "Neither ID cards nor cards can be read: closed for now")
CAMERA_DOWN = bi("相机暂时不能用，暂不能办理需要拍照的业务", "Camera not working: services with a photo are closed for now")
CENTRE_NEEDED = bi("网络暂时中断，这项业务要连上社保中心才能办，请稍后再试", "Network down: this needs the card centre. Please try again later")
QUEUED = bi("网络暂时中断，办理后会自动提交", "Network down: you can still do this; it is sent later by itself")
CACHED = bi("网络暂时中断，只能查到以前的结果", "Network down: you will see the last known answer")
CLOCK_WRONG = bi("本机时间不准，暂停办理，请找工作人员", "This kiosk's clock is wrong. Services are paused: please ask staff")
EVERYTHING_CLOSED = bi("本机暂时不能办理业务", "This kiosk cannot serve anyone just now")

DEVICE_CLOSES: dict[DeviceKind, tuple[Availability, Bilingual]] = {
    PRINTER: (Availability.CLOSED_PRINTER, PRINTER_DOWN),
    CARD_READER: (Availability.CLOSED_CARD_READER, CARD_READER_DOWN),
    ID_READER: (Availability.CLOSED_ID_READER, ID_READER_DOWN),
    CAMERA: (Availability.CLOSED_CAMERA, CAMERA_DOWN),
}
CHECK_ORDER = (PRINTER, CARD_READER, ID_READER, CAMERA)  # the first fault found is the one said
BROKEN_STATES = frozenset({DeviceState.NO_DEVICE, DeviceState.OFFLINE, DeviceState.HARDWARE_ERROR})


@dataclass(frozen=True)
class ServiceAvailability:
    service: str
    availability: Availability
    reason: Bilingual | None = None  # None: open with nothing to say

    @property
    def open(self) -> bool:
        return self.availability.open

    def to_dict(self) -> dict:
        return {
            "service": self.service,
            "availability": str(self.availability),
            "reason": {"zh": self.reason.zh, "en": self.reason.en} if self.reason else None,
        }


def device_works(status: DeviceStatus | None) -> bool:
    """False only for a fault that was seen: gone, offline, broken; for the printer also
    paper out or jammed and the cover open (it refuses to print then)."""
    if status is None:
        return True
    if status.state in BROKEN_STATES:
        return False
    if status.device is DeviceKind.PRINTER:
        return refusal(status) is None and status.supplies.get("paper") is not SupplyState.JAMMED
    return True


def device_fault(kind: DeviceKind, status: DeviceStatus | None) -> tuple[Availability, Bilingual] | None:
    if device_works(status):
        return None
    if kind is PRINTER and status.supplies.get("paper") is SupplyState.OUT:
        return Availability.CLOSED_PRINTER, PAPER_OUT
    return DEVICE_CLOSES[kind]


def availability_of(
    needs: Needs,
    statuses: Mapping[DeviceKind, DeviceStatus],
    centre: CentreReach,
    switch: SwitchReading,
    clock_wrong: bool = False,
) -> tuple[Availability, Bilingual | None]:
    """One service's availability and the reason residents are told (`clock_wrong`: the
    service dates something and the clock is behind the software's build day)."""
    if switch.out_of_service:
        return Availability.OUT_OF_SERVICE, switch.words
    if clock_wrong:
        return Availability.CLOSED_CLOCK, CLOCK_WRONG
    for kind in CHECK_ORDER:
        if kind in needs.devices and (fault := device_fault(kind, statuses.get(kind))) is not None:
            return fault
    if needs.either and not any(device_works(statuses.get(kind)) for kind in needs.either):
        return Availability.CLOSED_READERS, READERS_DOWN
    if centre is CentreReach.UNREACHABLE:
        if needs.centre is CentreUse.LIVE:
            return Availability.CLOSED_CENTRE, CENTRE_NEEDED
        if needs.centre is CentreUse.QUEUED:
            return Availability.OPEN_QUEUED, QUEUED
        if needs.centre is CentreUse.CACHED:
            return Availability.OPEN_CACHED, CACHED
    return Availability.OPEN, None


def service_availability(
    statuses: Mapping[DeviceKind, DeviceStatus],
    centre: CentreReach,
    switch: SwitchReading,
    services: Iterable[str] | None = None,
    clock_behind: bool = False,
) -> dict[str, ServiceAvailability]:
    """Every service (or those named) with its availability and reason."""
    codes = [s.code for s in SERVICES] if services is None else list(services)
    table = {}
    for code in codes:
        clock_wrong = clock_behind and code in DATES_A_VOUCHER_OR_RECORD
        availability, reason = availability_of(needs_of(code), statuses, centre, switch, clock_wrong)
        table[code] = ServiceAvailability(code, availability, reason)
    return table


@dataclass(frozen=True)
class KioskAvailability:
    """What the attract and home screens show: each service, and the kiosk as a whole."""

    services: Mapping[str, ServiceAvailability]
    switch: SwitchReading
    centre: CentreReach
    clock_behind: bool = False  # the clock is before the software's build day (clock_floor)

    def of(self, service: str) -> ServiceAvailability:
        """A service not in the table (not offered here) counts as open: the screens never show it."""
        return self.services.get(service) or ServiceAvailability(service, Availability.OPEN)

    @property
    def out_of_service(self) -> bool:
        return self.switch.out_of_service

    def every_closed(self, at_kiosk: Iterable[str]) -> bool:
        """True when none of the services done at this kiosk (`at_kiosk`) is open."""
        codes = list(at_kiosk)
        return bool(codes) and not any(self.of(code).open for code in codes)

    def closed_notice(self, at_kiosk: Iterable[str]) -> Bilingual | None:
        """What the attract screen says instead of "touch to start"; None while something is open."""
        if self.out_of_service:
            words = self.switch.words
            return Bilingual(f"{words.zh}。\n{GO_ELSEWHERE.zh}", f"{words.en}.\n{GO_ELSEWHERE.en}")
        if self.every_closed(at_kiosk):
            return Bilingual(f"{EVERYTHING_CLOSED.zh}。\n{GO_ELSEWHERE.zh}", f"{EVERYTHING_CLOSED.en}.\n{GO_ELSEWHERE.en}")
        return None

    def to_dict(self) -> dict:
        return {
            "out_of_service": self.switch.change.to_dict() if self.switch.change else None,
            "switch_problem": self.switch.problem or None,
            "centre": str(self.centre),
            "clock_behind": self.clock_behind,
            "services": {code: s.to_dict() for code, s in self.services.items()},
        }


def kiosk_availability(
    statuses: Mapping[DeviceKind, DeviceStatus],
    centre: CentreReach,
    switch: SwitchReading,
    services: Iterable[str] | None = None,
    clock_behind: bool = False,
) -> KioskAvailability:
    return KioskAvailability(service_availability(statuses, centre, switch, services, clock_behind), switch, centre, clock_behind)


def group_availability(kiosk: KioskAvailability, group: str, services: Iterable[str]) -> ServiceAvailability:
    """A home tile stands for a group of services: closed when every one of them is (with the
    first one's reason); open with a note when all the open ones say the same (e.g. queued);
    else plainly open, and the group's own screen marks the closed ones."""
    members = [kiosk.of(code) for code in services]
    open_ones = [s for s in members if s.open]
    if not members:
        return ServiceAvailability(group, Availability.OPEN)
    if not open_ones:
        return ServiceAvailability(group, members[0].availability, members[0].reason)
    if len({s.availability for s in open_ones}) == 1:
        return ServiceAvailability(group, open_ones[0].availability, open_ones[0].reason)
    return ServiceAvailability(group, Availability.OPEN)
