"""Every simulator for the card services in the real app, the card behind the real pcscd.

Like tests/ui/journey_rig.py, but with the card simulator (its control socket registered as
"card", so the scenario in the kiosk process inserts and pulls cards) and the ID cards of
the simulated cards' holders on the ID reader.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Callable, Iterator

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



class CardScenarios:
    """Scenarios of `module` in the real app beside a card rig, each run once: `collect(scenario,
    rig, run)` says what came out, and calling this again with the scenario gives it back."""

    def __init__(self, display, tmp_path_factory, module: str, collect: Callable[[str, SimulatorRig, Any], dict]) -> None:
        self.display, self.tmp_path_factory, self.module, self.collect = display, tmp_path_factory, module, collect
        self.runs: dict[str, dict] = {}

    def __call__(self, scenario: str) -> dict:
        from tests.ui.conftest import run_scenario

        if scenario not in self.runs:
            work = self.tmp_path_factory.mktemp(scenario)
            with card_rig(work) as (rig, config):
                done = run_scenario(scenario, self.display, work, shots=scenario, config=config, module=self.module)
                self.runs[scenario] = self.collect(scenario, rig, done)
        return self.runs[scenario]
