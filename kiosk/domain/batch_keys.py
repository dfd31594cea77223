"""The idempotency key of one person of an employer's batch.

The same package submitted twice must send nobody twice, so the key is a function of the
employer, the person and the package (its digest from kiosk.batch), not of the visit. It must
not be guessable either: a key anyone can compute lets anyone pre-claim it at the centre
(their request first, ours then answered "duplicate" and never processed). So it is an
HMAC-SM3 under the terminal key's `idempotency_secret`, derived for keyed idempotency keys alone. A corrected
package has another digest: its people are new submissions (the clerk leaves out the rows
already sent, as the voucher says).
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, hmac

from kiosk.domain.terminal_key import TerminalKey

PREFIX = "batch_person:"
TAG_HEX = 48  # 192 bits


def person_key(key: TerminalKey, credit_code: str, id_number: str, package_digest: str) -> str:
    """`batch_person:` and 48 hex digits, the same for the same employer, person and package."""
    if not (credit_code and id_number and package_digest):
        raise ValueError("a batch person's key needs the employer's code, the ID number and the package digest")
    mac = hmac.HMAC(key.idempotency_secret, hashes.SM3())
    mac.update("|".join((credit_code.upper(), id_number.upper(), package_digest.lower())).encode("ascii"))
    return PREFIX + mac.finalize().hex()[:TAG_HEX]
