"""Cheap checks of the terminal image's scripts and units (no image build, no QEMU)."""

import importlib.machinery
import importlib.util
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.support.enrolment import enrol

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
IMAGE = DEPLOY / "image"
UNITS = sorted((IMAGE / "rootfs/etc/systemd/system").glob("*.service"))


def scripts(language: str) -> list[Path]:
    found = []
    for path in [*DEPLOY.iterdir(), *IMAGE.iterdir(), *(IMAGE / "bin").iterdir(), *(IMAGE / "lib").iterdir()]:
        if path.is_file():
            first = path.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
            if (language == "bash" and "bash" in first) or (language == "python" and (path.suffix == ".py" or "python" in first)):
                found.append(path)
    return found


@pytest.mark.parametrize("script", scripts("bash"), ids=lambda p: p.name)
def test_bash_scripts_parse(script):
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", scripts("python"), ids=lambda p: p.name)
def test_python_scripts_compile(script):
    compile(script.read_text(encoding="utf-8"), str(script), "exec")


def test_the_scripts_the_build_runs_are_executable():
    for path in [DEPLOY / "build-image", DEPLOY / "test-image", DEPLOY / "flash", IMAGE / "build-wheels",
                 IMAGE / "customize-root", *(IMAGE / "bin").iterdir()]:
        assert path.stat().st_mode & 0o111, f"{path} is not executable"


@pytest.mark.skipif(not shutil.which("grub-script-check"), reason="grub-script-check (grub-common) is not installed")
def test_grub_boot_script_parses():
    result = subprocess.run(["grub-script-check", str(IMAGE / "esp/grub.cfg")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_unit_the_build_enables_exists():
    text = (IMAGE / "customize-root").read_text()
    enabled = text.split("systemctl enable -q", 1)[1].split("\n\n", 1)[0]
    ours = {w for w in enabled.split() if w.startswith("kiosk")}
    assert ours == {p.name for p in UNITS}


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
def test_units_verify(tmp_path):
    """`systemd-analyze verify` against a root holding our units and stand-ins for the programs they run."""
    root = tmp_path / "root"
    shutil.copytree(IMAGE / "rootfs", root)
    for system_units in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system")):
        if system_units.is_dir():  # the targets and services ours order against
            shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True, dirs_exist_ok=True)
            break
    for unit in UNITS:
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                program = root / line.split("=", 1)[1].split()[0].lstrip("/")
                program.parent.mkdir(parents=True, exist_ok=True)
                program.write_text("#!/bin/sh\n")
                program.chmod(0o755)
    result = subprocess.run(
        ["systemd-analyze", "verify", f"--root={root}", "--man=no", *[f"/etc/systemd/system/{u.name}" for u in UNITS]],
        capture_output=True, text=True,
    )
    ours = [line for line in result.stderr.splitlines() if "kiosk" in line]
    assert not ours, "\n".join(ours)


def load_provision():
    loader = importlib.machinery.SourceFileLoader("kiosk_provision", str(IMAGE / "bin/kiosk-provision"))
    spec = importlib.util.spec_from_loader("kiosk_provision", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    module.BASE = IMAGE / "lib/terminal.base.toml"
    return module


def test_provisioning_writes_a_config_that_passes_config_check(tmp_path):
    provision = load_provision()
    text = provision.render({"outlet_id": "CS-01", "terminal_id": "T42", "centre_url": "https://centre.example.invalid/api",
                             "devices": {"camera": "v4l2://1"}})
    config = tmp_path / "terminal.toml"
    config.write_text(text.replace("/etc/sscard-kiosk/terminal.key", str(tmp_path / "terminal.key")))
    subprocess.run([sys.executable, "-m", "kiosk", "keys", "new", str(tmp_path / "terminal.key")], check=True,
                   capture_output=True)
    enrol(tmp_path / "tls", "T42")  # the enrolment (docs/trust.md), beside the key file
    check = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    written = tomllib.loads(text)
    assert (written["production"], written["terminal_id"], written["devices"]["camera"]) == (True, "T42", "v4l2://1")
    assert written["devices"]["id_reader"] == "serial:///dev/kiosk-id-reader?baud=115200"


def test_the_base_config_is_refused_until_provisioned(tmp_path):
    """The image's base config alone (no ids, no centre) must not pass: the kiosk stays out of service."""
    config = tmp_path / "terminal.toml"
    config.write_text((IMAGE / "lib/terminal.base.toml").read_text())
    check = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(config)], capture_output=True, text=True)
    assert check.returncode != 0
    assert "terminal_id" in check.stderr and "centre_url" in check.stderr


def test_udev_rules_name_the_devices_the_config_uses():
    rules = (IMAGE / "rootfs/etc/udev/rules.d/70-kiosk-devices.rules").read_text()
    base = tomllib.loads((IMAGE / "lib/terminal.base.toml").read_text())
    for device in ("id_reader", "printer"):
        path = base["devices"][device].split("://", 1)[1].split("?")[0]
        assert f'SYMLINK+="{path.removeprefix("/dev/")}"' in rules
