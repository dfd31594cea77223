"""Degraded service in the real app (`python -m kiosk.ui.scripted`): the home screen marks what
a fault closes and keeps the rest open; the attract screen says when the kiosk takes nobody.

The faults are the simulators' own (the printer simulator runs out of paper, the centre
simulator stops) or the real PC/SC stack's (the configured card reader is not there), and
the out-of-service switch is the file `kiosk service out` writes.
"""

from __future__ import annotations

from hwsim.control import send
from kiosk.availability.out_of_service import OutOfServiceReason, OutOfServiceSwitch
from kiosk.availability.rules import Availability, CentreReach
from kiosk.domain.services import GROUPS, SERVICES
from kiosk.screens.home import EmployerLink
from kiosk.ui.resident import ScriptedResident
from tests.ui.scenarios import snapshot, start

MONITOR_S = 20.0  # the monitor asks devices every 3 s and the centre every 10 s


def tiles(r: ScriptedResident) -> dict:
    """Each home tile: greyed or not, and what it says about it."""
    home = r.app.navigator.screen("home")
    seen = {}
    for group in GROUPS:
        try:
            tile = home.tile(group.code)
        except KeyError:
            continue
        if isinstance(tile, EmployerLink):  # a link, not a tile: the reason follows its name
            reason = tile.availability.reason.get(r.app.lang) if tile.availability and tile.availability.reason else None
            assert reason is None or reason in tile.phrase.get(r.app.lang)
        else:
            label = tile.ids.availability
            reason = label.current_phrase if label.opacity else None  # the words, before line breaking
        seen[group.code] = {
            "closed": tile.closed,
            "availability": str(tile.availability.availability) if tile.availability else None,
            "reason": reason,
        }
    return seen


def state(r: ScriptedResident, service: str) -> Availability:
    return r.app.availability.of(service).availability


async def touch_closed_tile(r: ScriptedResident, group: str, key: str) -> None:
    """Touch a greyed tile: the notice says why, nothing starts; OK closes it."""
    notice = r.app.availability_host.notice
    await r.tap(r.app.navigator.screen("home").tile(group))
    await r.wait_until(lambda: notice.parent is not None, 5, "the closed-service notice")
    await r.frames(3)
    r.record(f"{key}.notice", {"texts": [w.current_phrase for w in notice.walk() if getattr(w, "phrase", None)], "screen": r.screen_name, "flow": r.app.flows.running})
    await r.screenshot(f"{key}-notice")
    await r.tap(notice.ids.ok)
    await r.wait_until(lambda: notice.parent is None, 5, "the notice to close")
    r.record(f"{key}.after_ok", r.screen_name)


async def home_with_services_closed(r: ScriptedResident, key: str, shot: str, group: str) -> None:
    """Home once a fault shows: each tile and each service as the resident sees it, a
    screenshot, then a touch on the closed tile `group`."""
    await r.frames(3)
    r.record(f"{key}.tiles", tiles(r))
    r.record(f"{key}.services", {s.code: str(state(r, s.code)) for s in SERVICES if r.app.offers(s.code)})
    await r.screenshot(shot)
    await touch_closed_tile(r, group, key)


async def degraded_home(r: ScriptedResident) -> None:
    """Card reader not there from the start; then the printer runs out of paper; then the centre stops."""
    await start(r)
    await r.wait_until(lambda: r.app.availability.centre is CentreReach.REACHABLE, MONITOR_S, "the first availability round")
    await r.wait_until(lambda: state(r, "pin_change") is Availability.CLOSED_CARD_READER, MONITOR_S, "the card services closed")
    await home_with_services_closed(r, "card_reader", "home-degraded-card-reader", "activate")

    send("printer", "paper_out")
    await r.wait_until(lambda: state(r, "apply") is Availability.CLOSED_PRINTER, MONITOR_S, "the printing services closed")
    await r.frames(3)
    r.record("paper_out.tiles", tiles(r))
    await r.screenshot("home-degraded-printer")
    await touch_closed_tile(r, "new_card", "paper_out")
    r.record("paper_out.english", None)
    await r.tap(r.app.root.ids.top_bar.ids.language)
    await r.frames(3)
    r.record("paper_out.tiles_en", tiles(r))
    await r.screenshot("home-degraded-printer-en")
    await r.tap(r.app.root.ids.top_bar.ids.language)

    send("printer", "load_paper")
    send("centre", "down")
    await r.wait_until(lambda: state(r, "apply") is Availability.OPEN_QUEUED, MONITOR_S, "queued wording with the centre down")
    await r.frames(3)
    r.record("centre_down.tiles", tiles(r))
    await r.screenshot("home-degraded-centre")
    send("centre", "up")
    await r.wait_until(lambda: state(r, "apply") is Availability.OPEN, MONITOR_S, "the centre back")
    r.record("centre_back.tiles", tiles(r))
    r.record("screen", snapshot(r)["screen"])


