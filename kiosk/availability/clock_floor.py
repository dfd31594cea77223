"""The clock floor in service terms: while the terminal's clock is behind the day its software
was built, the services that number a voucher or date a record are closed.

kiosk.config.clock says when the clock cannot be trusted, and the serial counter refuses a
voucher serial then; but a resident would learn that only at the very end, after the ID card,
the photo and the forms. So the availability monitor asks the floor every round: those
services close at once with a reason staff can act on, and open again by themselves the round
after the time server (systemd-timesyncd) or a technician sets the clock. Each change goes to
the audit trail (`clock-behind`, `clock-set`) and the log.
"""

from __future__ import annotations

import logging
import threading
from datetime import date
from typing import Callable

from kiosk.audit import AuditEvent, record
from kiosk.config.clock import clock_problem

log = logging.getLogger(__name__)


class ClockFloor:
    """Whether today (as the clock says) is before `not_before`, the software's build day;
    never behind without a build day (a developer's machine, a config without build_info)."""

    def __init__(self, not_before: date | None, today: Callable[[], date] = date.today) -> None:
        self.not_before = not_before
        self._today = today
        self._behind = False  # as last recorded: a clock that is fine from the start records nothing
        self._lock = threading.Lock()

    def behind(self) -> bool:
        """Asked every round: the clock now, with a change recorded in the audit trail."""
        today = self._today()
        days = days_behind(today, self.not_before)
        now = days > 0
        with self._lock:
            was, self._behind = self._behind, now
        if now and not was:
            log.warning("clock floor: %s; services that number a voucher or date a record are closed",
                        clock_problem(today, self.not_before))  # fmt: skip
            record(AuditEvent.CLOCK_BEHIND, days=days)
        elif was and not now:
            log.info("clock floor: the clock says %s, not before the build day %s: those services are open again", today, self.not_before)
            record(AuditEvent.CLOCK_SET)
        return now


def days_behind(today: date, not_before: date | None) -> int:
    """How many days `today` is before the build day; 0 when it is not (or there is none)."""
    return 0 if not_before is None else max(0, (not_before - today).days)
