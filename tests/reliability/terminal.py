"""A kiosk on the in-process device fakes, talking HTTP to a centre simulator it does not own.

tests/flows/fake_rig.py builds the same fakes but starts its own centre; the crash-soak needs
the centre in the soak's parent process (it outlives every killed kiosk and counts what it
received), and the journey soak needs a printer whose jobs it can throw away. The resident's
scripts are the flow tests' own (tests/flows/journeys.py, card_rig.py); only the hand that
places an ID card differs, because these ID cards lie on the fake reader.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

from hwsim.camera.scenes import render
from kiosk.config import load_config
from kiosk.drivers.camera.fake import FakeCamera
from kiosk.drivers.factory import Devices
from kiosk.drivers.printer.fake import FakePrinter
from kiosk.flows.context import FlowTimeouts, KioskServices
from kiosk.flows.registry import FLOWS
from kiosk.flows.scripted import ScriptedPort
from tests.flows import journeys
from tests.flows.fake_rig import CardSlot, IdCards

TIMEOUTS = FlowTimeouts(card_wait_s=1.5, card_poll_s=0.02, camera_wait_s=1.5, deliver_now_s=2.0, sync_idle_s=0.2)
WELL_PLACED = render("white")  # the camera simulator's passing scene, as the fake camera's picture


def camera(**_options: Any) -> FakeCamera:
    return FakeCamera(WELL_PLACED)


class FakeTerminal:
    """The kiosk's services (real outbox on disk, real centre client) over the device fakes.

    `card` and `id_reader` are what tests/flows/card_rig.with_cards expects of a rig."""

    def __init__(self, data_dir: Path, centre_url: str) -> None:
        self.card = CardSlot()
        self.id_reader = IdCards()
        self.printer = FakePrinter()
        config = dataclasses.replace(load_config(), centre_url=centre_url, data_dir=Path(data_dir))
        devices = Devices(self.id_reader.reader, self.printer, self.card.reader, camera)
        self.services = KioskServices.build(config, timeouts=TIMEOUTS, devices=devices)

    def run(self, service: str, script: list[tuple[str, Any]], timeout: float = 60.0) -> ScriptedPort:
        """One whole service, as the scripted resident answers it; the printed jobs are dropped."""
        port = ScriptedPort(script, services=self.services, service=service)
        try:
            asyncio.run(asyncio.wait_for(FLOWS[service](port), timeout))
        finally:
            self.printer.printed.clear()
        if port.remaining:
            raise AssertionError(f"{service}: {port.remaining} answers never asked for; steps: {port.screens()}")
        return port

    def place(self, person: str | None) -> None:
        """The ID card of `person` on the reader (None: nothing there)."""
        self.id_reader.remove()
        if person is not None:
            self.id_reader.insert(person)

    def apply_for_myself(self, person: str = "resident") -> list[tuple[str, Any]]:
        """journeys.for_myself, with the ID card placed on the fake reader."""
        return [("choose", "self"), ("choose", journeys.then(lambda: self.place(person), "reader")),
                *journeys.the_rest(), *journeys.FINISH]  # fmt: skip

    def close(self) -> None:
        self.services.close()
