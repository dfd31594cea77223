"""What the `kiosk devices …` commands of every device kind share.

Each device's command module (cmd_id_reader, cmd_printer, cmd_camera, cmd_card) registers
its commands and builds its driver through these, so a `--port`, a failure and an exit code
look the same whichever device a technician tests.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Mapping

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, Runner, emit, load_config_or_exit
from kiosk.drivers.status import Completion, ResultCode

if TYPE_CHECKING:
    from kiosk.config import Config
    from kiosk.drivers.simulation import SimulatorHooks


def devices_command(cli: CLI, name: str, help: str, run: Runner) -> argparse.ArgumentParser:
    """`kiosk devices NAME`, with --json."""
    cli.group("devices", "Test the terminal's devices")
    return cli.command("devices", name, help, run, json_output=True)


def port_argument(parser: argparse.ArgumentParser, examples: str, config_key: str) -> None:
    parser.add_argument(
        "--port", metavar="URL", help=f"{examples}, a device path (default: the config's devices.{config_key})"
    )


def device_url(given: str | None, configured: str) -> str:
    """The URL a command was given (a bare device path means a serial port), else the configured one."""
    url = given or configured
    return f"serial://{url}" if url.startswith("/") else url


def terminal(args: argparse.Namespace) -> tuple[Config, SimulatorHooks | None]:
    """The configuration (or exit 1 with its problems), and the simulator's hooks when it is
    a simulator configuration (kiosk.drivers.simulation)."""
    from kiosk.drivers.simulation import load_simulator_hooks

    config = load_config_or_exit(args)
    return config, load_simulator_hooks(config)


def report_failure(
    args: argparse.Namespace, device: str, done: Completion, exit_codes: Mapping[ResultCode, int], extra: dict | None = None
) -> int:
    """Why an operation failed, on stderr (and as JSON with --json); the exit code for it."""
    if args.json:
        emit(args, {"ok": False, "code": str(done.code), "reason": done.reason, "recovery": str(done.recovery),
                    **done.detail, **(extra or {})}, "")  # fmt: skip
    print(f"{device}: {done.code}: {done.reason} (recovery: {done.recovery})", file=sys.stderr)
    return exit_codes.get(done.code, exitcodes.DEVICE_ERROR)
