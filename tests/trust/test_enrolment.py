"""Issue 12, sections 1 and 4: what a deployer does with `kiosk keys` to enrol a terminal, and
the window PC's verify-only voucher key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hwsim.centre.test_ca import TestCA
from kiosk.domain.voucher import verify_payload
from kiosk.keys import read_key_file, read_verifier_file
from tests.config.test_config import production_config, write
from tests.offline import people

KIOSK = [sys.executable, "-m", "kiosk"]


def kiosk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KIOSK, *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def terminal(tmp_path):
    """A production terminal's config and key, not enrolled yet (tls/ beside the key is empty)."""
    key_file = tmp_path / "etc" / "terminal.key"
    key_file.parent.mkdir()
    assert kiosk("keys", "new", str(key_file)).returncode == 0
    return write(tmp_path / "etc", production_config(key_file, terminal_id='"T07"'))


def test_a_deployer_enrols_a_terminal_with_csr_and_install_and_config_check_then_passes(terminal, tmp_path):
    assert kiosk("config", "check", str(terminal)).returncode == 1  # not enrolled yet
    made = kiosk("keys", "csr", "--json", "--config", str(terminal))
    assert made.returncode == 0, made.stderr
    csr = Path(json.loads(made.stdout)["csr"])
    tls_dir = terminal.parent / "tls"
    assert csr.parent == tls_dir and (tls_dir / "client.key").stat().st_mode & 0o077 == 0
    office = TestCA.open(tmp_path / "enrolment-office")  # the centre's CA signs the request
    cert = tmp_path / "T07.crt"
    cert.write_bytes(office.sign_request(csr.read_bytes()))
    done = kiosk("keys", "install", str(cert), "--ca", str(office.ca_file), "--person-key", str(office.person_key_file),
                 "--json", "--config", str(terminal))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["subject"] == "T07"
    assert kiosk("config", "check", str(terminal)).returncode == 0
    shown = kiosk("keys", "show", "--json", "--config", str(terminal))
    assert shown.returncode == 0 and json.loads(shown.stdout)["problems"] == []
    assert json.loads(shown.stdout)["days_left"] >= 360


def test_install_refuses_a_certificate_for_another_key_and_writes_nothing(terminal, tmp_path):
    assert kiosk("keys", "csr", "--config", str(terminal)).returncode == 0
    office = TestCA.open(tmp_path / "enrolment-office")
    office.enrol_terminal("T07", tmp_path / "someone-else")  # a certificate of another key
    done = kiosk("keys", "install", str(tmp_path / "someone-else" / "client.crt"), "--ca", str(office.ca_file),
                 "--person-key", str(office.person_key_file), "--config", str(terminal))  # fmt: skip
    assert done.returncode == 1 and "another key" in done.stderr and "Traceback" not in done.stderr
    assert not (terminal.parent / "tls" / "client.crt").exists()


def test_install_refuses_a_certificate_another_ca_signed(terminal, tmp_path):
    made = kiosk("keys", "csr", "--json", "--config", str(terminal))
    csr = Path(json.loads(made.stdout)["csr"]).read_bytes()
    office, stranger = TestCA.open(tmp_path / "office"), TestCA.open(tmp_path / "stranger")
    cert = tmp_path / "T07.crt"
    cert.write_bytes(stranger.sign_request(csr))
    done = kiosk("keys", "install", str(cert), "--ca", str(office.ca_file), "--person-key", str(office.person_key_file),
                 "--config", str(terminal))  # fmt: skip
    assert done.returncode == 1 and "not signed by that CA" in done.stderr


def test_export_verifier_checks_vouchers_and_cannot_derive_the_storage_key(terminal, tmp_path):
    out = tmp_path / "window.verifier"
    done = kiosk("keys", "export-verifier", str(out), "--config", str(terminal))
    assert done.returncode == 0, done.stderr
    verifier = read_verifier_file(out)
    key = read_key_file(terminal.parent / "terminal.key")
    payload = people.voucher().qr_payload(key)
    assert verify_payload(payload, verifier)["serial"] == people.voucher().serial
    assert not hasattr(verifier, "storage_key") and not hasattr(verifier, "derive")
    text = out.read_text()
    assert key.secret.hex() not in text and key.storage_key.hex() not in text
    assert out.stat().st_mode & 0o077 == 0
    checked = kiosk("voucher", "verify", "--verifier", str(out), "--json", payload)
    assert checked.returncode == 0 and json.loads(checked.stdout)["ok"]
    forged = kiosk("voucher", "verify", "--verifier", str(out), payload[:-1] + ("A" if payload[-1] != "A" else "B"))
    assert forged.returncode == 1


def test_a_verifier_file_is_not_accepted_as_a_terminal_key(terminal, tmp_path):
    out = tmp_path / "window.verifier"
    kiosk("keys", "export-verifier", str(out), "--config", str(terminal))
    from kiosk.keys import KeyFileError

    with pytest.raises(KeyFileError):
        read_key_file(out)


def test_a_window_clock_a_few_minutes_behind_still_accepts_a_fresh_voucher_but_not_one_an_hour_ahead():
    from datetime import timedelta

    from kiosk.domain.terminal_key import TerminalKey
    from kiosk.domain.voucher import VoucherForged

    key = TerminalKey(bytes(32))
    voucher = people.voucher()
    payload = voucher.qr_payload(key)
    assert verify_payload(payload, key, now=voucher.issued_at - timedelta(minutes=5))["serial"]
    with pytest.raises(VoucherForged, match="future"):
        verify_payload(payload, key, now=voucher.issued_at - timedelta(hours=1))
