"""Every test gets its own simulator directory and data directory, so nothing leaks
between tests or into a technician's running simulators."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    sim = tmp_path / "sim"
    data = tmp_path / "data"
    sim.mkdir()
    data.mkdir()
    monkeypatch.setenv("KIOSK_SIM_DIR", str(sim))
    monkeypatch.setenv("KIOSK_DATA_DIR", str(data))
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    yield


@pytest.fixture(autouse=True)
def _no_session_secrets_left_over():
    """A test that fills a session without ending it must not mask the next test's logs."""
    yield
    from kiosk.logs import session_secrets

    session_secrets.clear()


# --- two lanes on two cores (pytest-xdist: scripts/run-tests runs `-n 2 --dist loadgroup`) ---

SCREENS_AND_CARDS = "screens-and-pcscd"


def pytest_collection_modifyitems(config, items):
    """Two lanes. One runs, one after another, every test that starts the kiosk on a virtual
    display (a Kivy app and Xvfb take a core between them, and their waits are timed) and every
    test that puts a card behind the machine's one pcscd; the other runs everything else, each
    file whole on one worker so a file's module fixtures are built once. With two UI tests at
    once, their timed waits failed under load. Without xdist the marks do nothing."""
    tests = config.rootpath / "tests"
    lane = (tests / "ui", tests / "drivers" / "card")
    in_lane = {item.path for item in items
               if any(d in item.path.parents for d in lane) or "pcscd" in getattr(item, "fixturenames", ())}  # fmt: skip
    for item in items:
        group = SCREENS_AND_CARDS if item.path in in_lane else str(item.path.relative_to(config.rootpath))
        item.add_marker(pytest.mark.xdist_group(group))
