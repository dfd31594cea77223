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


# --- two lanes on two cores (scripts/run-tests) ------------------------------------------

LANE_MARK = "screens_and_cards"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Marks the tests of the timed lane: every file with a test that starts the kiosk on a
    virtual display (a Kivy app and Xvfb take a core between them, and their waits are timed)
    or puts a card behind the machine's one pcscd. scripts/run-tests runs that lane one test
    after another and the rest beside it in a second process at niceness 15, so the UI's
    waits see an idle machine (with two UI apps at once, under pytest-xdist, those waits failed)."""
    tests = config.rootpath / "tests"
    lane = (tests / "ui", tests / "drivers" / "card")
    in_lane = {item.path for item in items
               if any(d in item.path.parents for d in lane) or "pcscd" in getattr(item, "fixturenames", ())}  # fmt: skip
    for item in items:
        if item.path in in_lane:
            item.add_marker(getattr(pytest.mark, LANE_MARK))
