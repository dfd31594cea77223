"""The photo step when the camera shows nothing: its own screen; a child's photo may be left out."""

from __future__ import annotations

from hwsim.control import send
from kiosk.flows import apply_card
from kiosk.flows.steps import BACK, HOME, RETRY, SKIP
from tests.flows.conftest import run_flow
from tests.flows.journeys import FINISH, place, the_rest, then, with_card


def test_a_camera_that_shows_nothing_gets_its_own_screen_and_a_retry_takes_the_photo(rig, services):
    def unplug():
        place("resident")
        send("camera", "unplug")

    def plug_back(_step):
        send("camera", "plug")
        return RETRY

    script = [("choose", "self"), ("choose", then(unplug, "reader")), ("notice", plug_back), ("photo", HOME)]
    port = run_flow(services, script)
    [camera_notice] = port.asked("notice")
    assert camera_notice.params["title"] == apply_card.CAMERA_GONE
    assert [o.code for o in camera_notice.params["actions"]] == [RETRY, BACK]  # an adult cannot skip the photo


def test_a_childs_photo_can_be_left_out_when_the_camera_shows_nothing(rig, services):
    send("camera", "unplug")
    script = [("choose", then(lambda: place("mother"), "minor")), ("choose", with_card("minor")), ("notice", SKIP),
              *the_rest(photo=False)[1:], *FINISH]  # fmt: skip
    port = run_flow(services, script)
    assert port.asked("photo") == [] and port.last("done")
