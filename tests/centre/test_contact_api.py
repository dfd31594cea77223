"""信息变更 at the centre simulator, through the kiosk's client: the address and phone on record
for a cardholder, and their change, idempotent like an application and refused where the
document and the centre's rules say no (docs/centre-api.yaml, contactRecord and
submitContactChange)."""

from __future__ import annotations

import pytest

from hwsim.centre.contract import contract
from hwsim.centre.replacement import full_id_number
from kiosk.centre.client import CentreClient, Outcome
from kiosk.domain.application import Identity, Source
from kiosk.domain.contact_details import ADDRESS_PART_MAX, Detail, IdentifiedBy
from kiosk.domain.documents import DocumentKind
from kiosk.domain.postal_address import PostalAddress
from kiosk.flows.change_contact import ContactChange
from kiosk.flows.record import Record, idempotency_key
from kiosk.offline.outbox import Attachment, Kind
from tests.centre.test_client import _sent, refusal

GEN3 = full_id_number("50011519900215128")  # 王芳: address and phone on record
NOT_ACTIVATED = full_id_number("50011519660101246")  # an address, no phone
UPGRADE_GEN2 = full_id_number("50011519780910062")  # a phone, no address
GEN1 = full_id_number("50011519560312021")  # a cardholder with no contact data at all
NOBODY = full_id_number("11010519491231002")  # no card on record
GEN3_CARD = "C50011521"
OTHER_CARD = "A00024680"  # upgrade-gen2's
NEW_PHONE = "13811112222"
ADDRESS = {"city": "重庆市", "district": "长寿区", "street": "凤城街道", "rest": "向阳路88号2单元3-1"}


@pytest.fixture
def client(local_centre):
    with CentreClient(local_centre.url, **local_centre.terminal) as c:
        yield c


def change(id_number: str = GEN3, **fields) -> dict:
    return {"id_number": id_number, "identified_by": "id_card", "outlet_id": "CS-01", "terminal_id": "T01",
            "voucher_serial": "CS01-T01-20261203-0001", **fields}  # fmt: skip


def code(reply) -> str:
    return reply.data["error"]["code"]


# --- the record -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "id_number, address, phone",
    [
        (GEN3, "重庆市长寿区凤城街道桃花街12号", "13987654321"),
        (NOT_ACTIVATED, "重庆市长寿区晏家街道齐心大道8号", None),
        (UPGRADE_GEN2, None, "13600001111"),
        (GEN1, None, None),
    ],
)
def test_the_contact_record_of_each_simulated_cardholder(client, id_number, address, phone):
    reply = client.contact_record(id_number)
    assert reply.ok, reply.reason
    assert reply.data == {"address": address, "phone": phone, "updated_at": None}


def test_someone_without_a_card_has_no_contact_record(client):
    reply = client.contact_record(NOBODY)
    assert (reply.outcome, reply.status, code(reply)) == (Outcome.REJECTED, 404, "no_card_on_record")


def test_the_centre_down_is_offline_for_the_record(client, local_centre):
    local_centre.ctl("down")
    assert client.contact_record(GEN3).outcome is Outcome.OFFLINE


# --- the change -----------------------------------------------------------------------------


def test_a_new_phone_is_changed_and_the_record_shows_it(client, local_centre):
    reply = client.submit_contact_change("info_change:0001", change(phone=NEW_PHONE))
    assert reply.status == 201 and reply.data["changed"] == ["phone"]
    record = client.contact_record(GEN3).data
    assert record["phone"] == NEW_PHONE and record["address"] == "重庆市长寿区凤城街道桃花街12号" and record["updated_at"]
    [kept] = local_centre.ctl("contact_changes")
    assert kept["changed"] == ["phone"] and kept["identified_by"] == "id_card" and "person" not in kept


def test_an_address_in_its_parts_is_kept_as_one_line(client):
    reply = client.submit_contact_change("info_change:0002", change(address=ADDRESS, phone=NEW_PHONE))
    assert reply.data["changed"] == ["address", "phone"]
    assert client.contact_record(GEN3).data["address"] == "重庆市长寿区凤城街道向阳路88号2单元3-1"


def test_the_same_key_twice_changes_once_and_answers_the_same_reference(client, local_centre):
    first = client.submit_contact_change("info_change:0003", change(phone=NEW_PHONE))
    again = client.submit_contact_change("info_change:0003", change(phone=NEW_PHONE))
    assert first.status == 201 and again.status == 200 and again.duplicate
    assert again.reference == first.reference and again.data["changed"] == ["phone"]
    assert len(local_centre.ctl("contact_changes")) == 1


def test_the_same_key_with_another_phone_is_refused(client):
    client.submit_contact_change("info_change:0004", change(phone=NEW_PHONE))
    reply = client.submit_contact_change("info_change:0004", change(phone="13900000000"))
    assert (reply.status, code(reply)) == (422, "idempotency_key_reused")


