"""信息变更 at the simulated centre: the postal address and mobile phone on record for a
cardholder, and the change of either (docs/centre-api.yaml, `contactRecord` and
`submitContactChange`).

Unlike the store, which keeps people only as hashes, a centre must hand the contact data
back, so this table keeps the address line and the phone as they are (made-up people only:
contact_people.toml). Only cardholders have contact data; a change names what actually
differed, so a kiosk that could not look first and sent the phone already on record changes
nothing and is not refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hwsim.centre.contract import Reply, error
from hwsim.centre.replacement import full_id_number
from hwsim.centre.extension import StoreExtension, people_in
from hwsim.centre.store import iso

PEOPLE_FILE = Path(__file__).with_name("contact_people.toml")

SCHEMA = """
CREATE TABLE IF NOT EXISTS contacts (
    person TEXT PRIMARY KEY, address TEXT, phone TEXT, updated_at REAL) STRICT;
CREATE TABLE IF NOT EXISTS contact_changes (
    reference TEXT PRIMARY KEY, person TEXT NOT NULL, changed TEXT NOT NULL, identified_by TEXT NOT NULL,
    at REAL NOT NULL, terminal_id TEXT, voucher_serial TEXT, attachments TEXT NOT NULL) STRICT;
"""


def address_line(address: dict[str, str]) -> str:
    """The one line the centre keeps: city, district, street, then what the resident wrote."""
    return "".join(address.get(part, "") for part in ("city", "district", "street", "rest"))


class Contacts(StoreExtension):
    SCHEMA = SCHEMA

    def seed(self, path: Path = PEOPLE_FILE) -> int:
        """The contact data of `path` on record; what is there already (a change) stays."""
        people = people_in(path)
        added = 0
        with self.store._lock:
            for person in people:
                added += self._db.execute(
                    "INSERT OR IGNORE INTO contacts VALUES (?, ?, ?, NULL)",
                    [self.store.person(full_id_number(person["id_number"])), person.get("address"), person.get("phone")],
                ).rowcount
        return added

    def _has_card(self, person: str) -> bool:
        cards = self._db.execute("SELECT * FROM cards WHERE person = ?", [person]).fetchall()
        return any(self.store._issued(c) for c in cards)

    def _on_record(self, person: str) -> dict[str, Any]:
        row = self._db.execute("SELECT * FROM contacts WHERE person = ?", [person]).fetchone()
        if row is None:
            return {"address": None, "phone": None, "updated_at": None}
        updated = row["updated_at"]
        return {"address": row["address"], "phone": row["phone"], "updated_at": iso(updated) if updated is not None else None}

    def record(self, id_hash: str) -> Reply:
        with self.store._lock:
            if not self._has_card(id_hash):
                return error(404, "no_card_on_record", "the centre has no card, so no contact data, for this person")
            return 200, self._on_record(id_hash)

    def submit(self, body: dict[str, Any], terminal_id: str | None) -> Reply:
        """Runs inside the store's idempotent transaction; the document checked the body's form."""
        person = self.store.person(body["id_number"])
        if not self._has_card(person):
            return error(404, "no_card_on_record", "the centre has no card for this person")
        if "card_number" in body:
            card = self.store._card(body["card_number"])
            if card is None or not self.store._issued(card):
                return error(404, "unknown_card", "card_number names no issued card")
            if card["person"] != person:
                return error(422, "not_the_holder", "card_number is not the card of id_number's person")
        attachments, problem = self.store._attachments(body.get("attachments", []))
        if problem:
            return problem
        before = self._on_record(person)
        wanted = {"phone": body.get("phone"), "address": address_line(body["address"]) if "address" in body else None}
        changed = sorted(name for name, value in wanted.items() if value is not None and value != before[name])
        now = self.store.clock.now()
        if changed:
            after = {name: wanted[name] if name in changed else before[name] for name in ("address", "phone")}
            self._db.execute(
                "INSERT INTO contacts VALUES (?, ?, ?, ?) ON CONFLICT (person) DO UPDATE SET "
                "address = excluded.address, phone = excluded.phone, updated_at = excluded.updated_at",
                [person, after["address"], after["phone"], now],
            )
        reference = self.store._next("contact_change", "K")
        self._db.execute(
            "INSERT INTO contact_changes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [reference, person, json.dumps(changed), body["identified_by"], now, terminal_id or body.get("terminal_id"),
             body.get("voucher_serial"), json.dumps([a["name"] for a in attachments])],
        )  # fmt: skip
        return 201, {"reference": reference, "changed": changed, "received_at": iso(now)}

    def listed(self) -> list[dict[str, Any]]:
        """For the control socket and tests: what changed, when and how, without personal data."""
        with self.store._lock:
            rows = self._db.execute("SELECT * FROM contact_changes ORDER BY reference").fetchall()
            return [{k: r[k] for k in r.keys() if k != "person"} | {"changed": json.loads(r["changed"]),
                     "attachments": json.loads(r["attachments"])} for r in rows]  # fmt: skip
