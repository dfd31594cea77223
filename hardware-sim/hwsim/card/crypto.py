"""The simulator's stand-in for the card's key-based commands (SM4, as on 3rd-generation cards).

What a real card computes with its RKSSSE key and with the issuer's PIN-reload keys is not
public, and on a real terminal the terminal's half of it runs inside the PSAM (the secure
access module in the reader), never in kiosk software. This module fixes one simple,
documented scheme so that the exchange can be exercised end to end against the simulator:

- EXTERNAL AUTHENTICATE (key 0A): cryptogram = SM4-ECB(key, challenge(8) || 00 * 8).
- PIN RELOAD (84 24 00 01 14): block = SM4-ECB(key, L || BCD(PIN, F-padded) || 80 00..)
  (16 bytes) || first 4 bytes of SM4-CMAC(key, challenge(8) || 84 24 00 01 14 || block).
  The challenge is the card's last GET CHALLENGE, so a block cannot be replayed.

The centre simulator computes reload blocks with `reload_block`; the simulated PSAM
(psam.py) computes external-authentication cryptograms with `external_auth_cryptogram`.
"""

from __future__ import annotations

import hmac

from cryptography.hazmat.primitives import cmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

# The simulator's default keys. Test keys, published here on purpose: no real card uses them.
TEST_RKSSSE_KEY = bytes.fromhex("0A0A0A0A5353534531323334353637AA")
TEST_RELOAD_KEY = bytes.fromhex("2424242450494E52454C4F41442D4B31")

RELOAD_HEADER = bytes.fromhex("8424000114")


def sm4_ecb_encrypt(key: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def sm4_ecb_decrypt(key: bytes, data: bytes) -> bytes:
    decryptor = Cipher(algorithms.SM4(key), modes.ECB()).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def sm4_cmac(key: bytes, data: bytes) -> bytes:
    mac = cmac.CMAC(algorithms.SM4(key))
    mac.update(data)
    return mac.finalize()


def external_auth_cryptogram(key: bytes, challenge: bytes) -> bytes:
    if len(challenge) != 8:
        raise ValueError("the challenge must be 8 bytes")
    return sm4_ecb_encrypt(key, challenge + bytes(8))


def check_external_auth(key: bytes, challenge: bytes, cryptogram: bytes) -> bool:
    return hmac.compare_digest(external_auth_cryptogram(key, challenge), cryptogram)


def _pin_plain_block(pin: str) -> bytes:
    if not (pin.isdigit() and pin.isascii() and 4 <= len(pin) <= 12):
        raise ValueError("a PIN is 4 to 12 digits")
    digits = pin + "F" * (len(pin) % 2)
    return (bytes([len(pin)]) + bytes.fromhex(digits) + b"\x80").ljust(16, b"\x00")


def reload_block(key: bytes, challenge: bytes, new_pin: str) -> bytes:
    """The 20 bytes the centre's HSM would send for RELOAD PIN (simulator scheme)."""
    if len(challenge) != 8:
        raise ValueError("the challenge must be 8 bytes")
    encrypted = sm4_ecb_encrypt(key, _pin_plain_block(new_pin))
    mac = sm4_cmac(key, challenge + RELOAD_HEADER + encrypted)[:4]
    return encrypted + mac


def open_reload_block(key: bytes, challenge: bytes, block: bytes) -> str | None:
    """The new PIN inside a reload block, or None when its MAC or layout is wrong."""
    if len(block) != 20 or len(challenge) != 8:
        return None
    encrypted, mac = block[:16], block[16:]
    if not hmac.compare_digest(sm4_cmac(key, challenge + RELOAD_HEADER + encrypted)[:4], mac):
        return None
    plain = sm4_ecb_decrypt(key, encrypted)
    length = plain[0]
    if not 4 <= length <= 12:
        return None
    digits = plain[1 : 1 + (length + 1) // 2].hex().upper()[:length]
    return digits if digits.isdigit() else None
