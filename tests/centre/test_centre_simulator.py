"""The centre simulator as a kiosk meets it: real HTTP on 127.0.0.1, state in SQLite."""

from __future__ import annotations

import socket
import subprocess

import httpx
import pytest

from hwsim.card.crypto import TEST_RELOAD_KEY, open_reload_block
from hwsim.card.profile import available_profiles, load_profile
from kiosk.centre.client import CentreClient, Outcome
from kiosk.domain.identity import gb11643_check_character
from tests.centre.fixtures import KIOSK, start_centre
from tests.offline import people
from tests.support.processes import stop


def person(serial: int) -> str:
    body = f"5001151960010{serial:04d}"
    return body + gb11643_check_character(body)


def _ready_card(client: CentreClient, centre, id_number: str) -> tuple[str, str]:
    """Submit an application and let the simulated clock run until its card can be picked up."""
    submitted = client.submit_application(f"key-ready-{id_number}", people.application(id_number=id_number))
    centre.ctl("advance", hours=2)
    status = client.application_status(submitted.reference).data
    return submitted.reference, status["card_number"]


def test_application_moves_through_the_production_states(local_centre):
    client = CentreClient(local_centre.url, **local_centre.terminal)
    reference = client.submit_application("key-states-01", people.application(), [people.photo()]).reference
    seen = [client.application_status(reference).data["status"]]
    for hours in (0.2, 1, 72):
        local_centre.ctl("advance", hours=hours)
        seen.append(client.application_status(reference).data["status"])
    assert seen == ["received", "in_production", "ready_for_pickup", "collected"]


def test_ready_application_says_where_to_pick_the_card_up(local_centre):
    client = CentreClient(local_centre.url, **local_centre.terminal)
    reference, card_number = _ready_card(client, local_centre, person(1))
    status = client.application_status(reference).data
    assert status["pickup"] == {"method": "outlet", "outlet_id": "CS-01"}
    assert card_number


def test_unknown_application_is_404(local_centre):
    reply = CentreClient(local_centre.url, **local_centre.terminal).application_status("A99999999")
    assert reply.status == 404 and reply.outcome is Outcome.REJECTED


def test_post_without_idempotency_key_is_refused(local_centre):
    response = httpx.post(local_centre.url + "/v1/loss-reports", json={"id_number": people.ID_NUMBER}, verify=local_centre.tls)
    assert response.status_code == 400 and response.json()["error"]["code"] == "idempotency_key_required"


def test_body_that_is_not_json_is_refused(local_centre):
    response = httpx.post(local_centre.url + "/v1/applications", content=b"{not json", headers={"Idempotency-Key": "key-bad-json"}, verify=local_centre.tls)
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_json"


def test_down_refuses_connections_and_up_listens_on_the_same_port(centre):
    client = CentreClient(centre.url, **centre.terminal)
    assert centre.ctl("down") == {"listening": False, "url": centre.url}
    assert client.health().outcome is Outcome.OFFLINE
    centre.ctl("up")
    assert client.health().ok


def test_activation_replaces_the_old_card_and_collects_the_application(local_centre):
    holder = person(2)
    local_centre.ctl("add_card", card_number="OLD000002", id_number=holder, status="active")
    client = CentreClient(local_centre.url, **local_centre.terminal)
    reference, new_card = _ready_card(client, local_centre, holder)
    before = {c["card_number"]: c["status"] for c in client.cards_of(holder).data["cards"]}
    assert before == {"OLD000002": "active", new_card: "not_activated"}
    activation = client.activate_card("key-activate-2", new_card, {"id_number": holder})
    assert activation.status == 201 and activation.data["replaced_cards"] == ["OLD000002"]
    after = {c["card_number"]: c["status"] for c in client.cards_of(holder).data["cards"]}
    assert after == {"OLD000002": "replaced", new_card: "active"}
    assert client.application_status(reference).data["status"] == "collected"


def test_card_still_in_production_cannot_be_activated(local_centre):
    client = CentreClient(local_centre.url, **local_centre.terminal)
    holder = person(3)
    reference = client.submit_application("key-early-3", people.application(id_number=holder)).reference
    assert client.cards_of(holder).data["cards"] == []  # not issued yet
    reply = client.activate_card("key-early-activate", "C00000001", {"id_number": holder})
    assert reply.status == 404 and client.application_status(reference).data["status"] == "received"


def test_someone_elses_card_cannot_be_activated(local_centre):
    local_centre.ctl("add_card", card_number="NEW000004", id_number=person(4), status="not_activated")
    reply = CentreClient(local_centre.url, **local_centre.terminal).activate_card("key-other-4", "NEW000004", {"id_number": person(5)})
    assert reply.outcome is Outcome.REJECTED and "not_the_holder" in reply.reason


