"""The kiosk↔centre API contract shared by the client and the centre simulator
(docs/centre-api.yaml is the full description).

People are named in URL paths by `person_hash(id_number, secret)`, never by the number itself:
URLs end up in proxy and access logs. The hash is keyed: HMAC-SM3 under a key derived (HKDF-SM3)
from the region's person-lookup secret, which the centre hands every terminal at enrolment
(kiosk.enrolment, `person-lookup.key`). An unkeyed hash would not hide anything: with a known
region and birth date an ID number is one of about a thousand, a second's work to try. The
centre knows the secret because it issued it, so it computes the same hash for the people on
its records. Request bodies (which carry the ID number, because the centre needs it to make a
card) are never logged, and travel inside mutual TLS.
"""

from __future__ import annotations

from urllib.parse import quote

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

API_PREFIX = "/v1"
PERSON_HASH_DOMAIN = b"sscard-centre/v1/person\x00"
PERSON_KEY_INFO = b"sscard-centre/v1/person-hash-key"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TERMINAL_HEADER = "X-Terminal-Id"

APPLICATION_STATES = ("received", "in_production", "ready_for_pickup", "collected")


def person_hash_key(secret: bytes) -> bytes:
    """The HMAC key for `person_hash`, derived from the person-lookup secret for that use alone."""
    if len(secret) < 16:
        raise ValueError("the person-lookup secret must be at least 16 bytes")
    return HKDF(hashes.SM3(), 32, salt=None, info=PERSON_KEY_INFO).derive(secret)


def person_hash(id_number: str, secret: bytes) -> str:
    """64 hex digits naming a person in URLs; the check character is compared upper-case."""
    mac = hmac.HMAC(person_hash_key(secret), hashes.SM3())
    mac.update(PERSON_HASH_DOMAIN + "".join(id_number.split()).upper().encode("ascii"))
    return mac.finalize().hex()


def segment(value: str) -> str:
    """One URL path segment, so a card number can never add a path of its own."""
    return quote(str(value), safe="")


def applications() -> str:
    return f"{API_PREFIX}/applications"


def application(reference: str) -> str:
    return f"{API_PREFIX}/applications/{segment(reference)}"


def card_activation(card_number: str) -> str:
    return f"{API_PREFIX}/cards/{segment(card_number)}/activation"


def card_pin_changes(card_number: str) -> str:
    return f"{API_PREFIX}/cards/{segment(card_number)}/pin-changes"


def card_loss_cancellation(card_number: str) -> str:
    return f"{API_PREFIX}/cards/{segment(card_number)}/loss-report/cancellation"


def loss_reports() -> str:
    return f"{API_PREFIX}/loss-reports"


def pin_resets() -> str:
    return f"{API_PREFIX}/pin-resets"


def person_cards(id_hash: str) -> str:
    return f"{API_PREFIX}/persons/{segment(id_hash)}/cards"


def person_applications(id_hash: str) -> str:
    return f"{API_PREFIX}/persons/{segment(id_hash)}/applications"


def health() -> str:
    return f"{API_PREFIX}/health"


def person_replacement_record(id_hash: str) -> str:
    return f"{API_PREFIX}/persons/{segment(id_hash)}/replacement-record"


def replacements() -> str:
    return f"{API_PREFIX}/replacements"


def person_contact(id_hash: str) -> str:
    return f"{API_PREFIX}/persons/{segment(id_hash)}/contact"


def contact_changes() -> str:
    return f"{API_PREFIX}/contact-changes"

def batches() -> str:
    return f"{API_PREFIX}/batches"


def batch(batch_serial: str) -> str:
    return f"{API_PREFIX}/batches/{segment(batch_serial)}"


def batch_applications() -> str:
    return f"{API_PREFIX}/batch-applications"
def staff_calls() -> str:
    return f"{API_PREFIX}/staff-calls"


def heartbeats() -> str:
    return f"{API_PREFIX}/terminals/heartbeat"


def fleet() -> str:
    return f"{API_PREFIX}/fleet"
