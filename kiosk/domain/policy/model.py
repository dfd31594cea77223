"""What a region policy says, as frozen values: services and where they are done, time
limits, outlets, banks, fees, contacts, the batch package and the phased schedule.

Nothing here reads a file: the loader builds these from a region's TOML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from kiosk.domain import services as service_catalogue
from kiosk.domain.policy.phases import OPEN_TO_EVERYONE, PhaseDecision, PhasedSchedule
from kiosk.domain.workdays import CalendarOverrides, DayCount, TimeUnit, WorkingCalendar
from kiosk.i18n import Bilingual


class ServicePlace(StrEnum):
    """Where a service is done: at this kiosk, or the kiosk prints a guidance slip for a window."""

    KIOSK = "kiosk"
    WINDOW = "window"


class OutletKind(StrEnum):
    SOCIAL_SECURITY = "social_security"  # the social security centre's own service hall
    BANK = "bank"  # a partner bank's branch; the card is made centrally
    BANK_INSTANT = "bank_instant"  # a partner bank's branch that makes the card on the spot


EVERY_KIND = "*"  # in a service's time limits: the limit at any outlet kind not named


class ImageKind(StrEnum):
    """The images an employer's batch package holds for each person."""

    ID_FRONT = "id_front"
    ID_BACK = "id_back"
    ID_BOTH = "id_both"
    PHOTO = "photo"
    HOUSEHOLD_OWN = "household_own"  # minors: the household register's own page
    HOUSEHOLD_CHANGE = "household_change"  # minors: its change page (增减页)


@dataclass(frozen=True)
class TimeLimit:
    amount: int
    unit: TimeUnit
    note: Bilingual
    name: str = ""
    source: str = ""

    def due(self, start: datetime, calendar: WorkingCalendar) -> DayCount:
        return calendar.due(start, self.amount, self.unit)


