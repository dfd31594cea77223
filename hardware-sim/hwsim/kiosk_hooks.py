"""The simulator's side of kiosk.drivers.simulation: what a simulator configuration's kiosk
asks of the simulator, without the kiosk ever importing it by name.

`[simulator] hooks = "hwsim.kiosk_hooks"` (the default) makes the kiosk load this module;
its two functions are the `SimulatorHooks` the drivers are given.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from hwsim import control
from hwsim.card.psam import SimulatedPsam


def resolve(url: str) -> str:
    """sim://NAME (a device URL, query and all) -> the address the running simulator NAME
    serves; LookupError when it is not running."""
    parts = urlsplit(url)
    name = parts.netloc or parts.path.strip("/")
    if not name:
        raise LookupError(f"{url}: no simulator named (sim://printer)")
    return control.resolve(name)


def test_psam() -> SimulatedPsam:
    """The simulated PSAM with the published test key: it opens simulated 3.00 cards only."""
    return SimulatedPsam()
