"""A device's status changes as audit events: `device-fault` when it needs someone, and
`device-recovered` when it is fine again.

Every driver keeps its status in a `StatusReporter` (status.py), which hands each change to
its `FaultWatch`. A fault is a status that asks staff or a technician to act (its recovery
hint), or a supply or cover problem (paper low, out or jammed, the cover open); a device that
is merely closed, busy, or waiting for the resident's own card or stick is not. A device that
flaps between the two while it is polled gives the same events again and again: the audit
trail folds those (events.toml marks both `fold`). The outbox's sync worker reports the card
centre the same way (`report("centre", …)`): unreachable, then answering again.
"""

from __future__ import annotations

import threading

from kiosk.audit import AuditEvent, record
from kiosk.drivers.status import CoverState, DeviceStatus, Recovery, SupplyState

NEEDS_SOMEONE = (Recovery.STAFF_CAN_CLEAR, Recovery.NEEDS_MAINTENANCE)
SUPPLY_PROBLEMS = {SupplyState.OUT: "out", SupplyState.JAMMED: "jammed", SupplyState.LOW: "low"}


def problem(status: DeviceStatus) -> str | None:
    """The fault a status shows, as the audit trail names it (a `state` value), or None."""
    for supply, state in sorted(status.supplies.items()):
        if state in SUPPLY_PROBLEMS:
            return f"{supply}_{SUPPLY_PROBLEMS[state]}"
    if status.cover is CoverState.OPEN:
        return "cover_open"
    if status.recovery in NEEDS_SOMEONE:
        return status.state.value
    return None


class FaultWatch:
    """Remembers the fault last recorded for one device, so only changes are recorded."""

    def __init__(self) -> None:
        self._fault: str | None = None
        self._lock = threading.Lock()

    def seen(self, status: DeviceStatus) -> None:
        self.report(status.device.value, problem(status), status.state.value)

    def report(self, device: str, fault: str | None, state_when_fine: str) -> None:
        """`fault` (a `state` value) or None when the device is fine, in `state_when_fine`."""
        with self._lock:
            before, self._fault = self._fault, fault
        if fault == before:
            return
        if fault is not None:
            record(AuditEvent.DEVICE_FAULT, device=device, state=fault)
        else:
            record(AuditEvent.DEVICE_RECOVERED, device=device, state=state_when_fine)
