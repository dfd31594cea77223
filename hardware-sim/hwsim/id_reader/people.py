"""The people whose cards the simulator holds, loaded from a data file (people.json).

ID numbers are computed, never typed: region + birth date + sequence + the real check
character, so every fixture passes the same check the kiosk applies. Dates may be relative
to the day the simulator runs ("today-9y-35d"), so the minor stays a minor.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from kiosk.domain.identity import IdKind, gb11643_check_character, icao_check_digit
from kiosk.drivers.id_reader.documents import NO_EXPIRY, SEX_CODES, encode_text, stored_date
from kiosk.drivers.id_reader.reader import FINGERPRINT_LENGTH, PHOTO_LENGTH

PEOPLE_FILE = Path(__file__).with_name("people.json")

_RELATIVE = re.compile(r"today((?:[+-]\d+[ymd])*)")
_STEP = re.compile(r"([+-])(\d+)([ymd])")


class FixtureError(ValueError):
    """A people file that describes an impossible card."""


def resolve_date(text: str, today: date) -> date:
    """`YYYY-MM-DD`, or `today` shifted by years, months and days (`today-9y-35d`)."""
    match = _RELATIVE.fullmatch(text)
    if not match:
        return date.fromisoformat(text)
    day = today
    for sign, amount, unit in _STEP.findall(match.group(1)):
        n = int(amount) * (1 if sign == "+" else -1)
        if unit == "d":
            day += timedelta(days=n)
        else:
            months = day.year * 12 + day.month - 1 + (n * 12 if unit == "y" else n)
            year, month = divmod(months, 12)
            day = _clamped(year, month + 1, day.day)
    return day


def _clamped(year: int, month: int, dom: int) -> date:
    while True:
        try:
            return date(year, month, dom)
        except ValueError:
            dom -= 1  # 29 February in a common year, 31st in a short month


@dataclass(frozen=True)
class Person:
    key: str
    note: str
    kind: IdKind
    fields: dict[str, str]  # as stored on the card, for documents.encode_text

    @property
    def id_number(self) -> str:
        return self.fields["id_number"]

    def text_block(self) -> bytes:
        return encode_text(self.kind, self.fields)

    def photo(self) -> bytes:
        """Opaque stand-in for the WLT photo: WLT cannot be produced without the vendor library."""
        return _opaque_bytes(f"photo:{self.key}", PHOTO_LENGTH)

    def fingerprints(self) -> bytes:
        return _opaque_bytes(f"fingerprints:{self.key}", FINGERPRINT_LENGTH)

    def __repr__(self) -> str:  # fixtures are made up, but keep the habit: no names in reprs
        return f"Person({self.key!r}, {self.kind})"


def _opaque_bytes(seed: str, length: int) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return out[:length]


def load_people(path: Path | str = PEOPLE_FILE, today: date | None = None) -> dict[str, Person]:
    today = today or date.today()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    people: dict[str, Person] = {}
    for entry in data["people"]:
        key = entry.get("key", "?")
        try:
            person = _person(entry, today)
        except (KeyError, ValueError) as exc:
            raise FixtureError(f"{path}: person {key!r}: {exc}") from None
        if person.key in people:
            raise FixtureError(f"{path}: person {key!r} appears twice")
        people[person.key] = person
    return people


def _person(entry: dict, today: date) -> Person:
    kind = IdKind(entry["doc_type"])
    sex = entry["sex"]
    if sex not in SEX_CODES:
        raise ValueError(f"sex code {sex!r} is not one of {sorted(SEX_CODES)}")
    birth = resolve_date(entry["birth"], today)
    sequence = entry["sequence"]
    if sex in ("1", "2") and int(sequence[-1]) % 2 != (sex == "1"):
        raise ValueError("the sequence's last digit must be odd for a man, even for a woman")
    valid_to = None if entry["valid_to"] == NO_EXPIRY else resolve_date(entry["valid_to"], today)
    fields = {
        "sex": sex,
        "birth_date": stored_date(birth),
        "valid_from": stored_date(resolve_date(entry["valid_from"], today)),
        "valid_to": stored_date(valid_to),
    }
    if kind is IdKind.FOREIGN_PERMANENT:
        body = entry["nationality"] + entry["region"] + birth.strftime("%y%m%d") + sequence
        if len(body) != 14:
            raise ValueError("a 2017 permanent residence number needs 3 letters, 4 + 6 + 1 digits")
        fields.update(
            id_number=body + icao_check_digit(body),
            english_name=entry["english_name"],
            chinese_name=entry.get("chinese_name", ""),
            nationality=entry["nationality"],
            card_version=entry["card_version"],
            authority_code=entry["authority_code"],
        )
    else:
        body = entry["region"] + birth.strftime("%Y%m%d") + sequence
        fields.update(
            id_number=body + gb11643_check_character(body),
            name=entry["name"],
            address=entry["address"],
            issuing_authority=entry["issuing_authority"],
        )
        if kind is IdKind.RESIDENT:
            fields["nation"] = entry["nation"]
        else:
            fields.update(pass_number=entry["pass_number"], issue_count=entry["issue_count"])
    person = Person(entry["key"], entry.get("note", ""), kind, fields)
    person.text_block()  # every field fits its slot, or the file is wrong
    return person
