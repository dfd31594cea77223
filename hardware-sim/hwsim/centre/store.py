"""The simulated card centre's records and rules, behind docs/centre-api.yaml.

Every operation returns (HTTP status, JSON body); the server only moves bytes. The operations
see only requests that docs/centre-api.yaml allows (contract.py checks each one first), so
they apply the centre's own rules and never re-check a field's shape. State lives in
SQLite in the simulator's state directory, so a restarted centre still knows what it
received. It keeps what a centre needs to answer later questions and nothing more: people
appear only as `person_hash`, attachments only as name, size and SHA-256 digest, PINs never.

Applications move received → in_production → ready_for_pickup → collected on a simulated
clock that runs `clock_speed` times faster than real time (and jumps with `advance`);
activating the new card collects it at once. Cards on record come from applications and from
the card simulator's profiles (hwsim/card/profiles), whose `centre_status` says what the centre
knows about each card and whose reload key the PIN-reset "HSM" uses.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import sqlite3
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from hwsim.card.crypto import RELOAD_HEADER, TEST_RELOAD_KEY, reload_block
from hwsim.centre.contract import Reply, error
from kiosk.centre.api import APPLICATION_STATES, person_hash, person_hash_key

log = logging.getLogger(__name__)

# Simulated seconds after receipt at which an application enters each later state.
DEFAULT_STAGES = {"in_production": 600.0, "ready_for_pickup": 3600.0, "collected": 72 * 3600.0}
CARD_STATES = ("not_activated", "active", "reported_lost", "temporarily_lost", "cancelled", "replaced")

SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    idempotency_key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL, body TEXT NOT NULL, received_at REAL NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS applications (
    reference TEXT PRIMARY KEY, service TEXT NOT NULL, person TEXT NOT NULL,
    received_at REAL NOT NULL, collected_at REAL, card_number TEXT NOT NULL,
    pickup TEXT NOT NULL, attachments TEXT NOT NULL, terminal_id TEXT, voucher_serial TEXT) STRICT;
CREATE TABLE IF NOT EXISTS cards (
    card_number TEXT PRIMARY KEY, person TEXT NOT NULL, status TEXT NOT NULL,
    generation INTEGER NOT NULL, application TEXT, reload_key TEXT NOT NULL, source TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS events (
    reference TEXT PRIMARY KEY, kind TEXT NOT NULL, card_number TEXT NOT NULL,
    at REAL NOT NULL, previous_status TEXT, closed_by TEXT, proxy TEXT) STRICT;
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT;
"""


class SimClock:
    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("the clock speed must be positive")
        self.speed = speed
        self._start = time.time()
        self._offset = 0.0

    def now(self) -> float:
        return self._start + (time.time() - self._start) * self.speed + self._offset

    def advance(self, seconds: float) -> float:
        self._offset += seconds
        return self.now()


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds")


