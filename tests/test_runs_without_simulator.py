"""A production terminal has no hardware-sim installed: `kiosk config check` and `kiosk devices …`
must work there as they do anywhere, and never so much as try to import `hwsim`.

The commands run as a technician runs them (the real `kiosk` executable, in a subprocess), in
an interpreter that cannot import `hwsim`: hardware-sim/ is off its path, and a
sitecustomize puts a finder first on `sys.meta_path` that refuses every `hwsim` module (the
virtualenv's editable install could otherwise still find it) and writes down each attempt.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.cli import exitcodes
from kiosk.config import EXAMPLE_TERMINAL_CONFIG, SIMULATOR_CONFIG
from tests.support.enrolment import enrol

REPO = Path(__file__).resolve().parents[1]
KIOSK = Path(sys.executable).with_name("kiosk")

SIM_COMMAND = re.compile(r"^\s+sim\s", re.MULTILINE)  # `sim` in the help's list of commands

REFUSE_HWSIM = textwrap.dedent(
    """
    import os, sys

    class RefuseHwsim:
        '''Stands for an interpreter without hardware-sim: no hwsim module can be found.'''

        def find_spec(self, name, path=None, target=None):
            if name == "hwsim" or name.startswith("hwsim."):
                with open(os.environ["HWSIM_ATTEMPTS"], "a") as attempts:
                    attempts.write(name + "\\n")
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, RefuseHwsim())
    """
)


@pytest.fixture
def without_hwsim(tmp_path):
    """Runs the `kiosk` executable where hwsim cannot be imported; the attempts file lists
    every hwsim module anything tried to import."""
    site = tmp_path / "no-hwsim"
    site.mkdir()
    (site / "sitecustomize.py").write_text(REFUSE_HWSIM)
    attempts = tmp_path / "hwsim-attempts.txt"
    attempts.touch()
    env = {**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{REPO}", "HWSIM_ATTEMPTS": str(attempts)}

    def run(*args: str, program: list[str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*(program or [str(KIOSK)]), *args], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
        )

    run.attempts = lambda: attempts.read_text().split()
    return run


@pytest.fixture
def production_config(tmp_path, without_hwsim):
    """The shipped example terminal configuration, with a key made by `kiosk keys new` and the
    terminal enrolled (by a test CA standing in for the centre's)."""
    key = tmp_path / "terminal.key"
    made = without_hwsim("keys", "new", str(key))
    assert made.returncode == exitcodes.OK, made.stderr
    enrol(tmp_path / "tls", "T01")
    text = EXAMPLE_TERMINAL_CONFIG.read_text(encoding="utf-8")
    text = text.replace('"/etc/sscard-kiosk/terminal.key"', f'"{key}"')
    text = text.replace('"/etc/sscard-kiosk/tls"', f'"{tmp_path / "tls"}"')
    text = text.replace('"/var/lib/sscard-kiosk"', f'"{tmp_path / "data"}"')
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_stand_in_interpreter_really_cannot_import_hwsim(without_hwsim):
    tried = without_hwsim("-c", "import hwsim.control", program=[sys.executable])
    assert tried.returncode != 0 and "ModuleNotFoundError" in tried.stderr
    assert without_hwsim.attempts() == ["hwsim"]


def test_config_check_passes_a_production_config_without_hwsim(without_hwsim, production_config):
    checked = without_hwsim("config", "check", str(production_config))
    assert checked.returncode == exitcodes.OK, checked.stderr
    assert "ok (production" in checked.stdout
    assert "Traceback" not in checked.stderr
    assert without_hwsim.attempts() == []


@pytest.mark.parametrize("command", ["printer-status", "id-reader-status"])
def test_a_missing_device_is_no_device_without_hwsim(without_hwsim, production_config, command):
    done = without_hwsim(
        "devices", command, "--port", "serial:///dev/nonexistent", "--config", str(production_config), "--json"
    )
    assert done.returncode == exitcodes.NO_DEVICE, done.stderr
    assert "no_device" in done.stderr
    assert "Traceback" not in done.stderr
    assert without_hwsim.attempts() == []


def test_a_simulator_config_without_the_simulator_says_no_device_not_import_error(without_hwsim):
    done = without_hwsim("devices", "printer-status", "--config", str(SIMULATOR_CONFIG))
    assert done.returncode == exitcodes.NO_DEVICE, done.stderr
    assert "simulator is not installed" in done.stderr
    assert "Traceback" not in done.stderr
    assert without_hwsim.attempts() == ["hwsim"]  # only the hooks the config names, found missing


def test_kiosk_help_works_and_lists_no_sim_command_without_hwsim(without_hwsim):
    helped = without_hwsim("--help")
    assert helped.returncode == exitcodes.OK, helped.stderr
    assert re.search(r"^\s+devices\s", helped.stdout, re.MULTILINE)
    assert not SIM_COMMAND.search(helped.stdout)
    assert without_hwsim.attempts() == ["hwsim"]  # the simulator's commands, looked for and found missing


def test_kiosk_help_lists_the_sim_command_where_the_simulator_is_installed():
    helped = subprocess.run([str(KIOSK), "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == exitcodes.OK, helped.stderr
    assert SIM_COMMAND.search(helped.stdout)


def test_kiosk_sim_is_no_command_without_hwsim(without_hwsim):
    done = without_hwsim("sim", "list")
    assert done.returncode == exitcodes.USAGE
    assert "invalid choice: 'sim'" in done.stderr
    assert "Traceback" not in done.stderr
