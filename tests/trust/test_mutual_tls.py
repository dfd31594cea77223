"""Issue 12, section 1: the centre can tell a real terminal from anyone on the network.

The centre simulator runs HTTPS with its test CA (mutual TLS 1.3); the kiosk's clients get
their certificate from the terminal's enrolment (kiosk.centre.connect)."""

from __future__ import annotations

import dataclasses
import re
import ssl
import subprocess
import sys

import httpx
import pytest

from hwsim.centre.store import CentreStore, SimClock
from hwsim.centre.server import CentreSimulator
from hwsim.centre.test_ca import TestCA
from kiosk.centre.client import CentreClient, Outcome
from kiosk.centre.connect import centre_client
from kiosk.centre.tls import client_context
from kiosk.config import load_config
from kiosk.enrolment import TerminalTls
from kiosk.flows.record import idempotency_key
from kiosk.offline.outbox import ItemState, Kind, Outbox
from kiosk.offline.sync import SyncWorker
from tests.config.test_config import production_config, write
from tests.offline import people
from tests.support.enrolment import enrol


def _config(centre, **changes):
    return dataclasses.replace(load_config(), centre_url=centre.url, **changes)


def test_a_production_config_with_an_http_centre_is_refused_naming_centre_url(tmp_path):
    key_file = tmp_path / "terminal.key"
    key_file.write_text("cd" * 32 + "\n")
    key_file.chmod(0o600)
    enrol(tmp_path / "tls", "T01")
    path = write(tmp_path, production_config(key_file, centre_url='"http://centre.example.invalid/api"'))
    run = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", "--json", str(path)], capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert '"key": "centre_url"' in run.stdout and "https://" in run.stdout


def test_a_production_config_without_an_enrolment_is_refused_naming_tls_dir(tmp_path):
    key_file = tmp_path / "terminal.key"
    key_file.write_text("cd" * 32 + "\n")
    key_file.chmod(0o600)
    run = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(write(tmp_path, production_config(key_file)))],
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 1 and "Traceback" not in run.stderr and "tls_dir" in run.stderr


def test_a_production_certificate_for_another_terminal_is_refused_by_config_check(tmp_path):
    key_file = tmp_path / "terminal.key"
    key_file.write_text("cd" * 32 + "\n")
    key_file.chmod(0o600)
    enrol(tmp_path / "tls", "T02")
    run = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(write(tmp_path, production_config(key_file)))],
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 1 and "tls_dir" in run.stderr and "'T02', not 'T01'" in run.stderr


def test_the_kiosk_talks_to_the_centre_over_mutual_tls_1_3(local_centre):
    client = centre_client(_config(local_centre))
    assert client.base_url.startswith("https://")
    assert client.health().ok
    context = client_context(TerminalTls(load_config().tls_dir))
    with context.wrap_socket(__import__("socket").create_connection(("127.0.0.1", local_centre.simulator.port)),
                             server_hostname="127.0.0.1") as tls:  # fmt: skip
        assert tls.version() == "TLSv1.3" and tls.getpeercert()["subject"]


def test_a_client_without_a_certificate_is_refused_by_the_centre(local_centre):
    no_certificate = ssl.create_default_context(cafile=str(local_centre.simulator.ca.ca_file))
    with pytest.raises(httpx.HTTPError):
        httpx.get(local_centre.url + "/v1/health", verify=no_certificate)
    reply = CentreClient(local_centre.url, tls=no_certificate).submit_application("apply:" + "0" * 32, people.application())
    assert not reply.ok and reply.status is None and local_centre.applications() == []


def test_a_client_with_another_terminals_certificate_is_refused(local_centre, tmp_path):
    local_centre.simulator.enrol("T02", tmp_path / "t02")
    as_t02 = client_context(TerminalTls(tmp_path / "t02"))
    reply = CentreClient(local_centre.url, terminal_id="T01", tls=as_t02).submit_application("apply:" + "1" * 32, people.application())
    assert reply.status == 403 and reply.data["error"]["code"] == "wrong_terminal"
    assert local_centre.applications() == []


def test_a_certificate_from_another_ca_is_refused(local_centre, tmp_path):
    stranger = TestCA.open(tmp_path / "other-ca")
    stranger.enrol_terminal("T01", tmp_path / "forged")
    forged = client_context(TerminalTls(tmp_path / "forged"))
    forged.load_verify_locations(cafile=str(local_centre.simulator.ca.ca_file))  # it may still trust the centre
    assert CentreClient(local_centre.url, tls=forged).health().status is None