def test_loss_report_blocks_the_card_and_cancelling_restores_it(local_centre):
    holder = person(6)
    local_centre.ctl("add_card", card_number="LOST00006", id_number=holder, status="active")
    client = CentreClient(local_centre.url, **local_centre.terminal)
    report = client.report_loss("key-loss-6", {"id_number": holder})
    assert report.status == 201 and report.data["card_number"] == "LOST00006"
    again = client.report_loss("key-loss-6-again", {"id_number": holder})
    assert again.status == 200 and again.data["already_reported"] and again.reference == report.reference
    cancel = client.cancel_loss_report("key-unloss-6", "LOST00006", {"id_number": holder})
    assert cancel.status == 201 and cancel.data["loss_report"] == report.reference
    assert client.cards_of(holder).data["cards"][0]["status"] == "active"


def test_person_without_a_card_cannot_report_one_lost(local_centre):
    reply = CentreClient(local_centre.url, **local_centre.terminal).report_loss("key-nocard-7", {"id_number": person(7)})
    assert reply.status == 404 and "no_card_on_record" in reply.reason


def test_pin_reset_block_opens_with_the_cards_reload_key(local_centre):
    holder = person(8)
    local_centre.ctl("add_card", card_number="PINR00008", id_number=holder, status="active")
    challenge = bytes.fromhex("0102030405060708")
    reply = CentreClient(local_centre.url, **local_centre.terminal).reset_pin(
        "key-pin-reset-8", {"card_number": "PINR00008", "id_number": holder, "challenge": challenge.hex(), "new_pin": "654321"}
    )
    assert reply.status == 201
    block = bytes.fromhex(reply.data["block"])
    assert reply.data["reload_apdu"] == "8424000114" + reply.data["block"]
    assert open_reload_block(TEST_RELOAD_KEY, challenge, block) == "654321"
    assert open_reload_block(TEST_RELOAD_KEY, bytes(8), block) is None  # bound to that challenge


def test_pin_change_record_carrying_a_pin_is_refused(local_centre):
    local_centre.ctl("add_card", card_number="PINC00009", id_number=person(9))
    client = CentreClient(local_centre.url, **local_centre.terminal)
    refused = client.record_pin_change("key-pinc-9a", "PINC00009", {"new_pin": "123456"})
    assert refused.outcome is Outcome.REJECTED and "pin_not_accepted" in refused.reason
    assert client.record_pin_change("key-pinc-9b", "PINC00009", {"changed_at": "2026-11-23T10:00:00"}).status == 201


def test_cards_of_the_card_simulators_profiles_are_on_record(local_centre):
    profile = load_profile(available_profiles()[0])
    cards = CentreClient(local_centre.url, **local_centre.terminal).cards_of(profile.social_security_number).data["cards"]
    assert {"card_number": profile.card_number, "status": profile.centre_status, "generation": profile.generation} in cards


def test_restarted_centre_remembers_applications_and_keys(tmp_path):
    state = tmp_path / "state"
    first = start_centre(state)
    try:
        reference = CentreClient(first.url, **first.terminal).submit_application("key-restart-1", people.application()).reference
    finally:
        stop(first.proc)
    second = start_centre(state)
    try:
        client = CentreClient(second.url, **second.terminal)
        assert client.application_status(reference).ok
        again = client.submit_application("key-restart-1", people.application())
        assert again.duplicate and again.reference == reference
    finally:
        stop(second.proc)


def test_centre_state_holds_no_readable_personal_data(local_centre):
    client = CentreClient(local_centre.url, **local_centre.terminal)
    client.submit_application("key-privacy-1", people.application(), [people.photo()])
    client.report_loss("key-privacy-2", {"id_number": people.ID_NUMBER})
    raw = b"".join(p.read_bytes() for p in local_centre.state_dir.iterdir() if p.name.startswith("centre.sqlite3"))
    assert b"applications" in raw
    for secret in (people.NAME, people.ID_NUMBER, people.PHONE, people.ADDRESS):
        assert secret.encode() not in raw


def test_second_centre_on_a_busy_port_says_so(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [KIOSK, "sim", "centre", "--port", str(port), "--state-dir", str(tmp_path)],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert done.returncode == 1 and f"port {port} is in use" in done.stderr


@pytest.mark.parametrize("verb,args", [("slow", {"seconds": -1}), ("fail5xx", {"count": -2})])
def test_control_socket_refuses_nonsense(centre, verb, args):
    with pytest.raises(RuntimeError, match="0 or more"):
        centre.ctl(verb, **args)