@dataclass(frozen=True)
class ServiceRule:
    code: str
    where: ServicePlace
    guidance: Bilingual  # where to go and what to bring
    # OutletKind (or EVERY_KIND) -> time limit name
    time_limits: Mapping[OutletKind | str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def at_kiosk(self) -> bool:
        return self.where is ServicePlace.KIOSK

    @property
    def title(self) -> Bilingual:
        return service_catalogue.service(self.code).title

    def time_limit_name(self, outlet_kind: OutletKind | None = None) -> str | None:
        if outlet_kind in self.time_limits:
            return self.time_limits[outlet_kind]
        return self.time_limits.get(EVERY_KIND)


@dataclass(frozen=True)
class Bank:
    code: str
    name: Bilingual
    aliases: tuple[str, ...] = ()  # the long and short forms people write (an employer's sheet)


@dataclass(frozen=True)
class PickupMethod:
    code: str
    name: Bilingual
    note: Bilingual | None = None


@dataclass(frozen=True)
class Outlet:
    id: str
    name: str
    address: str
    phone: str
    kind: OutletKind
    bank: str | None = None  # partner bank code for bank outlets
    name_en: str | None = None  # its name in English; without one, English shows the region's name beside it

    def title(self, region: Bilingual) -> Bilingual:
        """The outlet's name in the resident's language: never Chinese alone on an English screen."""
        return Bilingual(self.name, self.name_en or f"{region.en}: {self.name}")


@dataclass(frozen=True)
class NamedNumber:
    number: str
    name: Bilingual

    def __str__(self) -> str:
        return self.number


@dataclass(frozen=True)
class Contacts:
    hotline: str
    centre_phone: str | None  # None where the seeds give no centre number (Beijing)
    other: Mapping[str, NamedNumber] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Fees:
    all_free: bool
    note: Bilingual
    upgrade_free_count: int | None = None  # upgrades to the 3rd generation that cost nothing
    upgrade_fee_yuan: Decimal | None = None  # None: the seeds do not say; the window tells

    def upgrade_is_free(self, previous_upgrades: int) -> bool:
        """Whether the next upgrade is free, given how many the person already had."""
        if self.all_free or self.upgrade_free_count is None:
            return self.all_free
        return previous_upgrades < self.upgrade_free_count


@dataclass(frozen=True)
class BatchRules:
    """An employer's batch package: sheet columns and how the images must be named."""

    documents: Bilingual
    sheet_columns: tuple[str, ...]
    id_front: str
    id_back: str
    id_both: str
    photo: str
    photo_width_px: int
    photo_height_px: int
    photo_format: str
    minor_documents: Bilingual
    household_own: str = "{id}-户口.jpg"  # a minor's household register, own page (kiosk/batch)
    household_change: str = "{id}-增减.jpg"  # its change page, where the register has one

    def image_name(self, kind: ImageKind | str, id_number: str) -> str:
        """The file name for `kind`, an ImageKind or its value."""
        try:
            kind = ImageKind(kind)
        except ValueError:
            raise ValueError(f"unknown image kind {kind!r}") from None
        return getattr(self, kind.value).format(id=id_number)


@dataclass(frozen=True)
class RegionPolicy:
    code: str
    name: Bilingual
    sources: tuple[str, ...]
    anti_fraud: Bilingual
    contacts: Contacts
    fees: Fees
    time_limits: Mapping[str, TimeLimit]
    services: Mapping[str, ServiceRule]  # in the file's order, which is the menu order
    banks: tuple[Bank, ...]
    pickup_methods: tuple[PickupMethod, ...]
    outlets: tuple[Outlet, ...]
    batch: BatchRules | None
    schedule: PhasedSchedule | None
    calendar: CalendarOverrides
    path: Path

    def service(self, code: str) -> ServiceRule:
        try:
            return self.services[code]
        except KeyError:
            raise KeyError(f"unknown service {code!r}; known: {', '.join(self.services)}") from None

    def kiosk_services(self) -> tuple[str, ...]:
        return tuple(code for code, rule in self.services.items() if rule.at_kiosk)

    def window_services(self) -> tuple[str, ...]:
        return tuple(code for code, rule in self.services.items() if not rule.at_kiosk)

    def time_limit(self, name: str) -> TimeLimit:
        try:
            return self.time_limits[name]
        except KeyError:
            raise KeyError(f"region {self.code} has no time limit {name!r}; known: {', '.join(self.time_limits)}") from None

    def time_limit_for(self, service: str, outlet_id: str | None = None) -> TimeLimit | None:
        """How long `service` takes when applied for at this outlet; None if it has no limit."""
        kind = self.outlet(outlet_id).kind if outlet_id else None
        name = self.service(service).time_limit_name(kind)
        return self.time_limits[name] if name else None

    def working_calendar(self) -> WorkingCalendar:
        return WorkingCalendar(self.calendar)

    def expected_completion(self, service: str, start: datetime, outlet_id: str | None = None) -> DayCount | None:
        """The day `service` applied for at `start` should be done; None if it has no time limit."""
        limit = self.time_limit_for(service, outlet_id)
        return limit.due(start, self.working_calendar()) if limit else None

    def outlet(self, outlet_id: str) -> Outlet:
        for outlet in self.outlets:
            if outlet.id == outlet_id:
                return outlet
        if not self.outlets:
            raise KeyError(f"region {self.code} lists no outlets; add {outlet_id!r} to {self.path}")
        raise KeyError(f"unknown outlet {outlet_id!r} in region {self.code} ({self.outlets[0].id}..{self.outlets[-1].id})")

    def bank(self, code: str) -> Bank:
        for bank in self.banks:
            if bank.code == code:
                return bank
        raise KeyError(f"unknown bank {code!r}; known: {', '.join(b.code for b in self.banks)}")

    def pickup_method(self, code: str) -> PickupMethod:
        for method in self.pickup_methods:
            if method.code == code:
                return method
        raise KeyError(f"unknown pickup method {code!r}; known: {', '.join(m.code for m in self.pickup_methods)}")

    def phase_for(self, district: str, group: str, day: date) -> PhaseDecision:
        """Whether someone of `group` insured in `district` may apply on `day`, and how.

        Regions without a phased schedule let everyone apply through every channel.
        """
        if self.schedule is None:
            return OPEN_TO_EVERYONE
        return self.schedule.phase_for(district, group, day)
