"""The identification step on the in-process fakes: no simulator, no pty, no HTTP.

The same answers the rig-based tests in test_identify.py check, on FakeIdReader (and the
other fakes beside it), to show a flow runs on the device interfaces alone.
"""

from __future__ import annotations

import dataclasses

import pytest

from hwsim.id_reader.people import Person
from kiosk.config import load_config
from kiosk.domain.application import WRONG_CARD
from kiosk.drivers.camera.fake import FakeCamera
from kiosk.drivers.factory import Devices, build_card_reader
from kiosk.drivers.id_reader.documents import parse_text
from kiosk.drivers.id_reader.fake import FakeIdReader
from kiosk.drivers.printer.fake import FakePrinter
from kiosk.flows import identify
from kiosk.flows.context import KioskServices
from kiosk.flows.steps import BACK, HOME
from tests.flows import journeys
from tests.flows.conftest import FAST, run_flow
from tests.flows.journeys import then

PEOPLE = journeys.people()
QUICK = dataclasses.replace(FAST, card_wait_s=0.3, card_poll_s=0.02)


@pytest.fixture
def id_reader():
    return FakeIdReader()


@pytest.fixture
def services(id_reader):
    devices = Devices(id_reader, FakePrinter(), build_card_reader("pcsc://", None), FakeCamera)
    built = KioskServices.build(load_config(), timeouts=QUICK, devices=devices)
    yield built
    built.close()


def card_of(person: Person):
    return parse_text(person.text_block())


def notices(port) -> list[tuple]:
    return [(s.params["title"], s.params["body"]) for s in port.asked("notice")]


def test_a_childs_card_where_an_adult_applies_is_the_wrong_card(services, id_reader):
    script = [("choose", "self"), ("choose", then(lambda: id_reader.place(card_of(PEOPLE["minor"])), "reader")),
              ("notice", HOME)]  # fmt: skip
    port = run_flow(services, script)
    assert notices(port) == [(identify.WRONG_TITLE, WRONG_CARD["applicant_is_minor"])]
    assert services.outbox.items() == [] and id_reader.reads == 1


def test_no_card_placed_gets_its_own_screen(services):
    port = run_flow(services, [("choose", "self"), ("choose", "reader"), ("notice", BACK), ("choose", HOME)])
    assert notices(port) == [(identify.NO_CARD, identify.NO_CARD_BODY)]


def test_reader_gone_gets_its_own_screen(services, id_reader):
    def unplug():
        id_reader.place(card_of(PEOPLE["resident"]))
        id_reader.unplug()

    port = run_flow(services, [("choose", "self"), ("choose", then(unplug, "reader")), ("notice", HOME)])
    assert notices(port) == [(identify.READER_GONE, identify.READER_GONE_BODY)]
    assert port.last("notice").params["tone"] == "error"
