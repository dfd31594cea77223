"""`kiosk`: the technician's command line.

Every module `kiosk/cli/cmd_*.py` adds its commands through `register(cli)`; this file only
builds the parser, finds the configuration and turns results into exit codes. The hardware
simulator's commands (`kiosk sim …`) live with the simulator, in the optional package
`hwsim.cli`: they are added the same way where it is installed, found at run time and never
imported by name, so a production terminal without hardware-sim has no `sim` command at all.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import pkgutil
import sys
from types import ModuleType
from typing import Any, Callable, Sequence

import kiosk.cli
from kiosk.cli import exitcodes

Runner = Callable[[argparse.Namespace], int]

SIMULATOR_COMMANDS = "hwsim.cli"
"""The optional simulator's command package (hardware-sim/hwsim/cli)."""


class CLI:
    def __init__(self) -> None:
        self.parser = argparse.ArgumentParser(
            prog="kiosk",
            description="Third-generation social security card kiosk: run it, test its devices, inspect its queue.",
        )
        self.add_common(self.parser, suppress=False)
        self._top = self.parser.add_subparsers(dest="command", metavar="COMMAND")
        self._groups: dict[str, argparse._SubParsersAction] = {}

    @staticmethod
    def add_common(parser: argparse.ArgumentParser, suppress: bool = True) -> None:
        default = argparse.SUPPRESS if suppress else None
        parser.add_argument(
            "--config",
            metavar="FILE",
            default=default,
            help="terminal configuration (default: $KIOSK_CONFIG, else the shipped simulator config)",
        )

    def commands(self) -> set[str]:
        """The top-level commands (and groups) registered so far."""
        return set(self._top.choices)

    @staticmethod
    def named_command(argv: Sequence[str]) -> str | None:
        """The top-level command a command line names: its first word that is neither an
        option nor the value of --config; None when there is none (`kiosk --help`)."""
        words = iter(argv)
        for word in words:
            if word == "--config":
                next(words, None)
            elif not word.startswith("-"):
                return word
        return None

    def group(self, name: str, help: str) -> argparse._SubParsersAction:
        if name not in self._groups:
            parser = self._top.add_parser(name, help=help, description=help)
            self._groups[name] = parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)
        return self._groups[name]

    def command(
        self, group: str | None, name: str, help: str, run: Runner, *, json_output: bool = False
    ) -> argparse.ArgumentParser:
        """A command `kiosk [GROUP] NAME`; `run(args)` returns an exit code."""
        parent = self._top if group is None else self._groups[group]
        parser = parent.add_parser(name, help=help, description=help)
        self.add_common(parser)
        if json_output:
            parser.add_argument("--json", action="store_true", help="print JSON for scripts")
        parser.set_defaults(run=run)
        return parser


def emit(args: argparse.Namespace, data: Any, human: str) -> None:
    """Print `data` as JSON with --json, else the human text."""
    if getattr(args, "json", False):
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(human)


def load_config_or_exit(args: argparse.Namespace):
    """The terminal configuration, or every problem it has on stderr and exit 1."""
    from kiosk.config import ConfigError, load_config

    try:
        return load_config(getattr(args, "config", None))
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"config error: {problem}", file=sys.stderr)
        raise SystemExit(exitcodes.FAILED) from None


def register_commands(cli: CLI, package: ModuleType) -> None:
    """Every `cmd_*` module of `package` adds its commands."""
    modules = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("cmd_"))
    for name in modules:
        importlib.import_module(f"{package.__name__}.{name}").register(cli)


def simulator_commands() -> ModuleType | None:
    """The simulator's command package where hardware-sim is installed, else None."""
    try:
        found = importlib.util.find_spec(SIMULATOR_COMMANDS)
    except ModuleNotFoundError as exc:
        if exc.name != SIMULATOR_COMMANDS.partition(".")[0]:
            raise  # hwsim is there but broken: that must be seen, not read as "not installed"
        return None
    return None if found is None else importlib.import_module(SIMULATOR_COMMANDS)


def build(argv: Sequence[str] | None = None) -> CLI:
    """The parser: the kiosk's own commands, and the simulator's where it is installed. Given
    the command line, it looks for the simulator only when that names none of the kiosk's own
    commands, so that `kiosk config check` or `kiosk devices …` never so much as looks."""
    cli = CLI()
    register_commands(cli, kiosk.cli)
    if argv is None or CLI.named_command(argv) not in cli.commands():
        simulator = simulator_commands()
        if simulator is not None:
            register_commands(cli, simulator)
    return cli


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cli = build(argv)
    args = cli.parser.parse_args(argv)
    if not getattr(args, "run", None):
        cli.parser.print_help()
        return exitcodes.USAGE
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return exitcodes.INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
