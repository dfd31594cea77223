"""The card services headless: the flow tests' rig with the card simulator behind the real
pcscd, and ID cards for the simulated cards' holders.

Importing `rig` into a test module overrides tests/flows/conftest.py's rig there, so its
`config` and `services` fixtures build the kiosk's services against this one.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable

import pytest

from hwsim.id_reader.people import PEOPLE_FILE, load_people
from hwsim.rig import RigSettings, SimulatorRig
from kiosk.flows.scripted import ScriptedPort, Step
from tests.support.card import insert, pcscd  # noqa: F401  (a fixture the rig needs)

HOLDERS_FILE = Path(__file__).resolve().parents[1] / "support" / "card_holders.json"
# The replacement's people (hwsim/centre/replacement_people.toml) and the guardian of people_extra.json.
REPLACE_PEOPLE_FILES = (Path(__file__).with_name("replace_people.json"), Path(__file__).with_name("people_extra.json"))
HOLDER_OF = {
    "gen3": "holder-gen3",
    "not-activated": "holder-not-activated",
    "reported-lost": "holder-reported-lost",
    "pin-blocked": "holder-pin-blocked",
    "gen1": "holder-gen1",
}


def people() -> dict:
    extra = {key: person for path in REPLACE_PEOPLE_FILES for key, person in load_people(path).items()}
    return {**load_people(PEOPLE_FILE), **load_people(HOLDERS_FILE), **extra}


@pytest.fixture
def rig(tmp_path, pcscd):  # noqa: F811
    settings = RigSettings(people=people(), state_dir=tmp_path / "sim-state", card=True)
    with SimulatorRig(settings) as running:
        if running.card is None:
            pytest.fail(f"the card simulator did not start: {running.card_problem}", pytrace=False)
        running.card.settle()  # pcscd has seen the last test's cards go
        yield running


def with_cards(rig: SimulatorRig, card: str | None = None, id_card: str | None = None) -> None:
    """The social security card in the slot and an ID card on the reader, as a resident brings them."""
    if card is not None:
        insert(rig.card, card)
    rig.id_reader.remove()
    if id_card is not None:
        rig.id_reader.insert(id_card)


class Pins:
    """PIN answers as the pin pad gives them (a fresh bytearray each), kept to check they were wiped."""

    def __init__(self) -> None:
        self.given: list[bytearray] = []

    def __call__(self, digits: str) -> Callable[[Step], bytearray]:
        def answer(_step: Step) -> bytearray:
            buffer = bytearray(digits.encode("ascii"))
            self.given.append(buffer)
            return buffer

        return answer

    def all_wiped(self) -> bool:
        return all(not any(b) for b in self.given)


def run_card_flow(services, service: str, script: list[tuple[str, Any]], timeout: float = 60, reactions=(),
                  language: str = "zh") -> ScriptedPort:  # fmt: skip
    from kiosk.flows.registry import FLOWS

    port = ScriptedPort(script, services=services, service=service, reactions=reactions, language=language)
    asyncio.run(asyncio.wait_for(FLOWS[service](port), timeout))
    assert port.remaining == 0, f"{port.remaining} scripted answers were never asked for; steps: {port.screens()}"
    assert port.reactions_left == 0, f"{port.reactions_left} reactions never fired; steps: {port.screens()}"
    return port


def texts(port: ScriptedPort) -> str:
    """Everything the resident could read, both languages."""
    return "\n".join(step.text() for step in port.steps)
