"""补领 · 换领 · 换发 at the centre simulator, through the kiosk's client: the card record a
replacement needs for each of the simulator's people, and the replacement application,
idempotent like a new-card application and refused where the rules say no."""

from __future__ import annotations

import base64
import sqlite3
from dataclasses import dataclass

import pytest

from hwsim.centre.replacement import full_id_number
from kiosk.centre.client import CentreClient, Outcome

UPGRADE_GEN2 = full_id_number("50011519780910062")
UPGRADED_TWICE = full_id_number("50011519810505071")
REPORTED_LOST = full_id_number("50011519720408113")
NOT_REPORTED = full_id_number("50011519880220084")
CHILD = full_id_number("50011520160612023")
GEN1 = full_id_number("50011519560312021")
GEN3 = full_id_number("50011519900215128")
GUARDIAN = full_id_number("50011519880914046")
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0 a photo \xff\xd9").decode()


@dataclass
class Photo:
    name: str = "photo"
    content_type: str = "image/jpeg"
    data: bytes = b"\xff\xd8\xff\xe0 a photo \xff\xd9"


@pytest.fixture
def client(local_centre):
    with CentreClient(local_centre.url, **local_centre.terminal, terminal_id="T01") as c:
        yield c


def body(id_number: str, kind: str = "upgrade", reason: str = "new_generation", **extra) -> dict:
    return {
        "kind": kind, "reason": reason, "role": "self",
        "applicant": {"id_number": id_number, "id_kind": "resident_id", "name": "测试"},
        "photo": "on_record", "bank": "icbc", "pickup": {"method": "on_site"},
        "outlet_id": "CS-01", "terminal_id": "T01", "voucher_serial": "CS01-T01-20261203-0001", **extra,
    }  # fmt: skip


# --- the card record ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "id_number, card, generation, status, bank, photo, third",
    [
        (UPGRADE_GEN2, "A00024680", 2, "active", "icbc", "2014-05-10", 0),
        (UPGRADED_TWICE, "A00013579", 2, "active", "ccb", "2023-03-01", 2),
        (REPORTED_LOST, "A00055555", 2, "reported_lost", "abc", "2015-06-18", 0),
        (NOT_REPORTED, "A00046802", 2, "active", "boc", "2017-08-08", 0),
        (CHILD, "C50011570", 3, "active", "psbc", None, 1),
        (GEN1, "A00012345", 1, "active", None, "2009-04-20", 0),
        (GEN3, "C50011521", 3, "active", "icbc", "2024-03-15", 1),
    ],
)
def test_the_card_record_of_each_simulated_person(client, id_number, card, generation, status, bank, photo, third):
    reply = client.replacement_record(id_number)
    assert reply.ok, reply.reason
    assert reply.data["card"] == {"card_number": card, "generation": generation, "status": status, "bank": bank}
    assert reply.data["photo_on_record"] == ({"taken_on": photo} if photo else None)
    assert reply.data["third_generation_cards"] == third


def test_someone_without_any_card_is_not_found(client):
    reply = client.replacement_record(full_id_number("11010519491231002"))
    assert reply.outcome is Outcome.REJECTED and reply.status == 404 and "no_card_on_record" in reply.reason


def test_the_centre_down_is_offline_for_the_record(client, local_centre):
    local_centre.ctl("down")
    assert client.replacement_record(GEN3).outcome is Outcome.OFFLINE


# --- the application -----------------------------------------------------------------------


def test_an_upgrade_makes_one_application_and_a_third_generation_card(client, local_centre):
    reply = client.submit_replacement("replace-upgrade-1", body(UPGRADE_GEN2, card_number="A00024680"))
    assert reply.status == 201 and reply.data["kind"] == "upgrade" and reply.data["replaces"] == "A00024680"
    [app] = local_centre.applications()
    assert app["service"] == "upgrade" and app["reference"] == reply.reference
    assert client.replacement_record(UPGRADE_GEN2).data["third_generation_cards"] == 1
    assert local_centre.ctl("replacements")[0]["reason"] == "new_generation"


def test_the_same_key_twice_is_one_application(client, local_centre):
    first = client.submit_replacement("replace-twice-1", body(UPGRADE_GEN2))
    again = client.submit_replacement("replace-twice-1", body(UPGRADE_GEN2))
    assert again.duplicate and again.reference == first.reference
    assert len(local_centre.applications()) == 1


def test_the_same_key_for_another_body_is_refused(client):
    client.submit_replacement("replace-reused-1", body(UPGRADE_GEN2))
    other = client.submit_replacement("replace-reused-1", body(UPGRADE_GEN2, bank="ccb"))
    assert other.status == 422 and "idempotency_key_reused" in other.reason


def test_a_dropped_answer_then_the_retry_make_one_application(client, local_centre):
    local_centre.ctl("drop_response", count=1)
    assert client.submit_replacement("replace-dropped-1", body(GEN1, bank="boc")).outcome is Outcome.NO_ANSWER
    assert client.submit_replacement("replace-dropped-1", body(GEN1, bank="boc")).duplicate
    assert len(local_centre.applications()) == 1


