"""批量新办 · 批量补换 at the simulated centre: an employer's batch record and its people
(docs/centre-api.yaml: submitBatch, listBatches, batchStatus, submitBatchApplication).

The record and the people arrive separately from a kiosk's outbox, in either order; both name
the batch by the serial of the batch voucher, and the first to arrive opens the batch. Each
person is an application like any other in the store's `applications` table (with a new card
behind it), so status queries treat it as they treat a new card. Like the store, it keeps no
personal data: the handler and each person appear only as `person_hash`.
"""

from __future__ import annotations

import json
from typing import Any

from hwsim.centre.contract import Reply, error
from hwsim.centre.extension import StoreExtension
from hwsim.centre.store import iso
from kiosk.domain.employer import InvalidCreditCode, parse_credit_code

ID_SIDES = ({"id_front", "id_back"}, {"id_both"})

SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    batch_serial TEXT PRIMARY KEY, kind TEXT NOT NULL, employer_uscc TEXT NOT NULL, opened_at REAL NOT NULL,
    reference TEXT UNIQUE, employer_name TEXT, handler TEXT, handler_proof TEXT, package_digest TEXT,
    submitted INTEGER, left_out INTEGER, received_at REAL, letter TEXT) STRICT;
CREATE TABLE IF NOT EXISTS batch_people (
    batch_serial TEXT NOT NULL, person TEXT NOT NULL, row INTEGER NOT NULL, reference TEXT NOT NULL,
    PRIMARY KEY (batch_serial, person)) STRICT;
