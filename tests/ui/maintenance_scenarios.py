"""Maintenance mode inside the real app (`python -m kiosk.ui.scripted`), with real touches.

First a resident whose PIN is blocked asks for the guidance slip, and the printer, down to
its last few centimetres, runs out of paper in the middle of it; the home screen marks the
services that must print as closed (kiosk.availability). The resident walks away.
Then a member of staff touches 「工作人员」 on the attract screen, inserts the staff card and
types its PIN on the shuffled pad: maintenance mode shows the printer out of paper and the
outbox's dead item. The staff refill the roll (the printer simulator's load_paper), press
「已加纸」 and the test voucher prints; they retry the dead item, which reaches the centre
simulator, and leave. Every step is shot (card-maintenance-NN-<step>.png).
"""

from __future__ import annotations

from hwsim.control import send
from kiosk.availability.rules import Availability
from kiosk.flows.maintenance import Action
from kiosk.ui.demo_journey import moved_on, signature
from kiosk.ui.resident import ScriptedResident
from tests.ui.card_scenarios import Journey, answer_notice, enter_pin, insert_card, keep_print, open_service, wait_for
from tests.ui.degraded_scenarios import MONITOR_S, tiles

STAFF_PIN = "246810"  # hardware-sim/hwsim/card/profiles/staff.toml
LAST_CENTIMETRES_MM = 25  # less than any slip or voucher needs


def closed_for_paper(r: ScriptedResident) -> bool:
    return any(tile["availability"] == str(Availability.CLOSED_PRINTER) for tile in tiles(r).values())


async def tap_action(r: ScriptedResident, action: Action, what: str) -> None:
    await wait_for(r, "maintenance")
    before = signature(r)
    await r.tap(r.screen.button(str(action)))
    await moved_on(r, before, what)


async def slip_runs_out_of_paper(r: ScriptedResident, j: Journey) -> None:
    """A resident with a blocked PIN asks for the slip; the paper ends half-way through it."""
    send("printer", "paper_low", mm=LAST_CENTIMETRES_MM)
    await open_service(r, "pin", "pin_change")
    await insert_card(r, "pin-blocked")
    await wait_for(r, "notice")
    await answer_notice(r, "print")
    await wait_for(r, "notice")
    await j.shot("resident-paper-out")
    r.record("resident.paper_out_notice", r.visible_text())
    await answer_notice(r, "ok")
    await wait_for(r, "home")
    send("card", "remove")
    await r.wait_until(lambda: closed_for_paper(r), MONITOR_S, "home to mark printing services closed")
    await j.shot("home-printing-closed")
    r.record("home.tiles_paper_out", tiles(r))
    r.app.end_session("the resident walked away")  # as the idle timeout would
    await wait_for(r, "attract")


async def staff_sign_in(r: ScriptedResident, j: Journey) -> None:
    await j.shot("attract-staff-entry")
    before = signature(r)
    await r.tap(r.screen.ids.staff_entry)
    await moved_on(r, before, "the staff card request")
    await j.shot("insert-staff-card")
    await insert_card(r, "staff")
    await enter_pin(r, STAFF_PIN, j, "staff-pin")
    await wait_for(r, "maintenance")
    await j.shot("dashboard")
    r.record("dashboard.rows", r.screen.shown_rows())
    r.record("dashboard.actions", [b.option.code for b in reversed(r.screen.ids.actions.children)])


async def refill(r: ScriptedResident, j: Journey) -> None:
    send("printer", "load_paper")
    await tap_action(r, Action.REFILLED, "the printer asked again")
    await wait_for(r, "notice")
    await j.shot("test-voucher-printed")
    r.record("refill.notice", r.visible_text())
    keep_print(r, "maintenance-test-voucher")
    await answer_notice(r, "ok")


async def retry_dead_item(r: ScriptedResident, j: Journey) -> None:
    await tap_action(r, Action.RETRY_ITEMS, "the items needing staff")
    await wait_for(r, "choose")
    await j.shot("dead-items")
    r.record("dead.options", r.visible_text())
    [button] = list(r.screen.ids.options.children)
    before = signature(r)
    await r.tap(button)
    await moved_on(r, before, "the retried item")
    await wait_for(r, "notice")
    await j.shot("retried")
    r.record("retry.notice", r.visible_text())
    await answer_notice(r, "ok")
    await wait_for(r, "maintenance")
    await j.shot("dashboard-after")
    r.record("dashboard_after.rows", r.screen.shown_rows())


async def maintenance_journey(r: ScriptedResident) -> None:
    j = Journey(r, "maintenance")
    await slip_runs_out_of_paper(r, j)
    await staff_sign_in(r, j)
    await refill(r, j)
    await retry_dead_item(r, j)
    await tap_action(r, Action.LEAVE, "leaving maintenance")
    await wait_for(r, "attract")
    r.record("left_to", r.screen_name)
    await r.wait_until(lambda: not closed_for_paper(r), MONITOR_S, "printing services open again")
    r.record("home.tiles_after", tiles(r))
    send("card", "remove")
    j.record()
