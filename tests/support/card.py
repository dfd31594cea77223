"""pcscd with vsmartcard-vpcd for every test that puts a virtual card in a reader.

There is one pcscd per machine (/run/pcscd): it is started once per test session if it is
not running, and stopped again (by its PID) only if this session started it. If it cannot
start, every test that needs it fails with the reason; none is skipped silently.
"""

from __future__ import annotations

import pytest

from hwsim.card.pcscd import Pcscd, PcscdError
from hwsim.card.simulator import CardSimulator


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory):
    manager = Pcscd(log_path=tmp_path_factory.mktemp("pcscd") / "pcscd.log")
    try:
        manager.ensure_running()
    except PcscdError as exc:
        pytest.fail(f"pcscd with vpcd is needed for the card tests and could not start: {exc}", pytrace=False)
    yield manager
    manager.stop()


def insert(sim: CardSimulator, profile: str, slot: int = 0) -> None:
    status = sim.insert(profile, slot)
    assert status["seen_by_reader"], f"pcscd did not pick up the {profile} card in slot {slot}"