class CentreStore:
    def __init__(
        self, state_dir: str | Path, clock: SimClock, stages: dict[str, float] | None = None, *,
        person_secret: bytes | None = None,
    ) -> None:
        """`person_secret`: the person-lookup secret this centre hands its terminals at
        enrolment (default: the simulator directory's test CA holds it)."""
        from hwsim.centre.test_ca import simulator_ca

        self.person_secret = person_secret if person_secret is not None else simulator_ca().person_lookup_secret()
        person_hash_key(self.person_secret)  # refuses a short secret now, not on the first request
        self.clock = clock
        self.stages = {**DEFAULT_STAGES, **(stages or {})}
        Path(state_dir).mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(Path(state_dir) / "centre.sqlite3", isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        if "proxy" not in {row["name"] for row in self._db.execute("PRAGMA table_info(events)")}:
            self._db.execute("ALTER TABLE events ADD COLUMN proxy TEXT")  # a store from before proxies
        self._lock = threading.RLock()  # one request at a time: the simulator's "serialisable"

    def person(self, id_number: str) -> str:
        """How the records name a person: the keyed person_hash the terminals send in URLs."""
        return person_hash(id_number, self.person_secret)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # --- plumbing ----------------------------------------------------------------------

    def _next(self, name: str, prefix: str) -> str:
        value = self._db.execute(
            "INSERT INTO counters VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
            [name],
        ).fetchone()[0]
        return f"{prefix}{value:08d}"

    def idempotent(self, key: str, fingerprint: str, operation: Callable[[], Reply]) -> Reply:
        """Runs `operation` once per idempotency key; a repeat gets the first answer back."""
        with self._lock:
            row = self._db.execute("SELECT * FROM requests WHERE idempotency_key = ?", [key]).fetchone()
            if row is not None:
                if row["fingerprint"] != fingerprint:
                    return error(422, "idempotency_key_reused", "this Idempotency-Key was used for another request")
                body = json.loads(row["body"])
                if 200 <= row["status"] < 300:
                    return 200, {**body, "duplicate": True}
                return row["status"], body
            self._db.execute("BEGIN IMMEDIATE")
            try:
                status, body = operation()
                if status < 500:
                    self._db.execute(
                        "INSERT INTO requests VALUES (?, ?, ?, ?, ?)",
                        [key, fingerprint, status, json.dumps(body), self.clock.now()],
                    )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return status, body

    def _card(self, card_number: str) -> sqlite3.Row | None:
        return self._db.execute("SELECT * FROM cards WHERE card_number = ?", [card_number]).fetchone()

    def _holder_card(self, card_number: str, body: dict[str, Any]) -> tuple[sqlite3.Row | None, Reply | None]:
        """The card, if it exists, is issued, and belongs to the person the body names."""
        problem = self._same_card(card_number, body)
        if problem:
            return None, problem
        card = self._card(card_number)
        if card is None or not self._issued(card):
            return None, error(404, "unknown_card", "no such card on record")
        if card["person"] != self.person(body["id_number"]):
            return None, error(422, "not_the_holder", "the card belongs to someone else")
        return card, None

    @staticmethod
    def _same_card(card_number: str, body: dict[str, Any]) -> Reply | None:
        """A body may repeat the card of the path (kiosks do); it may not name another."""
        if body.get("card_number", card_number) != card_number:
            return error(422, "card_number_mismatch", "card_number in the body is not the card of the path")
        return None

    def _issued(self, card: sqlite3.Row) -> bool:
        if card["application"] is None:
            return True
        app = self._db.execute("SELECT * FROM applications WHERE reference = ?", [card["application"]]).fetchone()
        return APPLICATION_STATES.index(self._state(app)) >= APPLICATION_STATES.index("ready_for_pickup")

    def _state(self, app: sqlite3.Row) -> str:
        if app["collected_at"] is not None:
            return "collected"
        elapsed = self.clock.now() - app["received_at"]
        state = "received"
        for name in ("in_production", "ready_for_pickup", "collected"):
            if elapsed >= self.stages[name]:
                state = name
        return state

    # --- cards from the card simulator's profiles ---------------------------------------

    def seed_from_profiles(self) -> int:
        """Cards the card simulator can insert are on record here; known cards keep their state."""
        from hwsim.card.profile import ProfileError, available_profiles, load_profile

        added = 0
        for name in available_profiles():
            try:
                profile = load_profile(name)
            except ProfileError as exc:
                log.warning("card profile %s skipped: %s", name, exc)
                continue
            added += self.add_card(
                profile.card_number,
                profile.social_security_number,
                profile.centre_status,
                generation=profile.generation,
                reload_key=profile.reload_key,
                source=f"profile:{name}",
            )
        return added

    def add_card(
        self,
        card_number: str,
        id_number: str,
        status: str = "active",
        *,
        generation: int = 3,
        reload_key: bytes = TEST_RELOAD_KEY,
        source: str = "added",
    ) -> int:
        if status not in CARD_STATES:
            raise ValueError(f"card status must be one of {', '.join(CARD_STATES)}")
        with self._lock:
            added = self._db.execute(
                "INSERT OR IGNORE INTO cards VALUES (?, ?, ?, ?, NULL, ?, ?)",
                [card_number, self.person(id_number), status, generation, reload_key.hex(), source],
            ).rowcount
            if added and status == "reported_lost":  # a card on record as lost has its open report
                self._event("loss_report", "L", card_number, self.clock.now(), "active")
            return added

    # --- applications ------------------------------------------------------------------

    def submit_application(self, body: dict[str, Any], terminal_id: str | None) -> Reply:
        attachments, problem = self._attachments(body.get("attachments", []))
        if problem:
            return problem
        pickup = body.get("pickup", {})
        pickup = {"method": pickup.get("method", "outlet"), "outlet_id": pickup.get("outlet_id") or body.get("outlet_id")}
        reference = self._next("application", "A")
        card_number = self._next("card", "C")
        person = self.person(body["applicant"]["id_number"])
        now = self.clock.now()
        self._db.execute(
            "INSERT INTO applications VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
            [reference, body["service"], person, now, card_number, json.dumps(pickup), json.dumps(attachments),
             terminal_id, body.get("voucher_serial")],
        )  # fmt: skip
        self._db.execute(
            "INSERT INTO cards VALUES (?, ?, 'not_activated', 3, ?, ?, 'application')",
            [card_number, person, reference, TEST_RELOAD_KEY.hex()],
        )
        return 201, {"reference": reference, "status": "received", "received_at": iso(now)}

    @staticmethod
    def _attachments(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], Reply | None]:
        """Name, type, size and digest of each attachment (the document makes `data` base64)."""
        names = [item["name"] for item in items]
        if len(set(names)) != len(names):
            return [], error(422, "duplicate_attachment", "each attachment name may appear once")
        kept = []
        for item in items:
            data = base64.b64decode(item["data"], validate=True)
            kept.append({"name": item["name"], "content_type": item.get("content_type", ""), "size": len(data),
                         "sha256": hashlib.sha256(data).hexdigest()})  # fmt: skip
        return kept, None

    def application(self, reference: str, terminal: str | None = None) -> Reply:
        """By reference: only to the terminal that submitted it (`terminal`), so references,
        which are sequential, cannot be walked from another terminal; the person's own
        lookup (`applications_of`) is not bound to a terminal."""
        with self._lock:
            app = self._db.execute("SELECT * FROM applications WHERE reference = ?", [reference]).fetchone()
            if app is None or (terminal is not None and app["terminal_id"] not in (None, terminal)):
                return error(404, "unknown_application", "no application with this reference")
            state = self._state(app)
            reply: dict[str, Any] = {
                "reference": reference,
                "service": app["service"],
                "status": state,
                "received_at": iso(app["received_at"]),
                "voucher_serial": app["voucher_serial"],
                "attachments": [{"name": a["name"], "size": a["size"]} for a in json.loads(app["attachments"])],
            }
            if state in ("ready_for_pickup", "collected"):
                reply["card_number"] = app["card_number"]
            if state == "ready_for_pickup":
                reply["pickup"] = json.loads(app["pickup"])
            return 200, reply

    def applications_of(self, id_hash: str) -> Reply:
        """A person's applications, newest first, each as `application` answers it."""
        with self._lock:
            refs = [r[0] for r in self._db.execute(
                "SELECT reference FROM applications WHERE person = ? ORDER BY received_at DESC, reference DESC", [id_hash]
            )]  # fmt: skip
            return 200, {"applications": [self.application(ref)[1] for ref in refs]}

    def applications(self) -> list[dict[str, Any]]:
        """For the control socket: what arrived, without personal data."""
        with self._lock:
            rows = self._db.execute("SELECT * FROM applications ORDER BY reference").fetchall()
            return [
                {"reference": r["reference"], "service": r["service"], "status": self._state(r),
                 "voucher_serial": r["voucher_serial"], "terminal_id": r["terminal_id"],
                 "attachments": [a["name"] for a in json.loads(r["attachments"])]}
                for r in rows
            ]  # fmt: skip

    # --- cards -------------------------------------------------------------------------

    def cards_of(self, id_hash: str) -> Reply:
        with self._lock:
            rows = self._db.execute("SELECT * FROM cards WHERE person = ? ORDER BY card_number", [id_hash]).fetchall()
            cards = [
                {"card_number": r["card_number"], "status": r["status"], "generation": r["generation"]}
                for r in rows
                if self._issued(r)
            ]
            return 200, {"cards": cards}

    def activate(self, card_number: str, body: dict[str, Any]) -> Reply:
        card, problem = self._holder_card(card_number, body)
        if problem:
            return problem
        if card["status"] == "active":
            return 200, {"reference": None, "card_number": card_number, "status": "active", "replaced_cards": []}
        if card["status"] != "not_activated":
            return error(422, f"card_{card['status']}", f"a card that is {card['status']} cannot be activated")
        replaced = [
            r[0] for r in self._db.execute(
                "SELECT card_number FROM cards WHERE person = ? AND card_number != ?"
                " AND status IN ('active', 'reported_lost', 'temporarily_lost')",
                [card["person"], card_number],
            )
        ]  # fmt: skip
        now = self.clock.now()
        self._db.executemany("UPDATE cards SET status = 'replaced' WHERE card_number = ?", [[c] for c in replaced])
        self._db.execute("UPDATE cards SET status = 'active' WHERE card_number = ?", [card_number])
        if card["application"]:
            self._db.execute("UPDATE applications SET collected_at = ? WHERE reference = ?", [now, card["application"]])
        reference = self._event("activation", "V", card_number, now)
        return 201, {"reference": reference, "card_number": card_number, "status": "active", "replaced_cards": replaced}

    def _event(
        self, kind: str, prefix: str, card_number: str, at: float, previous: str | None = None, proxy: str | None = None
    ) -> str:
        reference = self._next(kind, prefix)
        self._db.execute(
            "INSERT INTO events (reference, kind, card_number, at, previous_status, proxy) VALUES (?, ?, ?, ?, ?, ?)",
            [reference, kind, card_number, at, previous, proxy],
        )
        return reference

    def _proxy(self, body: dict[str, Any]) -> tuple[str | None, Reply | None]:
        """The person hash of the proxy the body names (None: the holder in person)."""
        if "proxy" not in body:
            return None, None
        proxy = self.person(body["proxy"]["id_number"])
        if proxy == self.person(body["id_number"]):
            return None, error(422, "proxy_is_holder", "the proxy must be someone other than the holder")
        return proxy, None

    def report_loss(self, body: dict[str, Any]) -> Reply:
        proxy, problem = self._proxy(body)
        if problem:
            return problem
        card_number = body.get("card_number")
        if card_number:
            card, problem = self._holder_card(card_number, body)
            if problem:
                return problem
        else:
            rows = [r for r in self._db.execute(
                "SELECT * FROM cards WHERE person = ? ORDER BY status = 'active' DESC, card_number DESC",
                [self.person(body["id_number"])],
            ) if self._issued(r) and r["status"] in ("active", "not_activated", "reported_lost", "temporarily_lost")]  # fmt: skip
            if not rows:
                return error(404, "no_card_on_record", "this person has no card that can be reported lost")
            card = rows[0]
        if card["status"] == "reported_lost":
            open_report = self._db.execute(
                "SELECT reference FROM events WHERE kind = 'loss_report' AND card_number = ? AND closed_by IS NULL",
                [card["card_number"]],
            ).fetchone()
            return 200, {"reference": open_report[0] if open_report else None, "card_number": card["card_number"],
                         "status": "reported_lost", "already_reported": True}  # fmt: skip
        if card["status"] not in ("active", "not_activated", "temporarily_lost"):
            return error(422, f"card_{card['status']}", f"a card that is {card['status']} cannot be reported lost")
        reference = self._event("loss_report", "L", card["card_number"], self.clock.now(), card["status"], proxy)
        self._db.execute("UPDATE cards SET status = 'reported_lost' WHERE card_number = ?", [card["card_number"]])
        return 201, {"reference": reference, "card_number": card["card_number"], "status": "reported_lost"}

    def cancel_loss(self, card_number: str, body: dict[str, Any]) -> Reply:
        card, problem = self._holder_card(card_number, body)
        if problem:
            return problem
        report = self._db.execute(
            "SELECT * FROM events WHERE kind = 'loss_report' AND card_number = ? AND closed_by IS NULL",
            [card_number],
        ).fetchone()
        if card["status"] != "reported_lost" or report is None:
            return error(422, "not_reported_lost", "this card has no open loss report")
        reference = self._event("loss_cancel", "U", card_number, self.clock.now())
        self._db.execute("UPDATE events SET closed_by = ? WHERE reference = ?", [reference, report["reference"]])
        restored = report["previous_status"] or "active"
        self._db.execute("UPDATE cards SET status = ? WHERE card_number = ?", [restored, card_number])
        return 201, {"reference": reference, "loss_report": report["reference"], "card_number": card_number, "status": restored}

    def record_pin_change(self, card_number: str, body: dict[str, Any]) -> Reply:
        """The document refuses a record that carries a PIN (`pin_not_accepted`)."""
        problem = self._same_card(card_number, body)
        if problem:
            return problem
        card = self._card(card_number)
        if card is None:
            return error(404, "unknown_card", "no such card on record")
        reference = self._event("pin_change", "P", card_number, self.clock.now())
        return 201, {"reference": reference, "card_number": card_number}

    def reset_pin(self, body: dict[str, Any]) -> Reply:
        card_number = body["card_number"]
        card, problem = self._holder_card(card_number, body)
        proxy, proxy_problem = self._proxy(body)
        if problem or proxy_problem:
            return problem or proxy_problem
        if card["status"] not in ("active", "not_activated"):
            return error(422, f"card_{card['status']}", f"the PIN of a card that is {card['status']} cannot be reset")
        challenge = bytes.fromhex(body["challenge"])
        block = reload_block(bytes.fromhex(card["reload_key"]), challenge, body["new_pin"])
        reference = self._event("pin_reset", "R", card_number, self.clock.now(), proxy=proxy)
        apdu = RELOAD_HEADER + block
        return 201, {"reference": reference, "card_number": card_number, "block": block.hex().upper(), "reload_apdu": apdu.hex().upper()}
