"""The card services' tests that are about the real card stack, not the flow: they stay on the
simulator rig (tests/flows/card_rig.py: the virtual card behind the real pcscd), run under the
pcsc lock. The other card service flow tests run on the in-process fakes (fake_rig.py).

- a card reader name pcscd does not list: the pcsc driver's own answer when its reader is not
  there, which only the real pcscd gives.
"""

from __future__ import annotations

import dataclasses

import pytest

from kiosk.flows import status_query
from kiosk.flows.context import KioskServices
from kiosk.flows.steps import BACK
from tests.flows.card_rig import pcscd, rig, run_card_flow  # noqa: F401
from tests.flows.conftest import FAST

pytestmark = pytest.mark.pcsc


def test_a_missing_card_reader_is_said_plainly(rig, config):
    from kiosk.drivers.card.messages import READER_BROKEN

    devices = dataclasses.replace(config.devices, card_reader="pcsc://?name=No%20such%20reader")
    services = KioskServices.build(dataclasses.replace(config, devices=devices), timeouts=FAST)
    try:
        port = run_card_flow(services, "status_query", [("choose", status_query.BY_CARD), ("notice", BACK)])
    finally:
        services.close()
    assert port.last("notice").params["body"] == READER_BROKEN
