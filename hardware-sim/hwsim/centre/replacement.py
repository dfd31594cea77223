"""补领 · 换领 · 换发 at the simulated centre: the card record a replacement needs, and the
replacement application itself (docs/centre-api.yaml, `replacementRecord` and
`submitReplacement`).

It keeps its own tables beside the store's (a card's bank, the photo on record, what each
replacement asked for) and its own people (replacement_people.toml); a replacement is an
application like any other in the store's `applications` table, with a new third-generation
card behind it, so status queries and activation treat it as they treat a new card.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Callable

from hwsim.centre.contract import Reply, error
from hwsim.centre.extension import StoreExtension, people_in
from kiosk.domain.identity import gb11643_check_character

PEOPLE_FILE = Path(__file__).with_name("replacement_people.toml")

# The reasons of each kind; a reason of another kind is refused.
KIND_OF_REASON = {"lost": "reissue", "damaged": "replace", "expired": "replace", "new_generation": "upgrade"}
PHOTO_CHOICES = ("on_record", "new", "none")
APPLICATION_FIELDS = ("role", "applicant", "guardian", "proxy", "bank", "outlet_id", "terminal_id", "voucher_serial", "pickup", "attachments")
LIVE = ("active", "reported_lost", "temporarily_lost", "not_activated")  # cards a new one may replace

SCHEMA = """
CREATE TABLE IF NOT EXISTS card_banks (card_number TEXT PRIMARY KEY, bank TEXT) STRICT;
CREATE TABLE IF NOT EXISTS photos_on_record (person TEXT PRIMARY KEY, taken_on TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS replacements (
    reference TEXT PRIMARY KEY, kind TEXT NOT NULL, reason TEXT NOT NULL, old_card TEXT,
    photo TEXT NOT NULL, bank TEXT NOT NULL, role TEXT NOT NULL, helper TEXT) STRICT;
"""


def full_id_number(number: str) -> str:
    """17 digits get their check character; 18 characters are taken as they are."""
    return number + gb11643_check_character(number) if len(number) == 17 else number


class Replacements(StoreExtension):
    SCHEMA = SCHEMA

    # --- people ------------------------------------------------------------------------

    def seed(self, path: Path = PEOPLE_FILE) -> int:
        """The people of `path` on record: their cards, banks and photos. Known cards keep their state."""
        people = people_in(path)
        added = 0
        for person in people:
            number = full_id_number(person["id_number"])
            for card in person["cards"]:
                added += self.store.add_card(
                    card["card_number"], number, card["status"], generation=card["generation"], source=f"people:{person['key']}"
                )
                self.set_bank(card["card_number"], card.get("bank"))
            if "photo_taken_on" in person:
                self.set_photo(number, person["photo_taken_on"])
        return added

    def set_bank(self, card_number: str, bank: str | None) -> None:
        with self.store._lock:
            self._db.execute("INSERT OR IGNORE INTO card_banks VALUES (?, ?)", [card_number, bank])

    def set_photo(self, id_number: str, taken_on: date | str) -> None:
        with self.store._lock:
            self._db.execute(
                "INSERT INTO photos_on_record VALUES (?, ?) ON CONFLICT (person) DO UPDATE SET taken_on = excluded.taken_on",
                [self.store.person(id_number), str(taken_on)],
            )

    # --- what a replacement needs to know ------------------------------------------------

    def _cards(self, person: str) -> list[Any]:
        return self._db.execute("SELECT * FROM cards WHERE person = ? ORDER BY card_number", [person]).fetchall()

    def _current(self, person: str) -> Any | None:
        """The card a new one would replace: the one in use, else a lost one, else one not yet enabled."""
        live = [c for c in self._cards(person) if c["status"] in LIVE and self.store._issued(c)]
        return min(live, key=lambda c: (LIVE.index(c["status"]), c["card_number"]), default=None)

    def _bank(self, card_number: str) -> str | None:
        row = self._db.execute("SELECT bank FROM card_banks WHERE card_number = ?", [card_number]).fetchone()
        return row[0] if row else None

    def _photo(self, person: str) -> str | None:
        row = self._db.execute("SELECT taken_on FROM photos_on_record WHERE person = ?", [person]).fetchone()
        return row[0] if row else None

    def _third_generation_cards(self, person: str) -> int:
        return self._db.execute("SELECT count(*) FROM cards WHERE person = ? AND generation = 3", [person]).fetchone()[0]

    def record(self, id_hash: str) -> Reply:
        with self.store._lock:
            cards = self._cards(id_hash)
            if not cards:
                return error(404, "no_card_on_record", "this person has no card on record")
            current = self._current(id_hash)
            card = None
            if current is not None:
                card = {"card_number": current["card_number"], "generation": current["generation"],
                        "status": current["status"], "bank": self._bank(current["card_number"])}  # fmt: skip
            photo = self._photo(id_hash)
            return 200, {
                "card": card,
                "photo_on_record": {"taken_on": photo} if photo else None,
                "third_generation_cards": self._third_generation_cards(id_hash),
            }

    # --- the application -----------------------------------------------------------------

    def submit(self, body: dict[str, Any], terminal_id: str | None) -> Reply:
        """Runs inside the store's idempotent transaction."""
        kind, reason = body.get("kind"), body.get("reason")
        if kind not in set(KIND_OF_REASON.values()):
            return error(422, "unknown_kind", "kind must be one of reissue, replace, upgrade")
        if KIND_OF_REASON.get(reason) != kind:
            return error(422, "reason_does_not_fit", "reason must be one of the kind's reasons")
        applicant = body.get("applicant") if isinstance(body.get("applicant"), dict) else {}
        for name in ("id_number", "name"):
            if not isinstance(applicant.get(name), str) or not applicant[name].strip():
                return error(422, "missing_field", f"applicant.{name} is required")
        role, helper, problem = self._helper(body, applicant["id_number"])
        if problem:
            return problem
        person = self.store.person(applicant["id_number"])
        old, problem = self._old_card(body.get("card_number"), person)
        if problem:
            return problem
        if kind == "reissue" and old["status"] != "reported_lost":
            if body.get("loss_report_in_visit"):  # on its way from the same kiosk: wait for it
                return error(503, "loss_report_not_arrived", "the loss report of this visit has not arrived; retry later")
            return error(422, "card_not_reported_lost", "a reissue needs the card reported lost first")
        if kind == "upgrade" and old["generation"] >= 3:
            return error(422, "already_third_generation", "the card is a third-generation card already")
        photo = body.get("photo")
        attachments, problem = self.store._attachments(body.get("attachments", []))
        if problem:
            return problem
        names = {a["name"] for a in attachments}
        if photo not in PHOTO_CHOICES:
            return error(422, "bad_photo", "photo is on_record, new or none")
        if photo == "on_record" and self._photo(person) is None:
            return error(422, "no_photo_on_record", "there is no photo on record to keep")
        if photo == "new" and "photo" not in names:
            return error(422, "missing_photo", "photo new needs an attachment named photo")
        if photo == "none" and role != "minor":
            return error(422, "photo_required", "only a child's card may be made without a photo")
        bank = body["bank"]  # its form (and the pickup's) the contract checked (docs/centre-api.yaml)
        # The new card is an application like a new-card one (docs/centre-api.yaml, Application).
        application = {k: body[k] for k in APPLICATION_FIELDS if k in body} | {"service": kind}
        status, receipt = self.store.submit_application(application, terminal_id)
        if status != 201:
            return status, receipt
        reference = receipt["reference"]
        card_number = self._db.execute("SELECT card_number FROM cards WHERE application = ?", [reference]).fetchone()[0]
        self._db.execute("INSERT INTO card_banks VALUES (?, ?)", [card_number, bank])
        if photo == "new":
            self.set_photo(applicant["id_number"], date.fromtimestamp(self.store.clock.now()))
        self._db.execute(
            "INSERT INTO replacements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [reference, kind, reason, old["card_number"], photo, bank, role, helper],
        )
        return 201, {**receipt, "kind": kind, "replaces": old["card_number"]}

    def _helper(self, body: dict[str, Any], applicant_number: str) -> tuple[str, str | None, Reply | None]:
        """The role and the person hash of the guardian or proxy, who is never the applicant."""
        role = body.get("role", "self")
        wanted = {"minor": "guardian", "proxy": "proxy"}.get(role)
        if role not in ("self", "minor", "proxy"):
            return role, None, error(422, "bad_role", "role is self, minor or proxy")
        if wanted is None:
            return role, None, None
        helper = body.get(wanted)
        number = helper.get("id_number") if isinstance(helper, dict) else None
        if not isinstance(number, str) or not number.strip():
            return role, None, error(422, "helper_required", f"role {role} comes with the {wanted}")
        if self.store.person(number) == self.store.person(applicant_number):
            return role, None, error(422, "helper_is_applicant", f"the {wanted} must be someone other than the applicant")
        return role, self.store.person(number), None

    def _old_card(self, card_number: Any, person: str) -> tuple[Any | None, Reply | None]:
        """The card being replaced: the one named (it must be the applicant's), else the current one."""
        if card_number is None:
            card = self._current(person)
            if card is None:
                return None, error(404, "no_card_on_record", "the applicant has no card a new one could replace")
            return card, None
        card = self.store._card(str(card_number))
        if card is None or not self.store._issued(card):
            return None, error(404, "unknown_card", "no such card on record")
        if card["person"] != person:
            return None, error(422, "not_the_holder", "the card belongs to someone else")
        if card["status"] not in LIVE:
            return None, error(422, f"card_{card['status']}", f"a card that is {card['status']} cannot be replaced")
        return card, None

    def listed(self) -> list[dict[str, Any]]:
        """For the control socket and tests: what was asked for, without personal data."""
        with self.store._lock:
            rows = self._db.execute("SELECT * FROM replacements ORDER BY reference").fetchall()
            return [{k: r[k] for k in r.keys() if k != "helper"} | {"helper": r["helper"] is not None} for r in rows]
