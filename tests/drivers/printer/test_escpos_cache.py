"""python-escpos's parsed printer database is cached in the kiosk's private folder, not in a
new /tmp folder per start."""

import os
import subprocess
import sys


def _start(env: dict) -> None:
    subprocess.run([sys.executable, "-c", "import kiosk.drivers.printer.job"], env=env, check=True, timeout=60)


def test_starting_twice_leaves_no_temporary_folder_and_reuses_one_private_cache(tmp_path):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env.update(TMPDIR=str(tmp), XDG_CACHE_HOME=str(tmp_path / "cache"))
    _start(env)
    _start(env)
    assert list(tmp.iterdir()) == []
    cache = tmp_path / "cache" / "sscard-kiosk" / "escpos"
    assert len(list(cache.glob("*.capabilities.pickle"))) == 1
    assert cache.stat().st_mode & 0o777 == 0o700


def test_a_cache_folder_others_can_write_is_not_used(tmp_path):
    cache = tmp_path / "cache" / "sscard-kiosk" / "escpos"
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env.update(TMPDIR=str(tmp), XDG_CACHE_HOME=str(tmp_path / "cache"))
    _start(env)
    assert list(cache.iterdir()) == []  # escpos fell back to a temporary folder of its own
