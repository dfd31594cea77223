"""Enrol a terminal the way a deployer would, with a test CA standing in for the centre's."""

from __future__ import annotations

from pathlib import Path

from hwsim.centre.test_ca import TestCA


def enrol(tls_dir: Path, terminal_id: str, ca_dir: Path | None = None) -> TestCA:
    """Terminal `terminal_id` enrolled in `tls_dir` (client key and certificate, the CA, the
    person-lookup secret) by a test CA kept in `ca_dir` (default: beside `tls_dir`)."""
    ca = TestCA.open(ca_dir or tls_dir.parent / "test-ca")
    ca.enrol_terminal(terminal_id, tls_dir)
    return ca
