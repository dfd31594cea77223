"""Field encryption: SM4-GCM blobs bound to their row and column."""

from __future__ import annotations

import os

import pytest

from kiosk.keys import TerminalKey
from kiosk.offline.crypto import FieldCipher, UnreadableField


@pytest.fixture
def cipher(terminal_key):
    return FieldCipher.for_terminal(terminal_key)


def test_sealed_field_opens_in_its_place(cipher):
    blob = cipher.seal("欧阳秀英".encode(), row="key-0001", column="payload", kind="application")
    assert cipher.open(blob, row="key-0001", column="payload", kind="application").decode() == "欧阳秀英"
    assert "欧阳秀英".encode() not in blob


def test_blob_copied_to_another_row_does_not_open(cipher):
    blob = cipher.seal(b"secret", row="key-0001", column="payload", kind="application")
    with pytest.raises(UnreadableField, match="moved from another row"):
        cipher.open(blob, row="key-0002", column="payload", kind="application")


def test_blob_copied_to_another_column_does_not_open(cipher):
    blob = cipher.seal(b"secret", row="key-0001", column="attachment/photo", kind="application")
    with pytest.raises(UnreadableField):
        cipher.open(blob, row="key-0001", column="attachment/signature", kind="application")


def test_altered_blob_does_not_open(cipher):
    blob = bytearray(cipher.seal(b"secret data", row="key-0001", column="payload", kind="application"))
    blob[20] ^= 1
    with pytest.raises(UnreadableField, match="altered"):
        cipher.open(bytes(blob), row="key-0001", column="payload", kind="application")


def test_blob_of_another_terminal_key_is_named_as_such(cipher):
    other = FieldCipher.for_terminal(TerminalKey(os.urandom(32)))
    blob = other.seal(b"secret", row="key-0001", column="payload", kind="application")
    with pytest.raises(UnreadableField, match="another terminal key"):
        cipher.open(blob, row="key-0001", column="payload", kind="application")


def test_same_plaintext_seals_differently_each_time(cipher):
    first = cipher.seal(b"same", row="key-0001", column="payload", kind="application")
    second = cipher.seal(b"same", row="key-0001", column="payload", kind="application")
    assert first != second and first[5:17] != second[5:17]  # a fresh nonce every time


def test_cipher_repr_shows_no_key(cipher, terminal_key):
    assert terminal_key.storage_key.hex()[:8] not in repr(cipher)