def test_a_5xx_processes_nothing(client, local_centre):
    local_centre.ctl("fail5xx", count=1)
    assert client.submit_replacement("replace-5xx-01", body(GEN1, bank="boc")).outcome is Outcome.SERVER_ERROR
    assert local_centre.applications() == []


def test_a_reissue_needs_the_card_reported_lost_first(client, local_centre):
    refused = client.submit_replacement("reissue-early-1", body(NOT_REPORTED, "reissue", "lost"))
    assert refused.status == 422 and "card_not_reported_lost" in refused.reason
    assert client.report_loss("loss-first-0001", {"id_number": NOT_REPORTED}).status == 201
    reply = client.submit_replacement("reissue-after-1", body(NOT_REPORTED, "reissue", "lost"))
    assert reply.status == 201 and reply.data["replaces"] == "A00046802"


def test_a_card_already_reported_lost_is_reissued(client):
    reply = client.submit_replacement("reissue-lost-01", body(REPORTED_LOST, "reissue", "lost"))
    assert reply.status == 201 and reply.data["replaces"] == "A00055555"


def test_a_third_generation_card_is_not_upgraded(client):
    reply = client.submit_replacement("upgrade-gen3-01", body(GEN3))
    assert reply.status == 422 and "already_third_generation" in reply.reason


def test_a_reason_of_another_kind_is_refused(client):
    reply = client.submit_replacement("replace-mixed-1", body(GEN3, "replace", "lost"))
    assert reply.status == 422 and "reason_does_not_fit" in reply.reason


def test_someone_elses_card_is_refused(client):
    reply = client.submit_replacement("replace-other-1", body(GEN3, "replace", "damaged", card_number="A00024680"))
    assert reply.status == 422 and "not_the_holder" in reply.reason


def test_keeping_the_photo_needs_one_on_record_and_only_a_child_may_have_none(client):
    guardian = {"id_number": GUARDIAN, "name": "陈晓红"}
    kept = client.submit_replacement("child-keep-0001", body(CHILD, "replace", "damaged", role="minor", guardian=guardian))
    assert kept.status == 422 and "no_photo_on_record" in kept.reason
    adult = client.submit_replacement("adult-none-0001", body(GEN3, "replace", "damaged", photo="none"))
    assert adult.status == 422 and "photo_required" in adult.reason
    child = client.submit_replacement("child-none-0001", body(CHILD, "replace", "damaged", photo="none", role="minor", guardian=guardian))
    assert child.status == 201


def test_a_new_photo_comes_as_an_attachment_and_is_then_on_record(client):
    missing = client.submit_replacement("new-photo-miss1", body(CHILD, "replace", "damaged", photo="new", role="minor",
                                                                 guardian={"id_number": GUARDIAN, "name": "陈晓红"}))  # fmt: skip
    assert missing.status == 422 and "missing_photo" in missing.reason
    reply = client.submit_replacement(
        "new-photo-0001", body(GEN3, "replace", "expired", photo="new"), attachments=[Photo()]
    )
    assert reply.status == 201
    assert client.replacement_record(GEN3).data["photo_on_record"] is not None


def test_a_guardian_must_be_named_and_is_not_the_child(client):
    missing = client.submit_replacement("guardian-miss-1", body(CHILD, "replace", "damaged", photo="none", role="minor"))
    assert missing.status == 422 and "helper_required" in missing.reason and "guardian" in missing.reason
    same = client.submit_replacement(
        "guardian-same-1", body(CHILD, "replace", "damaged", photo="none", role="minor", guardian={"id_number": CHILD, "name": "x"})
    )
    assert same.status == 422 and "helper_is_applicant" in same.reason


def test_activating_the_new_card_replaces_the_old_one(client, local_centre):
    reply = client.submit_replacement("activate-new-01", body(UPGRADE_GEN2))
    local_centre.ctl("advance", hours=2)  # ready for pickup
    card = client.application_status(reply.reference).data["card_number"]
    done = client.activate_card("activate-new-02", card, {"id_number": UPGRADE_GEN2})
    assert done.status == 201 and done.data["replaced_cards"] == ["A00024680"]


def test_the_simulator_keeps_no_id_numbers(client, local_centre):
    client.submit_replacement("no-numbers-0001", body(UPGRADE_GEN2))
    db = sqlite3.connect(local_centre.state_dir / "centre.sqlite3")
    try:
        dump = "\n".join(db.iterdump())
    finally:
        db.close()
    assert UPGRADE_GEN2 not in dump and GUARDIAN not in dump


def test_the_replacement_paths_the_client_calls_are_documented():
    import re
    from pathlib import Path

    import yaml

    from kiosk.centre import api

    doc = yaml.safe_load((Path(__file__).resolve().parents[2] / "docs" / "centre-api.yaml").read_text(encoding="utf-8"))
    templates = [re.compile(re.sub(r"\{[^}]+\}", "[^/]+", p)) for p in doc["paths"]]
    for path in (api.replacements(), api.person_replacement_record(api.person_hash(GEN3, b"\x5a" * 32))):
        assert any(t.fullmatch(path) for t in templates), path