async def out_of_service(r: ScriptedResident) -> None:
    """Staff take the kiosk out of service (the file `kiosk service out` writes); then back in."""
    switch = OutOfServiceSwitch(r.app.terminal.data_dir)
    switch.take_out(OutOfServiceReason.MAINTENANCE, "S0042")
    await r.wait_until(lambda: r.app.closed_notice is not None, MONITOR_S, "the attract screen to say so")
    await r.frames(3)
    r.record("out.attract", snapshot(r))
    await r.screenshot("attract-out-of-service")
    await r.tap(r.screen)
    await r.frames(10)
    r.record("out.after_touch", r.screen_name)
    switch.put_in("S0042")
    await r.wait_until(lambda: r.app.closed_notice is None, MONITOR_S, "back in service")
    await r.frames(3)
    r.record("in.attract", snapshot(r))
    await start(r)
    r.record("in.after_touch", r.screen_name)


async def every_service_closed(r: ScriptedResident) -> None:
    """No device answers at all: every service this kiosk does is closed, and the attract screen says so."""
    await r.wait_until(lambda: r.app.closed_notice is not None, MONITOR_S, "every service closed")
    await r.frames(3)
    r.record("attract", snapshot(r))
    await r.screenshot("attract-everything-closed")
    await r.tap(r.screen)
    await r.frames(10)
    r.record("after_touch", r.screen_name)


async def paper_runs_out_mid_voucher(r: ScriptedResident) -> None:
    """An application whose voucher meets the end of the paper: the flow's own printer notice,
    the resident goes to the staff, and home shows the printing services closed at once."""
    from kiosk.ui.demo_journey import MYSELF, SUBMIT_S, journey_steps, stroke

    await start(r)
    await r.wait_until(lambda: r.app.availability.centre is CentreReach.REACHABLE, MONITOR_S, "the first availability round")
    r.record("before.apply", str(state(r, "apply")))
    steps = journey_steps(MYSELF)
    sign = next(i for i, step in enumerate(steps) if step.title.startswith("sign and submit"))
    for step in steps[:sign]:
        r.step(step.title)
        await step.action(r)
    send("printer", "paper_low", mm=15)  # a voucher is longer: it stops part-way
    r.record("during.apply", str(state(r, "apply")))
    await r.wait_for_screen("sign", 10)
    await stroke(r, r.screen.ids.pad, [(0.1, 0.3), (0.3, 0.7), (0.5, 0.3), (0.8, 0.6)])
    await r.tap(r.screen.ids.confirm)
    await r.wait_until(lambda: r.screen_name == "notice", SUBMIT_S, "the printer's notice")
    await r.frames(3)
    r.record("printer_notice", snapshot(r)["texts"])
    await r.tap(r.screen.button("ok"))  # 「好的，我去找工作人员」
    await r.wait_for_screen("done", 10)
    await r.tap(r.screen.ids.ok)
    send("id-reader", "remove")
    await r.wait_for_screen("home", 10)
    took = await r.wait_until(lambda: state(r, "apply") is Availability.CLOSED_PRINTER, MONITOR_S, "home to show the paper out")
    await r.frames(3)
    r.record("after.seconds", round(took, 1))
    r.record("after.tiles", tiles(r))
    await r.screenshot("home-after-paper-ran-out")


async def clock_behind(r: ScriptedResident) -> None:
    """The terminal's clock is before the software's build day (a dead RTC battery, no time
    server yet): what would date a voucher or a record closes with the reason; what dates
    nothing (a status query) stays open."""
    await start(r)
    await r.wait_until(lambda: r.app.availability.clock_behind, MONITOR_S, "the clock floor")
    await r.wait_until(lambda: state(r, "apply") is Availability.CLOSED_CLOCK, MONITOR_S, "the dating services closed")
    await home_with_services_closed(r, "clock", "home-clock-behind", "new_card")
