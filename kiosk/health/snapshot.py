"""The terminal's health at one moment, made only of enums, counts and times.

Nothing in a snapshot can hold a person: device states come from the closed sets of
kiosk.drivers.status (a status's free-text `detail` is left out), the outbox is counted by
state and kind, journeys by service code, and the rest are times and the build's version. The
exporter turns it into metrics at each scrape and the heartbeat sends `to_dict()` as it is.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from kiosk.centre.contact_clock import LAST_CENTRE_ANSWER, ContactClock
from kiosk.config import Config
from kiosk.drivers.status import CoverState, DeviceKind, DeviceState, DeviceStatus, SupplyState
from kiosk.health.journeys import JourneyCounter, JourneyEvent
from kiosk.health.software import SoftwareBuild, running_build
from kiosk.offline.delivery_tally import DELIVERIES, DeliveryTally
from kiosk.offline.depth import OutboxDepth, OutboxDepthReader
from kiosk.offline.item_states import ItemState
from kiosk.offline.items import Kind

PAPER = "paper"  # the printer's supply that alerts watch
OTHER = "other"


def kind_label(value: str) -> str:
    """An outbox kind as the snapshot names it: the enum's own value, or "other" for anything
    else the column might hold (a kind of newer software, say)."""
    return value if value in Kind._value2member_map_ else OTHER


@dataclass(frozen=True)
class DeviceHealth:
    device: DeviceKind
    state: DeviceState
    paper: SupplyState | None = None  # printers only
    cover: CoverState = CoverState.UNKNOWN

    @classmethod
    def of(cls, status: DeviceStatus) -> "DeviceHealth":
        paper = status.supplies.get(PAPER, SupplyState.UNKNOWN) if status.device is DeviceKind.PRINTER else None
        return cls(status.device, status.state, paper, status.cover)

    def to_dict(self) -> dict[str, str]:
        out = {"state": str(self.state), "cover": str(self.cover)}
        if self.paper is not None:
            out["paper"] = str(self.paper)
        return out


@dataclass(frozen=True)
class HealthSnapshot:
    terminal_id: str
    outlet_id: str
    taken_at: float  # the terminal's clock, Unix seconds: the centre and Prometheus compare it with theirs
    software: SoftwareBuild
    devices: tuple[DeviceHealth, ...]
    outbox: OutboxDepth
    deliveries: Mapping[tuple[str, ItemState], int]
    journeys: Mapping[tuple[str, JourneyEvent], int]
    certificate_expires_at: float | None  # None: not enrolled (a plain-HTTP simulator configuration)
    last_centre_contact_at: float | None

    @property
    def oldest_waiting_age_s(self) -> float | None:
        return self.outbox.oldest_waiting_age_s(self.taken_at)

    def journey_counts(self) -> dict[str, dict[str, int]]:
        """{service: {event: count}}."""
        out: dict[str, dict[str, int]] = {}
        for (service, event), n in sorted(self.journeys.items()):
            out.setdefault(service, {})[str(event)] = n
        return out

    def delivery_counts(self) -> dict[str, dict[str, int]]:
        """{outbox kind: {the state a delivery left its item in: count}}."""
        out: dict[str, dict[str, int]] = {}
        for (kind, result), n in sorted(self.deliveries.items()):
            by_result = out.setdefault(kind_label(kind), {})
            by_result[str(result)] = by_result.get(str(result), 0) + n
        return out

    def needing_staff(self) -> dict[str, int]:
        """{outbox kind: dead and rejected items}."""
        out: dict[str, int] = {}
        for kind, n in sorted(self.outbox.needing_staff_by_kind.items()):
            out[kind_label(kind)] = out.get(kind_label(kind), 0) + n
        return out

    def to_dict(self) -> dict:
        """The heartbeat's body (docs/centre-api.yaml, `Heartbeat`) and `kiosk metrics show --json`."""
        outbox = {
            "readable": self.outbox.readable,
            "items": {str(s): self.outbox.items.get(s, 0) for s in ItemState},
            "oldest_waiting_s": _rounded(self.oldest_waiting_age_s),
            "needing_staff_by_kind": self.needing_staff(),
            "staff_calls_waiting": self.outbox.staff_calls_waiting,
            "open_alerts": self.outbox.open_alerts,
        }
        return {
            "terminal_id": self.terminal_id,
            "outlet_id": self.outlet_id,
            "sent_at": iso(self.taken_at),
            "software": self.software.to_dict(),
            "devices": {str(d.device): d.to_dict() for d in self.devices},
            "outbox": outbox,
            "deliveries": self.delivery_counts(),
            "journeys": self.journey_counts(),
            "certificate_expires_at": None if self.certificate_expires_at is None else iso(self.certificate_expires_at),
            "last_centre_contact_at": None if self.last_centre_contact_at is None else iso(self.last_centre_contact_at),
        }


def iso(unix: float) -> str:
    return dt.datetime.fromtimestamp(unix, dt.timezone.utc).isoformat(timespec="seconds")


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 3)


def certificate_expiry(config: Config) -> float | None:
    """When the enrolment's client certificate stops being valid; None without a usable one."""
    if config.tls_dir is None:
        return None
    from kiosk.enrolment import EnrolmentError, TerminalTls

    try:
        return TerminalTls(config.tls_dir).expires().timestamp()
    except (EnrolmentError, OSError, ValueError):
        return None


class HealthSources:
    """Where a snapshot's parts come from; each is read at `take()`, none is copied ahead."""

    def __init__(
        self,
        config: Config,
        devices: Callable[[], Iterable[DeviceStatus]],
        *,
        journeys: JourneyCounter | None = None,
        deliveries: DeliveryTally = DELIVERIES,
        contact: ContactClock = LAST_CENTRE_ANSWER,
        software: SoftwareBuild | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        self.devices = devices
        self.outbox = OutboxDepthReader(config.data_dir)
        self.journeys = journeys or JourneyCounter()
        self.deliveries = deliveries
        self.contact = contact
        self.software = software or running_build()
        self.clock = clock
        self._certificate_expiry: tuple[float, float | None] | None = None  # (read at, value)

    def certificate_expires_at(self, now: float) -> float | None:
        """Read from the certificate file at most once a minute: a scrape should not parse X.509."""
        if self._certificate_expiry is None or now - self._certificate_expiry[0] >= 60:
            self._certificate_expiry = (now, certificate_expiry(self.config))
        return self._certificate_expiry[1]

    def take(self) -> HealthSnapshot:
        now = self.clock()
        return HealthSnapshot(
            terminal_id=self.config.terminal_id,
            outlet_id=self.config.outlet_id,
            taken_at=now,
            software=self.software,
            devices=tuple(DeviceHealth.of(s) for s in self.devices()),
            outbox=self.outbox.read(),
            deliveries=self.deliveries.counts(),
            journeys=self.journeys.counts(),
            certificate_expires_at=self.certificate_expires_at(now),
            last_centre_contact_at=self.contact.last,
        )

    def close(self) -> None:
        self.outbox.close()
