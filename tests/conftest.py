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
