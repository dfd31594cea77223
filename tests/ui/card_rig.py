"""Every simulator for the card services in the real app, the card behind the real pcscd.

Like tests/ui/journey_rig.py, but with the card simulator (its control socket registered as
"card", so the scenario in the kiosk process inserts and pulls cards) and the ID cards of
the simulated cards' holders on the ID reader.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

from hwsim.cli.cmd_sim_all import simulator_config
from hwsim.rig import RigSettings, SimulatorRig
from kiosk.config import SIMULATOR_CONFIG
from tests.flows.card_rig import people
from tests.ui.journey_rig import sim_dir


@contextlib.contextmanager
def card_rig(work: Path) -> Iterator[tuple[SimulatorRig, Path]]:
    sims = Path(work) / "sim"
    sims.mkdir(parents=True, exist_ok=True)
    with sim_dir(sims):
        rig = SimulatorRig(RigSettings(people=people(), state_dir=Path(work) / "sim-state", card=True)).start()
    try:
        if rig.card is None:
            raise RuntimeError(f"the card simulator did not start: {rig.card_problem}")
        rig.card.settle()
        yield rig, simulator_config(SIMULATOR_CONFIG, rig.centre.url, Path(work) / "kiosk.toml")
    finally:
        with sim_dir(sims):
            rig.stop()
