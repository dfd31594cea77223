"""The card services' flow tests on the in-process fakes: no pcscd, no pty, no simulator process.

The same small surface tests/flows/card_rig.py's simulator rig gives those tests — a card put in
by its simulator profile name, an ID card placed by person key, the centre's store and its
down/up switch — built from the device fakes (kiosk/drivers/*/fake.py) and the centre
simulator serving HTTP on loopback from this process. The device protocols are tested in
tests/drivers/; a test module that imports `rig` and `services` from here tests the flow only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hwsim.card import crypto
from hwsim.card.profile import CardProfile, load_profile
from hwsim.centre.server import CentreSimulator
from hwsim.centre.store import CentreStore, SimClock
from hwsim.printer.model import PrinterModel
from kiosk.drivers.camera.fake import FakeCamera
from kiosk.drivers.card.fake import FakeCard, FakeCardReader
from kiosk.drivers.card.staff import StaffCredential
from kiosk.drivers.factory import Devices
from kiosk.drivers.id_reader.documents import parse_text
from kiosk.drivers.id_reader.fake import FakeIdReader
from kiosk.drivers.printer.fake import FakePrinter
from kiosk.flows.context import KioskServices
from tests.flows.card_rig import people
from tests.flows.conftest import FAST

SEXES = {1: "男", 2: "女"}  # GB/T 2261.1, as the profiles keep it


# What a simulator profile and a FakeCard both hold, under the same name.
SHARED_FIELDS = ("social_security_number", "card_number", "generation", "birth_date", "region_code",
                 "issue_date", "expiry_date", "pin", "pin_retry_limit", "pin_tries_left")  # fmt: skip


def fake_card(profile: CardProfile) -> FakeCard:
    """The card a simulator profile describes, as the fake reader holds it."""
    same = {name: getattr(profile, name) for name in SHARED_FIELDS}
    staff = StaffCredential(profile.staff_id, profile.staff_outlet) if "staff" in profile.applications else None
    return FakeCard(name=profile.holder_name, sex=SEXES.get(profile.sex), nation_code=f"{profile.nation:02d}", staff=staff, **same)


class CardSlot:
    """The card simulator's hand, on the fake reader: cards by profile name, kept across insertions."""

    def __init__(self) -> None:
        self.reader = FakeCardReader(reload_opener=self._open_reload_block)
        self.chips: dict[str, FakeCard] = {}
        self.profiles: dict[str, CardProfile] = {}

    def insert(self, profile: str, slot: int = 0) -> dict:
        if profile not in self.chips:
            self.profiles[profile] = load_profile(profile)
            self.chips[profile] = fake_card(self.profiles[profile])
            self.chips[profile].profile = self.profiles[profile]  # what the simulator's chip state offers
        self.reader.insert(self.chips[profile])
        return {"seen_by_reader": True}

    def remove(self, slot: int = 0, *, during_next_command: bool = False) -> None:
        self.reader.remove(during_next_command=during_next_command)

    def _open_reload_block(self, challenge: bytes, block: bytes) -> str | None:
        """The centre's reload block, opened with the key of the card in the reader (as its chip does)."""
        card = self.reader.card
        return crypto.open_reload_block(card.profile.reload_key, challenge, block) if card is not None else None


class IdCards:
    """ID cards by person key, on the fake ID reader."""

    def __init__(self) -> None:
        self.reader = FakeIdReader()
        self.people = people()

    def insert(self, key: str) -> None:
        self.reader.place(parse_text(self.people[key].text_block()))

    def remove(self) -> None:
        self.reader.take_away()


class FakeRig:
    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self.card = CardSlot()
        self.id_reader = IdCards()
        self.printer = FakePrinter()
        self._store = CentreStore(state_dir / "centre", SimClock(60.0))
        self._store.seed_from_profiles()
        self.centre = CentreSimulator(self._store)
        self.centre.up()

    def devices(self) -> Devices:
        return Devices(self.id_reader.reader, self.printer, self.card.reader, FakeCamera)

    def close(self) -> None:
        self.centre.down()
        self._store.close()


@pytest.fixture
def rig(tmp_path):
    running = FakeRig(tmp_path / "sim-state")
    yield running
    running.close()


@pytest.fixture
def services(rig, config):
    built = KioskServices.build(config, timeouts=FAST, devices=rig.devices())
    yield built
    built.close()


def printed_jobs(rig: FakeRig, count: int = 1, timeout: float = 0.0) -> list[dict]:
    """The fake printer's jobs as the printer simulator writes them (text lines, QR codes):
    its ESC/POS model reads back what the kiosk sent. No waiting (`count` and `timeout` are
    conftest.printed_jobs' own): every job is in as the flow returns."""
    jobs: list[dict] = []
    model = PrinterModel(sink=lambda job: jobs.append(job.summary()))
    for job in rig.printer.printed:
        model.receive(job)
    return jobs
