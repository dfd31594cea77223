"""Who computes the EXTERNAL AUTHENTICATE cryptogram a 3.00 card asks for.

A third-generation card shows its holder data (EF06) only after EXTERNAL AUTHENTICATE
with key 0A (RKSSSE). On a real terminal that cryptogram comes from the PSAM, the
security module in the reader's SAM slot, which holds the key; kiosk software never sees
the key. This project has no PSAM driver (no public specification of its commands): a
production terminal reading 3.00 cards needs one, and until then the driver reports that
plainly instead of pretending.

With the simulator, `hwsim.card.psam.SimulatedPsam` stands in for the PSAM with the
simulator's published test key.
"""

from __future__ import annotations

from typing import Protocol


class Authenticator(Protocol):
    """The terminal's half of EXTERNAL AUTHENTICATE."""

    def external_auth_cryptogram(self, key_id: int, challenge: bytes, card_id_code: bytes) -> bytes:
        """16 bytes for `00 82 00 <key_id> 10 ...`, from the card's 8-byte GET CHALLENGE
        answer and its 16-byte identification code (for per-card key diversification)."""
        ...


NO_PSAM_REASON = (
    "a 3.00 card shows its holder data only after EXTERNAL AUTHENTICATE (key 0A), "
    "which needs the terminal's PSAM; no PSAM is configured"
)
