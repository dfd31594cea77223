"""Every simulator for one UI journey, in the test process, where the kiosk process finds them.

The app runs in its own process (tests/ui/conftest.run_scenario) with KIOSK_SIM_DIR=<work>/sim;
the rig registers there, and the kiosk gets a copy of the simulator config whose centre_url
is this rig's centre.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from hwsim.cli.cmd_sim_all import simulator_config
from hwsim.rig import RigSettings, SimulatorRig
from kiosk.config import SIMULATOR_CONFIG
from tests.flows import journeys


@contextlib.contextmanager
def sim_dir(path: Path) -> Iterator[None]:
    """$KIOSK_SIM_DIR while the simulators register (they keep their paths afterwards)."""
    before = os.environ.get("KIOSK_SIM_DIR")
    os.environ["KIOSK_SIM_DIR"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("KIOSK_SIM_DIR", None)
        else:
            os.environ["KIOSK_SIM_DIR"] = before


@contextlib.contextmanager
def journey_rig(work: Path) -> Iterator[tuple[SimulatorRig, Path]]:
    sims = Path(work) / "sim"
    sims.mkdir(parents=True, exist_ok=True)
    with sim_dir(sims):
        rig = SimulatorRig(RigSettings(people=journeys.people(), state_dir=Path(work) / "sim-state")).start()
    try:
        yield rig, simulator_config(SIMULATOR_CONFIG, rig.centre.url, Path(work) / "kiosk.toml")
    finally:
        with sim_dir(sims):
            rig.stop()
