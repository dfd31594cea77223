"""密码修改: the holder changes the card's PIN on the card itself (seed 003 section 5).

Only the holder may (5.1: 密码修改只允许本人办理), and the old PIN is what proves it: the card
checks it first (a wrong one counts the tries down; a blocked one goes to the window), then
the new PIN is chosen twice, easy ones refused, and CHANGE PIN does it. No centre is needed;
a record that the PIN was changed here (no PIN in it) goes to the outbox for the centre.
"""

from __future__ import annotations

from kiosk.flows.card_in_reader import TAKE_CARD_BACK, insert_card
from kiosk.flows.pin_entry import KEEP_SECRET, change_pin_on_card, choose_new_pin, pin_refused, record_pin_change, verified_pin
from kiosk.flows.port import FlowPort
from kiosk.flows import card_stages as at
from kiosk.flows.plan import at_stage
from kiosk.i18n import bi

OLD_PIN = bi("请输入原来的密码", "Enter your current PIN")
CHANGED = bi("密码已修改", "Your PIN is changed")
CHANGED_BODY = bi("下次请用新密码。", "Use the new PIN from now on.")


PLAN = (at.CARD, at.OLD_PIN, at.NEW_PIN)  # the step strip (kiosk.flows.plan)


async def run(port: FlowPort) -> None:
    at_stage(port, PLAN, at.CARD)
    card = await insert_card(port)
    if isinstance(card, str):
        return
    at_stage(port, PLAN, at.OLD_PIN)
    old = await verified_pin(port, keep=True, title=OLD_PIN)
    if isinstance(old, str):
        return
    with old:
        at_stage(port, PLAN, at.NEW_PIN)
        new = await choose_new_pin(port, card, old)
        if isinstance(new, str):
            return
        at_stage(port, PLAN, None)
        done = await change_pin_on_card(port, old, new)  # wipes both
    if not done.ok:
        await pin_refused(port, done)
        return
    await record_pin_change(port, card)
    await port.ask("done", title=CHANGED, body=CHANGED_BODY, extra=(KEEP_SECRET, TAKE_CARD_BACK))
