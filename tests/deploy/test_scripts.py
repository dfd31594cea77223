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
            if line.startswith(("ExecStart=", "ExecStartPre=", "ExecStartPost=", "ExecStop=", "ExecStopPost=")):
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
    config.write_text(text.replace("/etc/sscard-kiosk/terminal.key", str(tmp_path / "terminal.key"))
                      .replace("build_info = \"/usr/lib/sscard-kiosk/build-info\"", "# build_info: the image's"))
    subprocess.run([sys.executable, "-m", "kiosk", "keys", "new", str(tmp_path / "terminal.key")], check=True,
                   capture_output=True)
    enrol(tmp_path / "tls", "T42")  # the enrolment (docs/trust.md), beside the key file
    check = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    written = tomllib.loads(text)
    assert (written["production"], written["terminal_id"], written["devices"]["camera"]) == (True, "T42", "v4l2://1")
    assert written["devices"]["id_reader"] == "serial:///dev/kiosk-id-reader?baud=115200"


def provision_on_this_machine(tmp_path: Path):
    """kiosk-provision with its folders in tmp_path and the kiosk run by this Python (the image's
    paths and the kiosk user exist only on a terminal)."""
    provision = load_provision()
    config_dir = tmp_path / "data-config"
    config_dir.mkdir()
    base = tmp_path / "terminal.base.toml"
    base.write_text((IMAGE / "lib/terminal.base.toml").read_text()
                    .replace("/etc/sscard-kiosk/terminal.key", str(config_dir / "terminal.key"))
                    .replace("/var/lib/sscard-kiosk", str(tmp_path / "data"))
                    .replace("/usr/lib/sscard-kiosk/build-info", str(tmp_path / "build-info")))
    (tmp_path / "build-info").write_text("version=0.1.0\ncommit=abc1234\nbuild_date=2026-01-01T00:00:00Z\n")
    provision.BASE, provision.CONFIG_DIR = base, config_dir
    provision.CONFIG, provision.KEY, provision.KEPT = (config_dir / n for n in ("terminal.toml", "terminal.key", "provision.toml"))
    provision.KIOSK, provision.AS_KIOSK = [sys.executable, "-m", "kiosk"], []
    provision.writable = lambda drive: True
    provision.restart_kiosk = lambda: None
    return provision


def config_check(provision) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(provision.CONFIG)],
                          capture_output=True, text=True)


def test_provisioning_enrols_through_the_drive_and_the_key_never_leaves_the_terminal(tmp_path, capsys):
    from hwsim.centre.test_ca import TestCA

    provision = provision_on_this_machine(tmp_path)
    drive = tmp_path / "drive"
    drive.mkdir()
    (drive / "kiosk-provision.toml").write_text(
        'outlet_id = "CS-01"\nterminal_id = "T42"\ncentre_url = "https://centre.example.invalid/api"\n')

    assert provision.provision(drive) == 0  # first visit: configured, the request goes out
    request = drive / "enrolment/T42/client.csr"
    assert request.is_file() and "take the drive to the centre's enrolment office" in capsys.readouterr().out
    assert "(see docs/trust.md, enrolment)" in config_check(provision).stderr
    assert not [p for p in drive.rglob("*") if p.is_file() and b"PRIVATE KEY" in p.read_bytes()]

    office = TestCA.open(tmp_path / "enrolment-office")  # signs what the drive brings
    folder = request.parent
    (folder / "client.crt").write_bytes(office.sign_request(request.read_bytes()))
    shutil.copyfile(office.ca_file, folder / "centre-ca.pem")
    shutil.copyfile(office.person_key_file, folder / "person.key")

    assert provision.provision(drive) == 0  # second visit: installed, the kiosk may start
    assert "enrolled: terminal T42" in capsys.readouterr().out
    assert config_check(provision).returncode == 0


def test_a_certificate_for_another_key_is_refused_and_the_request_still_stands(tmp_path, capsys):
    from hwsim.centre.test_ca import TestCA

    provision = provision_on_this_machine(tmp_path)
    drive = tmp_path / "drive"
    (drive / "enrolment/T42").mkdir(parents=True)
    (drive / "kiosk-provision.toml").write_text(
        'outlet_id = "CS-01"\nterminal_id = "T42"\ncentre_url = "https://centre.example.invalid/api"\n')
    office = TestCA.open(tmp_path / "enrolment-office")
    office.enrol_terminal("T42", tmp_path / "another-terminal")  # a certificate for someone else's key
    shutil.copyfile(tmp_path / "another-terminal/client.crt", drive / "enrolment/T42/client.crt")
    shutil.copyfile(office.ca_file, drive / "enrolment/T42/centre-ca.pem")
    shutil.copyfile(office.person_key_file, drive / "enrolment/T42/person.key")

    assert provision.provision(drive) == 0
    out = capsys.readouterr().out
    assert "certificate was refused" in out and "client.csr" in out
    assert (drive / "enrolment/T42/client.csr").is_file()
    assert config_check(provision).returncode != 0


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


def test_a_boot_without_the_drive_does_not_ask_the_kiosk_about_an_installed_certificate(tmp_path, capsys):
    """Every boot ran `kiosk keys show` (a Python start, seconds on a slow terminal) ahead of the
    kiosk; with no drive and nothing changed, an installed certificate stands (kiosk run checks it)."""
    from hwsim.centre.test_ca import TestCA

    provision = provision_on_this_machine(tmp_path)
    drive = tmp_path / "drive"
    drive.mkdir()
    (drive / "kiosk-provision.toml").write_text(
        'outlet_id = "CS-01"\nterminal_id = "T42"\ncentre_url = "https://centre.example.invalid/api"\n')
    asked = []
    real_kiosk = provision.kiosk
    provision.kiosk = lambda *args: asked.append(args[:2]) or real_kiosk(*args)

    assert provision.provision(drive) == 0
    assert ("keys", "show") in asked and ("keys", "csr") in asked  # not enrolled: the request goes out
    asked.clear()
    assert provision.provision(None) == 0  # a boot before the enrolment: still asked, still unenrolled
    assert ("keys", "show") in asked
    office = TestCA.open(tmp_path / "enrolment-office")
    folder = drive / "enrolment/T42"
    (folder / "client.crt").write_bytes(office.sign_request((folder / "client.csr").read_bytes()))
    shutil.copyfile(office.ca_file, folder / "centre-ca.pem")
    shutil.copyfile(office.person_key_file, folder / "person.key")
    assert provision.provision(drive) == 0 and ("keys", "install") in asked

    asked.clear()
    assert provision.provision(None) == 0  # the next boot, the drive gone: not asked
    assert asked == []
    assert config_check(provision).returncode == 0
    assert provision.provision(drive) == 0  # the drive plugged in again (a renewal): asked
    assert ("keys", "show") in asked
