"""The terminal configuration: every problem reported at once, simulator settings refused in production."""

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import SIMULATOR_CONFIG, ConfigError, config_path, load_config
from kiosk.keys import read_key_file, write_new_key_file
from tests.support.enrolment import enrol

KIOSK = [sys.executable, "-m", "kiosk"]


def write(tmp_path: Path, text: str, name: str = "terminal.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def key_file(tmp_path):
    """A production key file, with terminal T01 enrolled beside it (tls/, the default tls_dir)."""
    path = tmp_path / "terminal.key"
    write_new_key_file(path)
    enrol(tmp_path / "tls", "T01")
    return path


def production_config(key_file: Path, extra: str = "", **overrides: str) -> str:
    values = {
        "production": "true",
        "outlet_id": '"CS-01"',
        "terminal_id": '"T01"',
        "region": '"chongqing-changshou"',
        "centre_url": '"https://centre.example.invalid/api"',
        "key_file": f'"{key_file}"',
    }
    values.update(overrides)
    body = "\n".join(f"{k} = {v}" for k, v in values.items() if v is not None)
    return body + "\n" + extra + """
[devices]
id_reader = "serial:///dev/ttyUSB0?baud=115200"
printer = "serial:///dev/ttyS1?baud=9600"
camera = "v4l2://0"
card_reader = "pcsc://"
"""


def test_shipped_simulator_config_loads():
    cfg = load_config(SIMULATOR_CONFIG)
    assert cfg.production is False
    assert cfg.is_simulated
    assert cfg.devices.printer == "sim://printer"
    assert cfg.key_file.exists()


def test_a_valid_production_config_loads(tmp_path, key_file):
    cfg = load_config(write(tmp_path, production_config(key_file)))
    assert cfg.production is True
    assert cfg.simulator is None
    assert cfg.idle_timeout_s == 90 and cfg.language == "zh"


def test_three_mistakes_are_all_reported(tmp_path, key_file):
    text = production_config(key_file, "colour = 'blue'\n", centre_url='"ftp://centre"', region='"atlantis"')
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    keys = {p.key for p in err.value.problems}
    assert {"centre_url", "region", "colour"} <= keys
    assert all(p.file.endswith("terminal.toml") for p in err.value.problems)


def test_missing_key_file_is_reported_with_its_path(tmp_path, key_file):  # key_file: enrols tmp_path/tls
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, production_config(tmp_path / "nope.key")))
    [problem] = err.value.problems
    assert problem.key == "key_file" and "nope.key" in problem.reason


def test_simulator_settings_are_refused_in_production(tmp_path, key_file):
    text = production_config(key_file).replace('"v4l2://0"', '"sim://camera"') + "[simulator]\npace_serial = true\n"
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    keys = {p.key for p in err.value.problems}
    assert keys == {"devices.camera", "simulator"}


def test_simulator_key_is_refused_in_production(tmp_path, key_file):
    sim_key = SIMULATOR_CONFIG.parent / "simulator-terminal.key"
    assert read_key_file(sim_key).is_simulator_key
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, production_config(sim_key, tls_dir=f'"{tmp_path / "tls"}"')))
    assert {p.key for p in err.value.problems} == {"key_file"}
    assert any("simulator" in p.reason for p in err.value.problems)


def test_bad_device_urls_and_types_are_reported(tmp_path, key_file):
    text = production_config(key_file, idle_timeout_s='"soon"').replace(
        'serial:///dev/ttyUSB0?baud=115200', "serial:///dev/ttyUSB0?baud=fast"
    ).replace('"pcsc://"', '"usb://reader"')
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    keys = {p.key for p in err.value.problems}
    assert keys == {"idle_timeout_s", "devices.id_reader", "devices.card_reader"}


def test_unknown_section_key_is_reported(tmp_path, key_file):
    text = production_config(key_file) + "[printer]\nnative_qr = true\nspeed = 3\n"
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))
    assert [p.key for p in err.value.problems] == ["printer.speed"]


def test_broken_toml_is_one_clear_problem(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, "production = \n"))
    assert "not valid TOML" in err.value.problems[0].reason


def test_config_path_precedence(tmp_path, monkeypatch):
    assert config_path(None) == SIMULATOR_CONFIG
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "env.toml"))
    assert config_path(None) == tmp_path / "env.toml"
    assert config_path(tmp_path / "arg.toml") == tmp_path / "arg.toml"


def test_config_check_command_reports_all_three_and_fails(tmp_path, key_file):
    text = production_config(key_file, "colour = 'blue'\n", centre_url='"ftp://centre"', region='"atlantis"')
    path = write(tmp_path, text)
    run = subprocess.run([*KIOSK, "config", "check", str(path)], capture_output=True, text=True)
    assert run.returncode == 1
    assert "3 problem(s)" in run.stderr
    for key in ("centre_url", "region", "colour"):
        assert f": {key}: " in run.stderr


def test_config_check_command_accepts_the_simulator_config():
    run = subprocess.run([*KIOSK, "config", "check", "--json"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert '"production": false' in run.stdout


def test_terminal_key_is_never_overwritten(tmp_path, key_file):
    before = key_file.read_bytes()
    run = subprocess.run([*KIOSK, "keys", "new", str(key_file)], capture_output=True, text=True)
    assert run.returncode == 1 and key_file.read_bytes() == before
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
