"""Every personal value the simulators and the flow tests use, and the check that a text holds
none of them: the people on the simulated ID reader, the card profiles' holders, the centre
simulator's people on record, the flow tests' typed values, and whatever a session told
`logs.session_secrets` while it ran (recorded by `recording_session_secrets`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hwsim.card.profile import load_profile
from hwsim.centre.extension import people_in
from kiosk import logs
from tests.flows import journeys

CARD_PROFILES = Path(__file__).resolve().parents[2] / "hardware-sim" / "hwsim" / "card" / "profiles"
CENTRE_PEOPLE = Path(__file__).resolve().parents[2] / "hardware-sim" / "hwsim" / "centre"
MIN_LENGTH = 4  # shorter values (a 2-character name's surname) say nothing on their own


def simulator_people_values() -> set[str]:
    values = {journeys.PHONE, journeys.PASSPORT, journeys.PASSPORT_NAME, journeys.PASSPORT_CHINESE_NAME}
    for person in journeys.people().values():
        values |= {person.id_number, person.fields.get("name", ""), person.fields.get("address", "")}
    for path in sorted(CARD_PROFILES.glob("*.toml")):
        profile = load_profile(path)
        values |= {profile.holder_name, profile.social_security_number, profile.card_number}
    for path in sorted(CENTRE_PEOPLE.glob("*_people.toml")):
        for person in people_in(path):
            values |= {str(person.get(key, "")) for key in ("id_number", "name", "address", "phone", "card_number")}
    return {v for v in values if len(v) >= 2}


@pytest.fixture
def recording_session_secrets(monkeypatch) -> set[str]:
    """The forms of every value a session masked in the logs, kept past its `clear()`."""
    seen: set[str] = set()
    clear = logs.session_secrets.clear

    def keep_then_clear() -> None:
        seen.update(logs.session_secrets._forms)
        clear()

    monkeypatch.setattr(logs.session_secrets, "clear", keep_then_clear)
    yield seen
    seen.update(logs.session_secrets._forms)


def personal_values_in(text: str, values: set[str]) -> list[str]:
    """The values found in `text`, each cut to its first two characters (for the failure message)."""
    return sorted(f"{v[:2]}…" for v in values if v and (len(v) >= MIN_LENGTH or not v.isascii()) and v in text)
