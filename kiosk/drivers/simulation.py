"""What the kiosk needs from the hardware simulator, found at run time and never imported.

A production terminal has no `hardware-sim/` installed, so product code must not import
`hwsim`. A simulator configuration (production = false, with a [simulator] table) names a
module (`[simulator] hooks`, default `hwsim.kiosk_hooks`) that offers what the kiosk needs
from it: for the drivers, where a `sim://NAME` device is served now and the simulator's PSAM
for 3.00 test cards; for `kiosk run --with-simulators` and `kiosk demo`, every simulator
running in the background and a way to steer them. Whoever builds the drivers
(kiosk.drivers.factory) loads that module here and hands its pieces to the drivers; a driver
given a `sim://` URL and no resolver reports NO_DEVICE ("the simulator is not installed"),
never an ImportError.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ContextManager, Protocol, runtime_checkable
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.drivers.card.auth import Authenticator as CardAuthenticator

log = logging.getLogger(__name__)

SIM_SCHEME = "sim"

Resolve = Callable[[str], str]
"""sim://NAME (a whole device URL) -> the device path or URL the simulator serves it on now;
LookupError when that simulator is not running."""


@runtime_checkable
class SimulatorHooks(Protocol):
    def resolve(self, url: str) -> str:
        """sim://NAME -> the device path/URL now serving it (LookupError if not running)."""
        ...

    def test_psam(self) -> CardAuthenticator:
        """The simulator's PSAM, holding its published test key (opens simulated cards only)."""
        ...

    def simulators_for(self, config_path: Path, work_dir: Path) -> ContextManager[tuple[Path, dict[str, str]]]:
        """Every simulator in the background for one run of the kiosk, stopped on leaving: yields
        the config the kiosk must use (its centre_url points at that centre) and the environment
        that finds them ($KIOSK_SIM_DIR under `work_dir`). RuntimeError if they do not start."""
        ...

    def control(self, name: str, verb: str, /, **params: Any) -> Any:
        """Steer the running simulator `name` (`kiosk sim ctl NAME VERB key=value`): its answer;
        LookupError when it is not running, RuntimeError when it refuses."""
        ...


def is_simulator_url(url: str) -> bool:
    return urlsplit(url).scheme == SIM_SCHEME


def not_installed(url: str) -> str:
    """Why a sim:// device cannot be reached without a resolver (a status detail)."""
    return f"{url}: the hardware simulator is not installed or not enabled in this configuration"


def load_simulator_hooks(config: Config) -> SimulatorHooks | None:
    """The hooks module a simulator configuration names; None for a production terminal,
    and None (logged) when that module is not installed."""
    settings = config.simulator
    if config.production or settings is None:
        return None
    name = settings.hooks
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
            raise  # the module is there but broken: that must be seen, not read as "absent"
        log.warning("simulator hooks %r are not installed (%s); sim:// devices will report NO_DEVICE", name, exc)
        return None
    if not isinstance(module, SimulatorHooks):
        log.warning("%s is not simulator hooks (it needs resolve, test_psam, simulators_for and control); ignored", name)
        return None
    return module


def simulators_for(config: Config, work_dir: Path) -> ContextManager[tuple[Path, dict[str, str]]]:
    """Every simulator in the background for one run of the kiosk (`kiosk run --with-simulators`,
    `kiosk demo`), from the hooks this configuration names; RuntimeError when it has none."""
    hooks = load_simulator_hooks(config)
    if hooks is None:
        raise RuntimeError(f"{config.path}: the hardware simulator is not installed or not enabled in this configuration")
    return hooks.simulators_for(config.path, work_dir)
