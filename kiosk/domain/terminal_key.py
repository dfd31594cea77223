"""The terminal's secret key and the keys derived from it.

From the one secret we derive, with HKDF-SM3, one key per purpose, so the voucher signature
and the storage encryption never share a key. Where the secret comes from (a key file that
never goes into the database or a log) is kiosk.keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


@dataclass(frozen=True)
class TerminalKey:
    secret: bytes = field(repr=False)
    is_simulator_key: bool = False

    def derive(self, purpose: str, length: int = 32) -> bytes:
        return HKDF(hashes.SM3(), length, salt=None, info=f"sscard-kiosk/{purpose}".encode()).derive(
            self.secret
        )

    @property
    def voucher_mac_key(self) -> bytes:
        return self.derive("voucher-mac")

    @property
    def storage_key(self) -> bytes:
        return self.derive("storage-encryption")

    @property
    def idempotency_secret(self) -> bytes:
        """For keyed idempotency keys (HMAC of a business identity), e.g. a batch's per-person keys."""
        return self.derive("idempotency-key")

    def voucher_verifier(self) -> "VoucherKey":
        """What a window PC needs to check this terminal's vouchers, and nothing else."""
        return VoucherKey(self.voucher_mac_key)


@dataclass(frozen=True)
class VoucherKey:
    """The voucher key alone (`kiosk keys export-verifier`): it checks voucher tags and derives
    nothing, so a window PC holding it cannot open the terminal's stored personal data. HMAC is
    symmetric: whoever can check a tag could also make one, so it is kept like a password
    (a signature scheme such as SM2 would give a true verify-only key; see docs/trust.md)."""

    voucher_mac_key: bytes = field(repr=False)