def test_the_phone_already_on_record_changes_nothing_and_is_not_refused(client):
    reply = client.submit_contact_change("info_change:0005", change(phone="13987654321"))
    assert reply.status == 201 and reply.data["changed"] == []
    assert client.contact_record(GEN3).data["updated_at"] is None


def test_the_card_of_someone_else_is_refused(client):
    reply = client.submit_contact_change("info_change:0006", change(identified_by="card_and_pin", card_number=OTHER_CARD, phone=NEW_PHONE))
    assert (reply.status, code(reply)) == (422, "not_the_holder")
    assert client.contact_record(GEN3).data["phone"] == "13987654321"


def test_a_card_the_centre_does_not_know_is_not_found(client):
    reply = client.submit_contact_change("info_change:0007", change(identified_by="card_and_pin", card_number="C99999999", phone=NEW_PHONE))
    assert (reply.status, code(reply)) == (404, "unknown_card")


def test_someone_without_a_card_cannot_change_anything(client):
    reply = client.submit_contact_change("info_change:0008", change(NOBODY, phone=NEW_PHONE))
    assert (reply.status, code(reply)) == (404, "no_card_on_record")


@pytest.mark.parametrize(
    "fields, refused",
    [
        ({}, "invalid_field"),  # neither address nor phone (the body's anyOf)
        ({"phone": "12345678901"}, "invalid_field"),
        ({"phone": NEW_PHONE, "proxy": {"id_number": NOBODY, "name": "李四"}}, "unknown_field"),
        ({"phone": NEW_PHONE, "name": "王小芳"}, "unknown_field"),
        ({"address": {**ADDRESS, "rest": "一" * 61}}, "invalid_field"),
        ({"address": {"district": "长寿区", "street": "凤城街道"}}, "missing_field"),
        ({"address": {**ADDRESS, "street": ""}}, "invalid_field"),
    ],
    ids=["nothing to change", "not a mobile number", "a proxy", "key data (the name)", "the rest over 60", "no rest", "an empty street"],
)
def test_what_the_document_refuses_changes_nothing(client, local_centre, fields, refused):
    reply = client.submit_contact_change("info_change:0009", change(**fields))
    assert (reply.status, code(reply)) == (422, refused)
    assert local_centre.ctl("contact_changes") == []


def test_the_kiosks_address_limits_are_the_documents():
    parts = contract().document["components"]["schemas"]["PostalAddress"]["properties"]
    assert {name: part["maxLength"] for name, part in parts.items()} == ADDRESS_PART_MAX


def test_an_address_without_a_street_is_kept_as_written(client):
    """Where the policy lists no streets (Beijing) the resident writes the street with the rest."""
    address = {"district": "怀柔区", "rest": "青春路1号"}
    assert client.submit_contact_change("info_change:0010", change(address=address)).data["changed"] == ["address"]
    assert client.contact_record(GEN3).data["address"] == "怀柔区青春路1号"


# --- the kiosk's own requests against the document (as tests/centre/test_client.py does) ------


def kiosk_change(details: frozenset, address: PostalAddress | None, identified_by: IdentifiedBy, card: str | None) -> ContactChange:
    holder = Identity(DocumentKind.RESIDENT_ID, GEN3, "王芳", Source.READER)
    return ContactChange(holder=holder, identified_by=identified_by, card_number=card, details=details, address=address,
                         phone=NEW_PHONE, signature=bytearray(b"\x89PNG signature"))  # fmt: skip


KIOSK_CHANGES = {
    "address and phone by ID card": kiosk_change(
        frozenset(Detail), PostalAddress("长寿区", "凤城街道", "向阳路13号", "重庆市"), IdentifiedBy.ID_CARD, None),
    "phone by card and PIN": kiosk_change(frozenset({Detail.PHONE}), None, IdentifiedBy.CARD_AND_PIN, GEN3_CARD),
    "an address without a street (Beijing)": kiosk_change(
        frozenset({Detail.ADDRESS}), PostalAddress("怀柔区", "", "青春路1号"), IdentifiedBy.ID_CARD, None),
}  # fmt: skip


@pytest.mark.parametrize("change", KIOSK_CHANGES.values(), ids=KIOSK_CHANGES.keys())
def test_every_contact_change_the_kiosk_makes_is_one_the_document_allows(change):
    record = Record(service="info_change", kind=Kind.CONTACT_CHANGE, holder_name="王芳", holder_number=GEN3,
                    payload={**change.payload(outlet_id="CS-01", terminal_id="T01"), "voucher_serial": "CS01-T01-20261203-0001"},
                    attachments=(Attachment("signature", bytes(change.signature), "image/png"),))  # fmt: skip
    assert refusal(_sent(lambda c: c.submit_contact_change(idempotency_key(record.service),
                                                           record.payload, record.attachments))) is None  # fmt: skip
    assert refusal(_sent(lambda c: c.contact_record(GEN3))) is None
