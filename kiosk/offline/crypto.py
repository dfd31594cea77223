"""Field encryption for personal data and images at rest: SM4-GCM.

Why SM4 and not AES: government systems holding residents' data in China are assessed
against the commercial-cryptography rules (密评), which expect the national algorithms.
`cryptography` runs SM4 in GCM mode through its `Cipher` API (OpenSSL's SM4-GCM; there is no
SM4 class in `aead`), so we get an authenticated SM4 cipher without a pure-Python library.

Blob layout: version (1 byte) | key id (4 bytes) | nonce (12) | ciphertext | tag (16).
The key id is a fingerprint of the key, so a blob sealed under an older terminal key is
recognised as such instead of failing as "corrupt". The associated data is the header plus
the row's identity (idempotency key), the column name and (version 2) the row's kind, so a
blob copied into another row or column does not open, and neither does a row whose kind was
relabelled (a loss cancellation turned into a loss report would otherwise be POSTed to the
loss-report endpoint). Version 1 blobs, sealed before the kind was bound, open only through
`open_legacy`, which the outbox uses once to re-seal them as version 2 (kiosk.offline.reseal).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kiosk.keys import TerminalKey
from kiosk.offline.database import StoreError

SM4_GCM_V1 = 1  # associated data without the row's kind: read only to re-seal
SM4_GCM_V2 = 2
NONCE_BYTES = 12
TAG_BYTES = 16
_HEADER = 1 + 4 + NONCE_BYTES


class UnreadableField(StoreError):
    """A blob that does not open with this terminal's key in this place."""


class LegacyField(UnreadableField):
    """A version 1 blob: it must be re-sealed with its row's kind before it is used."""


def _fingerprint(key: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(b"sscard-kiosk/storage-key-id\x00" + key)
    return digest.finalize()[:4]


class FieldCipher:
    def __init__(self, storage_key: bytes) -> None:
        if len(storage_key) < 16:
            raise ValueError("the storage key must be at least 16 bytes")
        # SM4 takes 16 bytes; the first 16 bytes of an HKDF output are the 16-byte HKDF output.
        self._key = storage_key[:16]
        self.key_id = _fingerprint(self._key)

    @classmethod
    def for_terminal(cls, key: TerminalKey) -> "FieldCipher":
        return cls(key.storage_key)

    def __repr__(self) -> str:
        return f"FieldCipher(SM4-GCM, key id {self.key_id.hex()})"

    @staticmethod
    def _associated(header: bytes, row: str, column: str, kind: str | None) -> bytes:
        bound = f"\x00{row}\x00{column}" if kind is None else f"\x00{row}\x00{column}\x00{kind}"
        return header[:5] + bound.encode()

    def seal(self, plaintext: bytes, *, row: str, column: str, kind: str) -> bytes:
        """`kind`: what the row is (an outbox item's kind, "status_cache"); relabel it and the blob no longer opens."""
        nonce = os.urandom(NONCE_BYTES)
        header = bytes([SM4_GCM_V2]) + self.key_id + nonce
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(self._associated(header, row, column, kind))
        body = encryptor.update(plaintext) + encryptor.finalize()
        return header + body + encryptor.tag

    def open(self, blob: bytes, *, row: str, column: str, kind: str) -> bytes:
        if blob[:1] == bytes([SM4_GCM_V1]):
            raise LegacyField(f"{column} of {row}: sealed by an older version without its kind; re-seal it first")
        return self._open(blob, SM4_GCM_V2, row, column, kind)

    def open_legacy(self, blob: bytes, *, row: str, column: str) -> bytes:
        """A version 1 blob (no kind bound), for re-sealing it; nothing else reads them."""
        return self._open(blob, SM4_GCM_V1, row, column, None)

    def _open(self, blob: bytes, version: int, row: str, column: str, kind: str | None) -> bytes:
        if len(blob) < _HEADER + TAG_BYTES or blob[0] != version:
            raise UnreadableField(f"{column} of {row}: not a sealed field (unknown format)")
        if blob[1:5] != self.key_id:
            raise UnreadableField(
                f"{column} of {row}: sealed under another terminal key (key id {blob[1:5].hex()}, "
                f"this terminal's is {self.key_id.hex()})"
            )
        header, body, tag = blob[:_HEADER], blob[_HEADER:-TAG_BYTES], blob[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(header[5:], tag)).decryptor()
        decryptor.authenticate_additional_data(self._associated(header, row, column, kind))
        try:
            return decryptor.update(body) + decryptor.finalize()
        except InvalidTag:
            raise UnreadableField(f"{column} of {row}: altered, relabelled, or moved from another row") from None
