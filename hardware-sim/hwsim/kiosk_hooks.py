"""The simulator's side of kiosk.drivers.simulation: what a simulator configuration's kiosk
asks of the simulator, without the kiosk ever importing it by name.

`[simulator] hooks = "hwsim.kiosk_hooks"` (the default) makes the kiosk load this module;
its functions are the `SimulatorHooks`: resolve and test_psam for the drivers, simulators_for
and control for `kiosk run --with-simulators` and `kiosk demo`.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hwsim import control as control_module
from hwsim.card.psam import SimulatedPsam


def resolve(url: str) -> str:
    """sim://NAME (a device URL, query and all) -> the address the running simulator NAME
    serves; LookupError when it is not running."""
    parts = urlsplit(url)
    name = parts.netloc or parts.path.strip("/")
    if not name:
        raise LookupError(f"{url}: no simulator named (sim://printer)")
    return control_module.resolve(name)


def test_psam() -> SimulatedPsam:
    """The simulated PSAM with the published test key: it opens simulated 3.00 cards only."""
    return SimulatedPsam()


def simulators_for(config_path: Path, work_dir: Path) -> AbstractContextManager[tuple[Path, dict[str, str]]]:
    """`kiosk sim all` in the background for one run of the kiosk: yields the config that talks
    to its centre and the environment ($KIOSK_SIM_DIR) that finds the simulators."""
    from hwsim.cli.cmd_sim_all import simulators_for as start_all

    return start_all(config_path, work_dir)


def control(name: str, verb: str, /, **params: Any) -> Any:
    """One command to the running simulator `name`, as `kiosk sim ctl` sends it."""
    return control_module.send(name, verb, **params)
