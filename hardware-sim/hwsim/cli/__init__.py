"""`kiosk sim …`: the simulator's commands, which the kiosk's command line adds only where
the simulator is installed (kiosk.cli.main finds this package at run time, never imports it).

Each `cmd_*.py` here registers its commands through `register(cli)`, like kiosk/cli's own,
and joins the `sim` group through `sim_command`.
"""

from __future__ import annotations

import argparse

from kiosk.cli.main import CLI, Runner

SIM_GROUP = "sim"


def sim_command(cli: CLI, name: str, help: str, run: Runner, *, json_output: bool = False) -> argparse.ArgumentParser:
    """`kiosk sim NAME`."""
    cli.group(SIM_GROUP, "Run and steer the hardware simulator")
    return cli.command(SIM_GROUP, name, help, run, json_output=json_output)
