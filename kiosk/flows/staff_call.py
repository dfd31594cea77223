"""呼叫工作人员: a resident asks for a person, from any screen, at any step.

Two ways reach the staff, and either is enough: the outlet's call light (a device beside the
kiosks, kiosk/drivers/staff_signal) and the card centre, which passes the call on to the
outlet's staff (docs/centre-api.yaml, callStaff). The call is kept in the outbox first, as urgent
as a loss report, so a centre that cannot be reached now gets it when it can; one
press is one call, however often it is sent. Nothing personal goes with it: the outlet, the
terminal, the screen and the service the resident was on, and when they pressed.

This runs off the UI thread (the light is a serial device, the centre a network call); what
the screen then says is the shell's (kiosk/ui/staff_call.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kiosk.audit import AuditEvent, record
from kiosk.flows.context import KioskServices
from kiosk.flows.record import idempotency_key
from kiosk.offline.items import Kind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StaffCall:
    """How a call went: `heard` when at least one way reached the staff."""

    light_on: bool  # the outlet's call light is on
    centre_has_it: bool  # the centre confirmed it; else it waits in the outbox
    phone: str  # the outlet's telephone, to show either way

    @property
    def heard(self) -> bool:
        return self.light_on or self.centre_has_it


def call_staff(services: KioskServices, *, screen: str, service: str | None = None) -> StaffCall:
    record(AuditEvent.STAFF_CALL, screen=screen, **({"service": service} if service else {}))
    light_on = _light(services)
    item = services.outbox.enqueue(Kind.STAFF_CALL, _call(services, screen, service), idempotency_key=idempotency_key(Kind.STAFF_CALL))
    centre_has_it = services.deliver_now(item.id)
    log.info("staff called from %s: light %s, centre %s", screen, "on" if light_on else "not lit",
             "confirmed" if centre_has_it else "not reached yet (outbox)")  # fmt: skip
    return StaffCall(light_on, centre_has_it, services.outlet.phone)


def end_call(services: KioskServices) -> None:
    """The resident left: the light goes out (staff may also switch it off at the tower)."""
    signal = services.staff_signal
    if signal is not None:
        signal.clear()


def _light(services: KioskServices) -> bool:
    signal = services.staff_signal
    if signal is None:
        return False
    done = signal.call()
    if not done.ok:
        log.warning("the staff-call light did not come on: %s", done.reason)
    return done.ok


def _call(services: KioskServices, screen: str, service: str | None) -> dict[str, str]:
    call = {
        "outlet_id": services.config.outlet_id,
        "terminal_id": services.config.terminal_id,
        "screen": screen,
        "called_at": services.now().astimezone().isoformat(timespec="seconds"),
    }
    if service:
        call["service"] = service
    return call