def test_the_kiosk_does_not_trust_a_centre_outside_its_pinned_ca(local_centre, tmp_path):
    impostor = CentreSimulator(CentreStore(tmp_path / "impostor", SimClock()), ca=TestCA.open(tmp_path / "impostor-ca"))
    impostor.up()
    try:
        reply = centre_client(_config(impostor)).health()  # our enrolment pins the simulator's own CA
    finally:
        impostor.down()
    assert reply.outcome is Outcome.OFFLINE and reply.status is None
    assert centre_client(_config(local_centre)).health().ok  # the same enrolment, the real centre


def test_a_terminal_without_its_enrolment_never_connects_and_keeps_its_work(local_centre, tmp_path):
    config = _config(local_centre, tls_dir=tmp_path / "nothing-here")
    outbox = Outbox.open(tmp_path / "data", people_key())
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    report = SyncWorker(outbox, centre_client(config)).sync_once()
    assert report.centre_unreachable and outbox.item(item.id).state is ItemState.PENDING
    assert "TerminalNotEnrolled" in outbox.item(item.id).last_error
    assert local_centre.simulator.switches.requests == 0
    outbox.close()


def test_the_sync_worker_delivers_over_mutual_tls(local_centre, tmp_path):
    outbox = Outbox.open(tmp_path / "data", people_key())
    item = outbox.enqueue(Kind.APPLICATION, people.application())
    assert SyncWorker(outbox, centre_client(_config(local_centre))).sync_once().sent == 1
    assert outbox.item(item.id).state is ItemState.SENT
    assert [a["terminal_id"] for a in local_centre.applications()] == ["T01"]  # the certificate's, not a header's
    outbox.close()


def test_idempotency_keys_are_random_not_derived_from_a_serial():
    keys = {idempotency_key(Kind.LOSS_REPORT) for _ in range(1000)}
    assert len(keys) == 1000
    for key in keys:
        assert re.fullmatch(r"loss_report:[0-9a-f]{32}", key)  # 128 random bits


def test_the_same_idempotency_key_from_two_terminals_neither_collides_nor_reveals(local_centre, tmp_path):
    key = "apply:" + "7" * 32
    first = CentreClient(local_centre.url, terminal_id="T01", **local_centre.terminal).submit_application(key, people.application())
    local_centre.simulator.enrol("T02", tmp_path / "t02")
    as_t02 = client_context(TerminalTls(tmp_path / "t02"))
    other = CentreClient(local_centre.url, terminal_id="T02", tls=as_t02).submit_application(key, people.application("王芳"))
    assert first.status == other.status == 201  # not a duplicate, not "idempotency_key_reused"
    assert first.reference != other.reference and not other.duplicate
    again = CentreClient(local_centre.url, terminal_id="T02", tls=as_t02).submit_application(key, people.application("王芳"))
    assert again.duplicate and again.reference == other.reference


def test_an_application_is_shown_by_reference_only_to_the_terminal_that_submitted_it(local_centre, tmp_path):
    mine = CentreClient(local_centre.url, terminal_id="T01", **local_centre.terminal)
    reference = mine.submit_application("apply:" + "8" * 32, people.application()).reference
    local_centre.simulator.enrol("T02", tmp_path / "t02")
    other = CentreClient(local_centre.url, terminal_id="T02", tls=client_context(TerminalTls(tmp_path / "t02")))
    assert mine.application_status(reference).ok
    assert other.application_status(reference).status == 404


def people_key():
    from kiosk.domain.terminal_key import TerminalKey

    return TerminalKey(bytes(range(32)))


def test_a_tls_dir_with_a_nul_or_an_unset_variable_is_named_never_a_traceback(tmp_path):
    key_file = tmp_path / "terminal.key"
    key_file.write_text("cd" * 32 + "\n")
    key_file.chmod(0o600)
    for value in ('"/tmp/a\\u0000b"', '"${KIOSK_NO_SUCH_VARIABLE}/tls"'):
        path = write(tmp_path, production_config(key_file, tls_dir=value))
        run = subprocess.run([sys.executable, "-m", "kiosk", "config", "check", str(path)], capture_output=True, text=True)
        assert run.returncode == 1 and "Traceback" not in run.stderr and "tls_dir" in run.stderr


def test_a_centre_offering_only_tls_1_2_is_refused_by_the_kiosk(local_centre, tmp_path):
    old = CentreSimulator(CentreStore(tmp_path / "old", SimClock()), ca=local_centre.simulator.ca)  # the right CA
    old.tls.minimum_version = ssl.TLSVersion.TLSv1_2
    old.tls.maximum_version = ssl.TLSVersion.TLSv1_2
    old.up()
    try:
        reply = centre_client(_config(old)).health()
    finally:
        old.down()
    assert reply.status is None and not reply.ok
    assert centre_client(_config(local_centre)).health().ok
