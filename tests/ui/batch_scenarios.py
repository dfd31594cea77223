"""批量新办 inside the real app (`python -m kiosk.ui.scripted`), with real touches.

The handler opens the service from the home screen's batch tile; a package made here (tests/
batch/packages.py: two good people and one with a wrong phone) goes into the drive simulator
as a real FAT image (`kiosk sim ctl usb-drive insert path=…`); the kiosk reads it, shows the
problem, writes the marked-up sheet back, and the handler prints the slip, goes on, shows an
ID card, confirms the employer, photographs the letter and submits the two. Then the same
package again, in English: nobody is sent twice. Every step is shot (card-batch-NN-<step>.png).
"""

from __future__ import annotations

from hwsim.control import send
from kiosk.flows import employer_batch
from kiosk.flows.steps import CONFIRM
from kiosk.ui.demo_journey import keep_voucher, moved_on, place_card, signature
from kiosk.ui.resident import ScriptedResident
from tests.batch.packages import adult, build_package
from tests.ui.card_scenarios import CENTRE_S, Journey, asked_for, choose, open_service, wait_for
from tests.ui.replace_scenarios import english

PEOPLE = [adult(1), adult(2), adult(3, phone="12345")]
HANDLER = "resident"


async def tap_action(r: ScriptedResident, code: str, what: str, timeout_s: float = CENTRE_S) -> None:
    before = signature(r)
    await r.tap(r.screen.button(code))
    await moved_on(r, before, what, timeout_s)


async def visit(r: ScriptedResident, key: str, stick) -> None:
    j = Journey(r, key)
    await open_service(r, "batch", "batch_new")
    await asked_for(r, "usb_drive")
    await j.shot("insert-drive")
    send("usb-drive", "insert", path=str(stick))
    await wait_for(r, "batch_problems", 60)
    await j.shot("problems")
    r.record(f"{key}.problems_shown", r.screen.shown_groups())
    r.record(f"{key}.drive_files", send("usb-drive", "files"))
    if key == "first":
        await r.tap(r.screen.button(employer_batch.PRINT_SLIP))
        await r.wait_until(lambda: r.screen_name == "batch_problems" and r.screen.button(employer_batch.SUBMIT_PASSED), CENTRE_S, "the slip printed")
        await r.frames(3)
    await tap_action(r, employer_batch.SUBMIT_PASSED, "the handler's identification")
    await wait_for(r, "choose")
    await j.shot("how-identify")
    await choose(r, employer_batch.BY_ID_CARD, "the request for the handler's ID card")
    await place_card(HANDLER)(r)
    await wait_for(r, "choose")
    await j.shot("employer")
    await choose(r, employer_batch.THIS_EMPLOYER, "the employer's letter")
    send("camera", "scene", name="letter")
    await wait_for(r, "document_photo")
    screen = r.screen
    await r.wait_until(lambda: screen.has_picture, 20, "the camera's picture")
    await j.shot("letter")
    before = signature(r)
    await r.tap(screen.ids.take)
    await moved_on(r, before, "the choice of whom to submit")
    send("camera", "scene", name="white")
    await wait_for(r, "choose")
    await j.shot("submit")
    await choose(r, CONFIRM, "keeping the batch")
    await wait_for(r, "done", 60)
    await j.shot("done")
    await keep_voucher(key)(r)
    j.record()
    r.record(f"{key}.done", r.visible_text())
    await r.tap(r.screen.ids.ok)
    send("id-reader", "remove")
    send("usb-drive", "pull")
    await r.wait_for_screen("home", 10)
    r.record(f"{key}.session_fields", r.app.session.keys())


async def batch_twice(r: ScriptedResident) -> None:
    """The package submitted, then the same package again (in English)."""
    stick = r.out_dir / "stick"
    build_package(stick / "报盘", PEOPLE)
    await visit(r, "first", stick)
    await english(r)
    await visit(r, "again", stick)
    r.record("outbox", [(str(i.kind), str(i.state)) for i in r.app.services.outbox.items()])
