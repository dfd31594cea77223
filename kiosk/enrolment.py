"""A terminal's enrolment with its card centre: the files that let it prove who it is.

The centre believes a caller is terminal T01 only because it shows a certificate, signed by the
centre's CA, whose subject's common name is T01, over mutual TLS (kiosk.centre.tls makes the
connection). Those files live together in the config's `tls_dir`:

  client.key          the terminal's TLS private key (ECDSA P-256), mode 600, never leaves it
  client.csr          the certificate signing request the deployer takes to the enrolment office
  client.crt          the certificate the centre's CA signed (`kiosk keys install`)
  centre-ca.pem       the centre's CA: the only CA the kiosk trusts for the centre (pinning)
  person-lookup.key   the region's person-lookup secret the centre hands out at enrolment; it
                      keys `person_hash` in URLs (kiosk.centre.api)

This key is separate from the terminal's master key (kiosk.keys): the master key signs
vouchers and seals data at rest and never leaves the terminal; the TLS key only authenticates.
`problems()` is what `kiosk config check` reports; nothing here prints or logs a key.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

KEY_FILE = "client.key"
CSR_FILE = "client.csr"
CERT_FILE = "client.crt"
CA_FILE = "centre-ca.pem"
PERSON_KEY_FILE = "person-lookup.key"
EXPIRY_WARNING_DAYS = 30


class EnrolmentError(Exception):
    """Enrolment material that is missing, unreadable or does not fit together."""


def others_can_read(path: Path) -> bool:
    """True when anyone but the owner may read (or write) the file."""
    return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def write_private(path: Path, data: bytes) -> None:
    """Write `data` readable by its owner only, replacing `path` whole (never half a key)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def read_person_lookup_secret(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise EnrolmentError(f"{path}: the person-lookup secret cannot be read ({type(exc).__name__})") from None
    if not re.fullmatch(r"[0-9a-fA-F]{64}", text):
        raise EnrolmentError(f"{path}: the person-lookup secret must be 64 hex digits")
    return bytes.fromhex(text)


def in_directory(name: str) -> property:
    """A file of the enrolment, by name, in its directory."""
    return property(lambda self: self.directory / name)


@dataclass(frozen=True)
class TerminalTls:
    directory: Path

    key_file = in_directory(KEY_FILE)
    csr_file = in_directory(CSR_FILE)
    cert_file = in_directory(CERT_FILE)
    ca_file = in_directory(CA_FILE)
    person_key_file = in_directory(PERSON_KEY_FILE)

    def complete(self) -> bool:
        return all(p.is_file() for p in (self.key_file, self.cert_file, self.ca_file, self.person_key_file))

    def certificate(self) -> x509.Certificate:
        try:
            return x509.load_pem_x509_certificate(self.cert_file.read_bytes())
        except FileNotFoundError:
            raise EnrolmentError(f"{self.cert_file} does not exist: install the signed certificate (`kiosk keys install`)") from None
        except (OSError, ValueError) as exc:
            raise EnrolmentError(f"{self.cert_file} is not a PEM certificate ({type(exc).__name__})") from None

    def certificate_subject(self) -> str:
        """The common name the centre will read as this terminal's id."""
        names = self.certificate().subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else ""

    def expires(self) -> dt.datetime:
        return self.certificate().not_valid_after_utc

    def person_lookup_secret(self) -> bytes:
        return read_person_lookup_secret(self.person_key_file)

    def _private_key(self) -> ec.EllipticCurvePrivateKey:
        try:
            key = serialization.load_pem_private_key(self.key_file.read_bytes(), None)
        except FileNotFoundError:
            raise EnrolmentError(f"{self.key_file} does not exist (make it with `kiosk keys csr`)") from None
        except (OSError, ValueError, TypeError) as exc:
            raise EnrolmentError(f"{self.key_file} is not an unencrypted PEM private key ({type(exc).__name__})") from None
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise EnrolmentError(f"{self.key_file} must be an ECDSA key")
        return key

    # --- enrolment steps -------------------------------------------------------------

    def install(self, cert_pem: bytes, ca_pem: bytes, person_key: bytes) -> x509.Certificate:
        """Check that the certificate belongs to this terminal's key and was signed by the CA,
        then write the three files. Nothing is written when anything does not fit."""
        try:
            cert = x509.load_pem_x509_certificate(cert_pem)
            ca = x509.load_pem_x509_certificate(ca_pem)
        except ValueError as exc:
            raise EnrolmentError(f"not a PEM certificate: {exc}") from None
        if cert.public_key() != self._private_key().public_key():
            raise EnrolmentError("the certificate is for another key, not this terminal's client.key")
        try:
            cert.verify_directly_issued_by(ca)
        except (InvalidSignature, ValueError, TypeError) as exc:
            raise EnrolmentError(f"the certificate was not signed by that CA ({type(exc).__name__})") from None
        tmp = self.directory / f".{PERSON_KEY_FILE}.check"
        write_private(tmp, person_key)
        try:
            read_person_lookup_secret(tmp)
        finally:
            tmp.unlink(missing_ok=True)
        self.cert_file.write_bytes(cert_pem)
        self.ca_file.write_bytes(ca_pem)
        write_private(self.person_key_file, person_key.strip() + b"\n")
        return cert

    def problems(self, terminal_id: str | None, now: dt.datetime | None = None) -> list[str]:
        """What stops this terminal from proving who it is, each as one sentence."""
        if not self.directory.is_dir():
            return [f"{self.directory} does not exist: enrol the terminal (`kiosk keys csr`, then `kiosk keys install`)"]
        found = []
        for path in (self.key_file, self.cert_file, self.ca_file, self.person_key_file):
            if not path.is_file():
                found.append(f"{path.name} is missing from {self.directory} (see docs/trust.md, enrolment)")
        if found:
            return found
        for path in (self.key_file, self.person_key_file):
            if others_can_read(path):
                found.append(f"{path} can be read by others: chmod 600 it")
        try:
            cert = self.certificate()
            if cert.public_key() != self._private_key().public_key():
                found.append(f"{self.cert_file.name} is not the certificate of {self.key_file.name}")
            subject = self.certificate_subject()
            if terminal_id is not None and subject != terminal_id:
                found.append(f"{self.cert_file.name} is for terminal {subject!r}, not {terminal_id!r}")
            if cert.not_valid_after_utc <= (now or dt.datetime.now(dt.timezone.utc)):
                found.append(f"{self.cert_file.name} expired on {cert.not_valid_after_utc:%Y-%m-%d}: enrol again")
            x509.load_pem_x509_certificate(self.ca_file.read_bytes())
            self.person_lookup_secret()
        except EnrolmentError as exc:
            found.append(str(exc))
        except (OSError, ValueError) as exc:
            found.append(f"{self.ca_file} is not a readable PEM certificate ({type(exc).__name__})")
        return found


def make_signing_request(tls: TerminalTls, terminal_id: str) -> bytes:
    """A new TLS key (kept if one exists) and a CSR whose subject is the terminal id; the CSR
    is also written to `client.csr` for the deployer to take to the enrolment office."""
    tls.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if tls.key_file.exists():
        key = tls._private_key()
    else:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        write_private(tls.key_file, pem)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, terminal_id)])
    csr = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    pem = csr.public_bytes(serialization.Encoding.PEM)
    tls.csr_file.write_bytes(pem)
    return pem
