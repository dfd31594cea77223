"""Who and what this terminal is, as staff see it in maintenance mode: its identity, the
software version, the booted slot, the certificate's expiry and its clock, and whether that
clock is behind the day the software was built (kiosk.availability.clock_floor: the services
that number a voucher or date a record are closed then, and staff must see why).

The slot is the one RAUC booted (`rauc.slot=A` on the kernel command line; docs/deploy.md);
a terminal not booted by RAUC (a developer's machine) says "dev". The certificate is the
enrolment's (kiosk.enrolment); a terminal without one says so rather than failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from kiosk import __version__
from kiosk.availability.clock_floor import days_behind
from kiosk.config import Config
from kiosk.enrolment import EnrolmentError, TerminalTls

KERNEL_COMMAND_LINE = Path("/proc/cmdline")
DEV_SLOT = "dev"


@dataclass(frozen=True)
class TerminalFacts:
    terminal_id: str
    outlet_id: str
    version: str
    slot: str
    certificate_expires: datetime | None  # None: not enrolled, or the certificate is unreadable
    clock: datetime
    not_before: date | None = None  # the software's build day (config.not_before)

    @property
    def clock_days_behind(self) -> int:
        """How many days the clock is behind the build day; 0 when it is right (or none is known)."""
        return days_behind(self.clock.date(), self.not_before)

    def certificate_days_left(self) -> int | None:
        if self.certificate_expires is None:
            return None
        return (self.certificate_expires - self.clock.astimezone(timezone.utc)).days


def booted_slot(command_line: Path = KERNEL_COMMAND_LINE) -> str:
    """RAUC's `rauc.slot=` from the kernel command line, or "dev" without one."""
    try:
        words = command_line.read_text(encoding="ascii", errors="replace").split()
    except OSError:
        return DEV_SLOT
    for word in words:
        key, _, value = word.partition("=")
        if key == "rauc.slot" and value:
            return value
    return DEV_SLOT


def certificate_expiry(config: Config) -> datetime | None:
    if config.tls_dir is None:
        return None
    try:
        return TerminalTls(config.tls_dir).expires()
    except EnrolmentError:
        return None


def terminal_facts(config: Config, now: datetime, command_line: Path = KERNEL_COMMAND_LINE) -> TerminalFacts:
    return TerminalFacts(
        terminal_id=config.terminal_id,
        outlet_id=config.outlet_id,
        version=__version__,
        slot=booted_slot(command_line),
        certificate_expires=certificate_expiry(config),
        clock=now.astimezone(),
        not_before=config.not_before,
    )
