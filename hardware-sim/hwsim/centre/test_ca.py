"""The simulator's test certificate authority: what a real centre's enrolment office would run.

`kiosk sim` makes one per simulator directory (`$KIOSK_SIM_DIR/centre-ca/`) and keeps it, so a
restarted centre still trusts the terminals it enrolled. It issues the centre's own server
certificate (127.0.0.1 and localhost), signs terminals' certificate signing requests (the
subject's common name is the terminal id, which is what the centre believes about a caller)
and, for convenience, enrols the simulator's terminal in one go (`enrol_terminal`).

It also holds the centre's person-lookup secret (`person-lookup.key`): the value every
terminal of the region gets at enrolment to key `person_hash` in URLs (kiosk.centre.api).

Every key here is a test key: ECDSA P-256, never to be used outside the simulator.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from hwsim.control import sim_dir
from kiosk.centre.api import person_hash
from kiosk.enrolment import (
    CA_FILE, CERT_FILE, KEY_FILE, PERSON_KEY_FILE, TerminalTls, in_directory, make_signing_request,
    read_person_lookup_secret, write_private,
)  # fmt: skip

CA_DIR_NAME = "centre-ca"
CA_NAME = "sscard-kiosk simulator test CA"
VALID_DAYS = 825
SERVER_HOSTS = ("localhost",)
SERVER_IPS = ("127.0.0.1", "::1")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _cert_pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class TestCA:
    """A CA directory: ca.key/ca.pem, server.key/server.pem, person-lookup.key."""

    directory: Path

    __test__ = False  # not a pytest test class

    @classmethod
    def open(cls, directory: str | os.PathLike) -> "TestCA":
        """The CA in `directory`, created (with the centre's server certificate) if absent."""
        ca = cls(Path(directory))
        if not (ca.directory / "ca.pem").exists():
            ca._create()
        return ca

    # --- files ---------------------------------------------------------------------------

    ca_file = in_directory("ca.pem")
    server_cert_file = in_directory("server.pem")
    server_key_file = in_directory("server.key")
    person_key_file = in_directory(PERSON_KEY_FILE)

    def person_lookup_secret(self) -> bytes:
        return read_person_lookup_secret(self.person_key_file)

    def _ca(self) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
        key = serialization.load_pem_private_key((self.directory / "ca.key").read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return key, x509.load_pem_x509_certificate(self.ca_file.read_bytes())

    def _create(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME)])
        cert = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - dt.timedelta(minutes=5)).not_valid_after(_now() + dt.timedelta(days=VALID_DAYS))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .sign(key, hashes.SHA256())
        )  # fmt: skip
        write_private(self.directory / "ca.key", _key_pem(key))
        self.ca_file.write_bytes(_cert_pem(cert))
        write_private(self.person_key_file, os.urandom(32).hex().encode() + b"\n")
        server_key = ec.generate_private_key(ec.SECP256R1())
        sans = [x509.DNSName(h) for h in SERVER_HOSTS] + [x509.IPAddress(ipaddress.ip_address(i)) for i in SERVER_IPS]
        server = self._issue(
            server_key.public_key(), x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "centre simulator")]),
            ExtendedKeyUsageOID.SERVER_AUTH, sans, VALID_DAYS,
        )  # fmt: skip
        write_private(self.server_key_file, _key_pem(server_key))
        self.server_cert_file.write_bytes(_cert_pem(server))

    def _issue(self, public_key, subject: x509.Name, usage, sans: list, days: float) -> x509.Certificate:
        ca_key, ca_cert = self._ca()
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject).issuer_name(ca_cert.subject).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - dt.timedelta(minutes=5)).not_valid_after(_now() + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        )  # fmt: skip
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        return builder.sign(ca_key, hashes.SHA256())

    # --- enrolment ---------------------------------------------------------------------

    def sign_request(self, csr_pem: bytes, days: float = 365) -> bytes:
        """A terminal's certificate (PEM) for its signing request; the subject is kept as sent
        (a real enrolment office checks the terminal id against its register first)."""
        csr = x509.load_pem_x509_csr(csr_pem)
        if not csr.is_signature_valid:
            raise ValueError("the signing request's signature does not verify")
        return _cert_pem(self._issue(csr.public_key(), csr.subject, ExtendedKeyUsageOID.CLIENT_AUTH, [], days))

    def enrol_terminal(self, terminal_id: str, tls_dir: str | os.PathLike, days: float = 365) -> Path:
        """Everything terminal `terminal_id` needs in `tls_dir`: its key, its certificate, the
        CA that pins the centre, the person-lookup secret. Kept if already there for that id."""
        tls = TerminalTls(Path(tls_dir))
        if tls.complete() and tls.certificate_subject() == terminal_id and tls.ca_file.read_bytes() == self.ca_file.read_bytes():
            return tls.directory
        tls.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        for name in (KEY_FILE, CERT_FILE):
            (tls.directory / name).unlink(missing_ok=True)
        csr = make_signing_request(tls, terminal_id)
        tls.install(self.sign_request(csr, days), self.ca_file.read_bytes(), self.person_key_file.read_bytes())
        return tls.directory

    def server_context(self) -> ssl.SSLContext:
        """TLS 1.3 only; a client must show a certificate this CA signed."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(cafile=str(self.ca_file))
        context.load_cert_chain(str(self.server_cert_file), str(self.server_key_file))
        return context


def simulator_ca() -> TestCA:
    """The test CA of this simulator directory ($KIOSK_SIM_DIR/centre-ca), made on first use."""
    return TestCA.open(sim_dir() / CA_DIR_NAME)


def simulator_person_hash(id_number: str) -> str:
    """`person_hash` as this simulator directory's centre and enrolled terminals compute it."""
    return person_hash(id_number, simulator_ca().person_lookup_secret())


__all__ = ["CA_DIR_NAME", "CA_FILE", "TestCA", "simulator_ca", "simulator_person_hash"]
