"""python-escpos's parsed printer database is cached in the kiosk's private folder, not in a
new /tmp folder per start."""

import os
import subprocess
import sys


def _start(env: dict) -> None:
    subprocess.run([sys.executable, "-c", "import kiosk.drivers.printer.job"], env=env, check=True, timeout=60)


def _env(tmp_path) -> dict:
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env.update(TMPDIR=str(tmp), XDG_CACHE_HOME=str(tmp_path / "cache"))
    return env


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


def test_a_torn_capabilities_pickle_left_by_a_killed_start_is_parsed_again(tmp_path):
    env = _env(tmp_path)
    _start(env)
    [cached] = (tmp_path / "cache" / "sscard-kiosk" / "escpos").glob("*.capabilities.pickle")
    whole = cached.stat().st_size
    cached.write_bytes(cached.read_bytes()[:100])  # killed while escpos wrote it
    _start(env)  # check=True: it starts
    assert cached.stat().st_size == whole


def test_starts_at_the_same_moment_on_an_empty_cache_all_load_the_database(tmp_path):
    env = _env(tmp_path)
    code = "import escpos.capabilities as c; import sys; sys.exit(0 if c.CAPABILITIES['profiles'] else 3)"
    code = "import kiosk.drivers.printer.job; " + code
    starts = [subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.PIPE) for _ in range(4)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()[-500:]) for p in starts]
    assert [rc for rc, _ in results] == [0, 0, 0, 0], results


def test_the_way_to_the_first_screen_does_not_load_the_printer_database(tmp_path):
    """The availability rules need the printer's states and wording, not python-escpos: its
    database parse took seconds of a terminal's start where the cache was not kept. The
    printer's names still load when a flow asks for them."""
    code = (
        "import sys, kiosk.availability.rules, kiosk.drivers.printer.driver; "
        "assert 'escpos' not in sys.modules, 'escpos on the start path'; "
        "from kiosk.drivers.printer import EscposJob, ReceiptPrinter; "
        "assert 'escpos' in sys.modules and ReceiptPrinter.__name__ == 'ReceiptPrinter'"
    )
    subprocess.run([sys.executable, "-c", code], env=_env(tmp_path), check=True, timeout=60)
