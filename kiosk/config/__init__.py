"""One TOML file per terminal: who it is, where it stands, which devices it drives.

`settings` holds the values (importing nothing of the project), `loader` reads and checks a
file into them; the names callers use are re-exported here.
"""

from kiosk.config.loader import (
    EXAMPLE_TERMINAL_CONFIG,
    SIMULATOR_CONFIG,
    ConfigError,
    config_path,
    load_config,
)
from kiosk.config.settings import (
    Config,
    DeviceUrls,
    MetricsSettings,
    OutboxSettings,
    PhotoSettings,
    PrinterSettings,
    SimulatorSettings,
)

__all__ = [
    "EXAMPLE_TERMINAL_CONFIG",
    "SIMULATOR_CONFIG",
    "Config",
    "ConfigError",
    "DeviceUrls",
    "MetricsSettings",
    "OutboxSettings",
    "PhotoSettings",
    "PrinterSettings",
    "SimulatorSettings",
    "config_path",
    "load_config",
]
