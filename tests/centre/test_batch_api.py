"""批量新办 · 批量补换 at the centre simulator, through the kiosk's client: the batch record and
its people arrive in either order, each person once, and the centre lists what it holds."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hwsim.centre.replacement import full_id_number
from kiosk.centre.client import CentreClient, Outcome

USCC = "91500115MA5U7A1Q7C"
OTHER_USCC = "91500115MA60XK2B34"
SERIAL = "CS01-T01-20261203-0042"
ADULT = full_id_number("50011519900215128")
SECOND = full_id_number("50011519880914046")
CHILD = full_id_number("50011520160612023")
DIGEST = "ab" * 32


@dataclass
class Image:
    name: str
    content_type: str = "image/jpeg"
    data: bytes = b"\xff\xd8\xff\xe0 an image \xff\xd9"


ADULT_IMAGES = [Image("photo"), Image("id_front"), Image("id_back")]


@pytest.fixture
def client(local_centre):
    with CentreClient(local_centre.url, **local_centre.terminal) as c:
        yield c


def record(**extra) -> dict:
    return {
        "batch_serial": SERIAL, "kind": "batch_new",
        "employer": {"name": "重庆市长寿区示例有限公司", "uscc": USCC},
        "handler": {"id_number": SECOND, "id_kind": "resident_id", "name": "经办人"},
        "handler_proof": "id_card", "package_digest": DIGEST,
        "people": {"submitted": 2, "left_out": 1}, "outlet_id": "CS-01", "terminal_id": "T01",
        "pickup": {"method": "outlet", "outlet_id": "CS-01"}, **extra,
    }  # fmt: skip


def person(id_number: str = ADULT, row: int = 3, **extra) -> dict:
    return {
        "batch_serial": SERIAL, "kind": "batch_new", "employer_uscc": USCC, "row": row,
        "applicant": {"id_number": id_number, "name": "职工", "nation": "汉", "phone": "023-40241234", "address": "重庆市长寿区"},
        "id_valid_until": "long_term", "bank": "icbc", **extra,
    }  # fmt: skip


def test_a_batch_and_its_people_are_held_each_once(client):
    assert client.submit_batch("batch:record:0001", record(), [Image("employer_letter")]).status == 201
    first = client.submit_batch_application("batch:person:0001", person(ADULT, 3), ADULT_IMAGES)
    second = client.submit_batch_application("batch:person:0002", person(SECOND, 4), ADULT_IMAGES)
    assert first.status == second.status == 201 and first.data["batch_serial"] == SERIAL
    again = client.submit_batch_application("batch:person:0001", person(ADULT, 3), ADULT_IMAGES)
    assert again.duplicate and again.reference == first.reference
    status = client.batch_status(SERIAL)
    assert status.data["people_received"] == 2 and status.data["recorded"] and status.data["people_left_out"] == 1
    assert [(a["row"], a["reference"]) for a in status.data["applications"]] == [(3, first.reference), (4, second.reference)]
    [listed] = client.batches().data["batches"]
    assert listed["employer_name"] == "重庆市长寿区示例有限公司" and listed["people_received"] == 2
    assert client.application_status(first.reference).data["service"] == "batch_new"


def test_people_arriving_before_the_record_open_the_batch(client):
    assert client.submit_batch_application("batch:person:0001", person(), ADULT_IMAGES).status == 201
    early = client.batch_status(SERIAL).data
    assert not early["recorded"] and early["reference"] is None and early["people_received"] == 1
    assert client.submit_batch("batch:record:0001", record(), [Image("employer_letter")]).status == 201
    assert client.batch_status(SERIAL).data["recorded"]


def test_a_person_already_in_the_batch_under_another_key_is_refused(client):
    client.submit_batch_application("batch:person:0001", person(), ADULT_IMAGES)
    reply = client.submit_batch_application("batch:person:9999", person(row=7), ADULT_IMAGES)
    assert reply.outcome is Outcome.REJECTED and "already_in_batch" in reply.reason
    assert client.batch_status(SERIAL).data["people_received"] == 1


def test_a_wrong_uscc_check_character_is_refused(client):
    bad = USCC[:-1] + "X"
    reply = client.submit_batch("batch:record:0001", record(employer={"name": "某公司", "uscc": bad}), [Image("employer_letter")])
    assert reply.status == 422 and "bad_uscc" in reply.reason
    assert client.submit_batch_application("batch:person:0001", person(employer_uscc=bad), ADULT_IMAGES).status == 422


def test_the_record_without_the_letter_is_refused_by_the_document(client):
    reply = client.submit_batch("batch:record:0001", record())
    assert reply.status == 422 and "invalid_field" in reply.reason


def test_another_employer_under_the_same_serial_is_a_mismatch(client):
    client.submit_batch_application("batch:person:0001", person(), ADULT_IMAGES)
    reply = client.submit_batch_application("batch:person:0002", person(SECOND, employer_uscc=OTHER_USCC), ADULT_IMAGES)
    assert reply.status == 422 and "batch_mismatch" in reply.reason


def test_a_second_record_with_the_same_serial_is_refused(client):
    client.submit_batch("batch:record:0001", record(), [Image("employer_letter")])
    reply = client.submit_batch("batch:record:0002", record(package_digest="cd" * 32), [Image("employer_letter")])
    assert reply.status == 422 and "batch_recorded" in reply.reason


@pytest.mark.parametrize(
    "id_number, extra, images, code",
    [
        (ADULT, {}, [Image("photo"), Image("id_front")], "missing_id_images"),
        (ADULT, {}, [Image("id_both")], "missing_photo"),
        (CHILD, {"minor": True}, [Image("photo")], "missing_register_page"),
    ],
)
def test_a_person_without_the_images_the_seed_asks_for_is_refused(client, id_number, extra, images, code):
    reply = client.submit_batch_application("batch:person:0001", person(id_number, **extra), images)
    assert reply.status == 422 and code in reply.reason


def test_a_replacement_keeps_the_old_photo_unless_it_changes_and_a_child_needs_only_register_pages(client):
    replace = {"kind": "batch_replace", "batch_serial": "CS01-T01-20261203-0043", "reason": "损坏"}
    assert client.submit_batch_application("batch:person:0001", person(**replace, photo_change=False), [Image("id_both")]).status == 201
    assert client.submit_batch_application("batch:person:0002", person(CHILD, minor=True), [Image("household_own"), Image("household_change")]).status == 201


def test_an_unknown_batch_is_not_found(client):
    reply = client.batch_status("CS01-T01-20261203-9999")
    assert reply.status == 404 and "unknown_batch" in reply.reason


def test_a_malformed_batch_serial_is_a_bad_request(client):
    reply = client.batch_status("not-a-serial")
    assert reply.status == 400 and "bad_batch_serial" in reply.reason


def test_the_centre_down_is_offline_for_a_batch(client, local_centre):
    local_centre.ctl("down")
    assert client.submit_batch("batch:record:0001", record(), [Image("employer_letter")]).outcome is Outcome.OFFLINE
