"""The kiosk↔centre API contract shared by the client and the centre simulator
(docs/centre-api.yaml is the full description).

People are named in URL paths by `person_hash(id_number)`, never by the number itself: URLs
end up in proxy and access logs. The hash is a domain-separated SM3, not a secret: ID numbers
are few enough to enumerate, so confidentiality comes from TLS, and request bodies (which do
carry the ID number, because the centre needs it to make a card) are never logged.
"""

from __future__ import annotations

from urllib.parse import quote

from cryptography.hazmat.primitives import hashes

API_PREFIX = "/v1"
PERSON_HASH_DOMAIN = b"sscard-centre/v1/person\x00"
IDEMPOTENCY_HEADER = "Idempotency-Key"
TERMINAL_HEADER = "X-Terminal-Id"

APPLICATION_STATES = ("received", "in_production", "ready_for_pickup", "collected")


def person_hash(id_number: str) -> str:
    """64 hex digits naming a person in URLs; the check character is compared upper-case."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(PERSON_HASH_DOMAIN + "".join(id_number.split()).upper().encode("ascii"))
    return digest.finalize().hex()


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


def staff_calls() -> str:
    return f"{API_PREFIX}/staff-calls"