"""


def uscc_is_valid(code: str) -> bool:
    """The GB 32100 check character (the 18th) fits the first 17 (the document checked the shape)."""
    try:
        parse_credit_code(code)
    except InvalidCreditCode:
        return False
    return True


class Batches(StoreExtension):
    SCHEMA = SCHEMA

    def _batch(self, serial: str) -> Any | None:
        return self._db.execute("SELECT * FROM batches WHERE batch_serial = ?", [serial]).fetchone()

    def _open(self, serial: str, kind: str, uscc: str) -> tuple[Any | None, Reply | None]:
        """The batch of `serial`, opened now if nothing of it arrived yet; refused when it is
        another kind or another employer's."""
        batch = self._batch(serial)
        if batch is None:
            self._db.execute("INSERT INTO batches (batch_serial, kind, employer_uscc, opened_at) VALUES (?, ?, ?, ?)",
                             [serial, kind, uscc, self.store.clock.now()])  # fmt: skip
            return self._batch(serial), None
        if (batch["kind"], batch["employer_uscc"]) != (kind, uscc):
            return None, error(422, "batch_mismatch", "this batch_serial belongs to a batch of another kind or employer")
        return batch, None

    # --- the record --------------------------------------------------------------------

    def submit(self, body: dict[str, Any], _terminal_id: str | None) -> Reply:
        """Runs inside the store's idempotent transaction."""
        employer = body["employer"]
        if not uscc_is_valid(employer["uscc"]):
            return error(422, "bad_uscc", "employer.uscc fails its GB 32100 check character")
        letter, problem = self.store._attachments(body["attachments"])
        if problem:
            return problem
        if [a["name"] for a in letter] != ["employer_letter"]:
            return error(422, "missing_letter", "the batch needs the employer's letter as attachment employer_letter")
        batch, problem = self._open(body["batch_serial"], body["kind"], employer["uscc"])
        if problem:
            return problem
        if batch["reference"] is not None:
            return error(422, "batch_recorded", "a batch with this batch_serial is recorded already")
        reference = self.store._next("batch", "B")
        now = self.store.clock.now()
        self._db.execute(
            "UPDATE batches SET reference = ?, employer_name = ?, handler = ?, handler_proof = ?, package_digest = ?,"
            " submitted = ?, left_out = ?, received_at = ?, letter = ? WHERE batch_serial = ?",
            [reference, employer.get("name"), self.store.person(body["handler"]["id_number"]), body["handler_proof"],
             body["package_digest"], body["people"]["submitted"], body["people"]["left_out"], now,
             json.dumps(letter), body["batch_serial"]],
        )  # fmt: skip
        return 201, {"reference": reference, "batch_serial": body["batch_serial"], "status": "received", "received_at": iso(now)}

    # --- one person --------------------------------------------------------------------

    def submit_person(self, body: dict[str, Any], terminal_id: str | None) -> Reply:
        """Runs inside the store's idempotent transaction."""
        if not uscc_is_valid(body["employer_uscc"]):
            return error(422, "bad_uscc", "employer_uscc fails its GB 32100 check character")
        names = {a["name"] for a in body["attachments"]}
        if len(names) != len(body["attachments"]):
            return error(422, "duplicate_attachment", "each attachment name may appear once")
        problem = self._images_problem(body, names)
        if problem:
            return problem
        serial = body["batch_serial"]
        batch, problem = self._open(serial, body["kind"], body["employer_uscc"])
        if problem:
            return problem
        person = self.store.person(body["applicant"]["id_number"])
        if self._db.execute("SELECT 1 FROM batch_people WHERE batch_serial = ? AND person = ?", [serial, person]).fetchone():
            return error(422, "already_in_batch", "this person is in the batch already")
        application = {
            "service": body["kind"], "applicant": body["applicant"], "bank": body["bank"],
            "voucher_serial": serial, "attachments": body["attachments"],
        }  # fmt: skip
        status, receipt = self.store.submit_application(application, terminal_id)
        if status != 201:
            return status, receipt
        self._db.execute("INSERT INTO batch_people VALUES (?, ?, ?, ?)", [serial, person, body["row"], receipt["reference"]])
        return 201, {**receipt, "batch_serial": serial}

    @staticmethod
    def _images_problem(body: dict[str, Any], names: set[str]) -> Reply | None:
        """What seed 003 1.2.1 / 3.2.1 asks of a person's images."""
        if body.get("minor", False):
            if not names & {"household_own", "household_change"}:
                return error(422, "missing_register_page", "a child under 16 needs a household-register page")
            return None
        if not any(sides <= names for sides in ID_SIDES):
            return error(422, "missing_id_images", "an adult needs id_front and id_back, or id_both")
        photo_needed = body["kind"] == "batch_new" or body.get("photo_change", False)
        if photo_needed and "photo" not in names:
            return error(422, "missing_photo", "an adult's new card needs a photo")
        return None

    # --- what the centre holds -----------------------------------------------------------

    def _summary(self, batch: Any) -> dict[str, Any]:
        received = self._db.execute("SELECT count(*) FROM batch_people WHERE batch_serial = ?", [batch["batch_serial"]]).fetchone()[0]
        return {
            "batch_serial": batch["batch_serial"],
            "reference": batch["reference"],
            "kind": batch["kind"],
            "employer_uscc": batch["employer_uscc"],
            "employer_name": batch["employer_name"],
            "recorded": batch["reference"] is not None,
            "people_submitted": batch["submitted"],
            "people_left_out": batch["left_out"],
            "people_received": received,
            "received_at": None if batch["received_at"] is None else iso(batch["received_at"]),
        }

    def listed(self, _body: Any = None, _terminal_id: str | None = None) -> Reply:
        with self.store._lock:
            rows = self._db.execute("SELECT * FROM batches ORDER BY opened_at DESC, batch_serial DESC").fetchall()
            return 200, {"batches": [self._summary(b) for b in rows]}

    def status(self, serial: str) -> Reply:
        with self.store._lock:
            batch = self._batch(serial)
            if batch is None:
                return error(404, "unknown_batch", "nothing of this batch has arrived")
            people = self._db.execute(
                "SELECT p.row, p.reference, a.* FROM batch_people p JOIN applications a ON a.reference = p.reference"
                " WHERE p.batch_serial = ? ORDER BY p.row", [serial]
            ).fetchall()  # fmt: skip
            applications = [{"row": p["row"], "reference": p["reference"], "status": self.store._state(p)} for p in people]
            return 200, {**self._summary(batch), "applications": applications}
