"""`kiosk`: the technician's command line.

Every module `kiosk/cli/cmd_*.py` adds its commands through `register(cli)`; this file only
builds the parser, finds the configuration and turns results into exit codes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import pkgutil
import sys
from typing import Any, Callable

import kiosk.cli
from kiosk.cli import exitcodes

Runner = Callable[[argparse.Namespace], int]


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


def build() -> CLI:
    cli = CLI()
    modules = sorted(m.name for m in pkgutil.iter_modules(kiosk.cli.__path__) if m.name.startswith("cmd_"))
    for name in modules:
        importlib.import_module(f"kiosk.cli.{name}").register(cli)
    return cli


def main(argv: list[str] | None = None) -> int:
    cli = build()
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
