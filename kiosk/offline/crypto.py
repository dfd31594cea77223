"""Field encryption for personal data and images at rest: SM4-GCM.

Why SM4 and not AES: government systems holding residents' data in China are assessed
against the commercial-cryptography rules (密评), which expect the national algorithms.
`cryptography` runs SM4 in GCM mode through its `Cipher` API (OpenSSL's SM4-GCM; there is no
SM4 class in `aead`), so we get an authenticated SM4 cipher without a pure-Python library.

Blob layout: version (1 byte, 1 = SM4-GCM) | key id (4 bytes) | nonce (12) | ciphertext | tag (16).
The key id is a fingerprint of the key, so a blob sealed under an older terminal key is
recognised as such instead of failing as "corrupt". The associated data is the header plus
the row's identity (idempotency key) and the column name, so a blob copied into another row
or column does not open.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from kiosk.keys import TerminalKey
from kiosk.offline.database import StoreError

SM4_GCM_V1 = 1
NONCE_BYTES = 12
TAG_BYTES = 16
_HEADER = 1 + 4 + NONCE_BYTES


class UnreadableField(StoreError):
    """A blob that does not open with this terminal's key in this place."""


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
    def _associated(header: bytes, row: str, column: str) -> bytes:
        return header[:5] + f"\x00{row}\x00{column}".encode()

    def seal(self, plaintext: bytes, *, row: str, column: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        header = bytes([SM4_GCM_V1]) + self.key_id + nonce
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(self._associated(header, row, column))
        body = encryptor.update(plaintext) + encryptor.finalize()
        return header + body + encryptor.tag

    def open(self, blob: bytes, *, row: str, column: str) -> bytes:
        if len(blob) < _HEADER + TAG_BYTES or blob[0] != SM4_GCM_V1:
            raise UnreadableField(f"{column} of {row}: not a sealed field (unknown format)")
        if blob[1:5] != self.key_id:
            raise UnreadableField(
                f"{column} of {row}: sealed under another terminal key (key id {blob[1:5].hex()}, "
                f"this terminal's is {self.key_id.hex()})"
            )
        header, body, tag = blob[:_HEADER], blob[_HEADER:-TAG_BYTES], blob[-TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(header[5:], tag)).decryptor()
        decryptor.authenticate_additional_data(self._associated(header, row, column))
        try:
            return decryptor.update(body) + decryptor.finalize()
        except InvalidTag:
            raise UnreadableField(f"{column} of {row}: altered, or moved from another row") from None
