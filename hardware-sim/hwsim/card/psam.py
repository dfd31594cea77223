"""A simulated PSAM: the terminal's side of EXTERNAL AUTHENTICATE against simulated cards.

A real PSAM keeps its keys inside and is driven through its own APDUs in the reader's SAM
slot; this one is a plain object with the simulator's published test key, so it can only
ever open simulated cards. `kiosk devices read-card` uses it when the configuration is a
simulator configuration (production = false) and never otherwise.
"""

from __future__ import annotations

from hwsim.card.crypto import TEST_RKSSSE_KEY, external_auth_cryptogram


class SimulatedPsam:
    def __init__(self, key: bytes = TEST_RKSSSE_KEY) -> None:
        if len(key) != 16:
            raise ValueError("an SM4 key is 16 bytes")
        self._key = key

    def external_auth_cryptogram(self, key_id: int, challenge: bytes, card_id_code: bytes) -> bytes:
        if key_id != 0x0A:
            raise ValueError(f"the simulated PSAM holds key 0A only, not {key_id:02X}")
        return external_auth_cryptogram(self._key, challenge)

    def __repr__(self) -> str:
        return "SimulatedPsam(test key)"
