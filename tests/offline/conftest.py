"""An outbox on a fake clock and a fixed random source, for the state-machine tests."""

from __future__ import annotations

import random

import pytest

from kiosk.config import SIMULATOR_CONFIG, OutboxSettings
from kiosk.keys import read_key_file
from kiosk.offline.outbox import Outbox
from tests.centre.fixtures import centre  # noqa: F401  (the real centre simulator, for the sync tests)

SIMULATOR_KEY = SIMULATOR_CONFIG.parent / "simulator-terminal.key"


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def terminal_key():
    return read_key_file(SIMULATOR_KEY)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def settings():
    return OutboxSettings(max_attempts=4, backoff_base_s=2.0, backoff_cap_s=10.0, retention_days=30)


@pytest.fixture
def outbox(tmp_path, terminal_key, settings, clock):
    box = Outbox.open(tmp_path / "data", terminal_key, settings, clock=clock, rng=random.Random(7))
    yield box
    box.close()
