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


# --- running on both cores (pytest-xdist, `-n 2 --dist loadgroup` in scripts/run-tests) -----

PCSC_GROUP = "pcscd"  # the machine's one pcscd and its vpcd readers: one worker at a time


def pytest_collection_modifyitems(config, items):
    """Under xdist (`--dist loadgroup`) each test file runs whole on one worker, so a file's
    module fixtures (a journey walked once for all its tests) are built once; every file with
    a test that puts a card behind the machine's one pcscd shares one group, run one after
    another. Everything else (own tmp dirs, own Xvfb, ptys, ports the OS picks) runs beside
    it. Without xdist the marks do nothing."""
    card_drivers = config.rootpath / "tests" / "drivers" / "card"
    on_pcscd = {item.path for item in items if "pcscd" in getattr(item, "fixturenames", ()) or card_drivers in item.path.parents}
    for item in items:
        group = PCSC_GROUP if item.path in on_pcscd else str(item.path.relative_to(config.rootpath))
        item.add_marker(pytest.mark.xdist_group(group))
