"""The result screen (kiosk/screens/done.*) with an ID card left on the reader
(tests/ui/test_done_screen.py).

The app's own ID reader is swapped for the in-process fake (kiosk/drivers/id_reader/fake.py)
so the script can lay a card on it and take it away; the screen polls it as it polls the real
one. The words are the apply flow's own (kiosk.flows.result, apply_card).
"""

from __future__ import annotations

from kiosk.drivers.id_reader.documents import parse_text
from kiosk.drivers.id_reader.fake import FakeIdReader
from kiosk.flows import result
from kiosk.flows.apply_card import DONE_BODY
from kiosk.flows.wording import fill
from kiosk.ui.resident import ScriptedResident
from tests.ui.scenarios import snapshot, start
from tests.ui.steps_scenarios import answer, ask, both_languages

SERIAL = "CS01-T09-20261203-0007"


def font_sizes(r: ScriptedResident) -> dict[str, float]:
    ids = r.screen.ids
    return {name: ids[name].font_size for name in ("heading", "next_action", "body", "card_left")}


async def done_with_card_left(r: ScriptedResident) -> None:
    from hwsim.id_reader.people import PEOPLE_FILE, load_people

    await start(r)
    await r.wait_until(lambda: r.app.services is not None, 30, "the kiosk's services")
    reader = FakeIdReader()
    r.app.services.id_reader = reader
    reader.place(parse_text(load_people(PEOPLE_FILE)["resident"].text_block()))

    finished, next_action = result.after_card_application("on_site")
    task = await ask(
        r, "done", title=result.title(finished), next_action=next_action,
        body=fill(DONE_BODY, serial=SERIAL), extra=(result.TAKE_ID_AND_VOUCHER,),
    )  # fmt: skip
    await r.wait_until(lambda: r.screen.card_left, 5, "the warning about the ID card")
    await r.frames(3)
    r.record("sizes", font_sizes(r))
    r.record("card_left", {**snapshot(r), "spoken": r.app.voice.last_text})
    r.record("done", await both_languages(r, "done-card-left"))
    reader.take_away()
    await r.wait_until(lambda: not r.screen.card_left, 5, "the warning to go")
    await r.frames(3)
    r.record("card_taken", snapshot(r))
    r.record("shots", await both_languages(r, "done"))
    await r.tap(r.screen.ids.ok)
    r.record("answer", await answer(r, task))
