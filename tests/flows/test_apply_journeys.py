"""The three kinds of applicant, end to end through the real drivers and simulators."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import time
from pathlib import Path

import jsonschema
import yaml

from hwsim.centre.test_ca import simulator_person_hash as person_hash
from kiosk.domain.application import PHONE_REASON, AddressSource, Application
from kiosk.domain.masking import mask_id_number, mask_name
from kiosk.domain.voucher import verify_payload
from kiosk.flows import apply_card, submission
from kiosk.flows.context import KioskServices
from kiosk.flows.scripted import ScriptedPort
from kiosk.flows.steps import BACK, CONFIRM, HOME
from kiosk.offline.outbox import ItemState
from tests.flows import journeys
from tests.flows.conftest import FAST, centre_rows, printed_jobs, run_flow

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "centre-api.yaml"


def sent_bodies(services) -> list[dict]:
    """The bodies the kiosk stored for the centre (the centre itself keeps no personal data)."""
    outbox = services.outbox
    rows = outbox.db.execute("SELECT idempotency_key, kind, payload FROM outbox_items ORDER BY id").fetchall()
    return [json.loads(outbox.cipher.open(blob, row=key, column="payload", kind=kind)) for key, kind, blob in rows]


def test_applying_for_myself_prints_a_signed_voucher_and_the_centre_gets_one_application(rig, services):
    port = run_flow(services, journeys.for_myself("resident") + journeys.FINISH)
    person = journeys.people()["resident"]
    [job] = printed_jobs(rig)
    assert job["complete"] and job["cut"]
    [payload] = job["qr"]
    fields = verify_payload(payload["content"], services.key)
    text = "\n".join(job["lines"])
    assert fields["serial"] in text and mask_id_number(person.id_number) in text
    assert person.id_number not in text and person.fields["name"] not in text
    assert "尚未上传" not in text  # the centre was up
    [row] = centre_rows(rig)
    assert row["person"] == person_hash(person.id_number) and row["voucher_serial"] == fields["serial"]
    assert {a["name"] for a in json.loads(row["attachments"])} == {"photo", "scene", "signature"}
    [item] = services.outbox.items()
    assert item.state is ItemState.SENT and item.voucher_serial == fields["serial"]
    assert port.screens()[-1] == "done"


def test_a_guardian_applies_for_a_child_without_a_photo(rig, services):
    port = run_flow(services, journeys.for_my_child("mother", "minor", photo=False) + journeys.FINISH)
    people = journeys.people()
    photo_step = port.last("photo")
    assert photo_step.params["optional"] is True and photo_step.answer == "skip"
    [row] = centre_rows(rig)
    assert row["person"] == person_hash(people["minor"].id_number)  # the card is the child's
    assert {a["name"] for a in json.loads(row["attachments"])} == {"signature"}
    [job] = printed_jobs(rig)
    assert mask_id_number(people["minor"].id_number) in "\n".join(job["lines"])
    rows = dict((label.en, value) for label, value in port.last("review").params["rows"])
    assert rows["Guardian (you)"].startswith("陈*") and people["mother"].id_number not in rows["Guardian (you)"]
    assert "Cardholder (your child)" in rows  # the roles are named: whose card, who is at the kiosk
    printed = "".join("".join(job["lines"]).split())
    assert f"代办人：{mask_name(people['mother'].fields['name'])}{mask_id_number(people['mother'].id_number)}" in printed
    assert people["mother"].id_number not in printed


def test_an_adult_applies_for_another_adult_whose_passport_is_typed(rig, services):
    port = run_flow(services, journeys.for_another_adult_by_passport("resident") + journeys.FINISH)
    rows = {label.en: value for label, value in port.last("review").params["rows"]}
    assert rows["Cardholder"] == f"{journeys.PASSPORT_NAME}（{journeys.PASSPORT_CHINESE_NAME}）"  # typed: in full
    assert rows["Proxy (you)"].startswith(mask_name(journeys.people()["resident"].fields["name"]))  # read: masked
    [delivery] = sent_bodies(services)
    assert delivery["applicant"]["id_kind"] == "passport" and delivery["applicant"]["id_number"] == journeys.PASSPORT
    assert delivery["proxy"]["id_number"] == journeys.people()["resident"].id_number
    assert delivery["proxy"]["phone"] == journeys.PHONE and "phone" not in delivery["applicant"]
    [job] = printed_jobs(rig)
    assert mask_name(journeys.PASSPORT_NAME) in "\n".join(job["lines"])


def test_post_to_the_address_on_the_id_card(rig, services):
    script = journeys.for_myself("resident", pickup_entries=journeys.pickup("post", "id_card")) + journeys.FINISH
    port = run_flow(services, script)
    address_step = port.asked("choose")[-1]
    assert "id_card" in [o.code for o in address_step.params["options"]]
    assert address_step.params["note"] == apply_card.ADDRESS_NOTE  # how a new address is written
    [body] = sent_bodies(services)
    assert body["pickup"] == {"method": "post", "address_source": "id_card", "address": journeys.people()["resident"].fields["address"]}
    [item] = services.outbox.items()
    voucher = services.outbox.stored_voucher(item.id)
    assert submission.POST_STEPS[AddressSource.ID_CARD] in voucher.next_steps
    due = services.calendar.add_workdays(voucher.issued_at.date(), 5)
    assert (voucher.expected_date, voucher.expected_is_estimate) == (due.date, due.estimated)


def test_post_to_a_written_address_when_the_document_has_none(rig, services):
    script = journeys.for_another_adult_by_passport(
        "resident", pickup_entries=[("choose", "post"), ("choose", "typed"), ("choose", "凤城街道"), ("chinese_input", "向阳路13号")]
    ) + journeys.FINISH
    port = run_flow(services, script)
    where_to = [step for step in port.asked("choose") if step.params["title"] == apply_card.ADDRESS][-1]
    assert "id_card" not in [o.code for o in where_to.params["options"]]  # a typed passport carries no address
    assert where_to.params["note"] == apply_card.ADDRESS_NOTE
    [body] = sent_bodies(services)
    assert body["pickup"] == {"method": "post", "address_source": "typed", "address": "重庆市长寿区凤城街道向阳路13号"}


def test_collect_at_another_outlet_names_it_on_the_voucher(rig, services):
    run_flow(services, journeys.for_myself("elder", pickup_entries=journeys.pickup("outlet", "CS-07")) + journeys.FINISH)
    outlet = services.policy.outlet("CS-07")
    [job] = printed_jobs(rig)
    text = "".join("\n".join(job["lines"]).split())
    assert outlet.name in text and "".join(outlet.address.split()) in text
    [body] = sent_bodies(services)
    assert body["pickup"] == {"method": "outlet", "outlet_id": "CS-07"}


def test_back_goes_one_step_back_and_keeps_going(rig, services):
    script = journeys.for_myself("resident")
    review_at = script.index(("review", CONFIRM))
    script[review_at:review_at + 1] = [("review", BACK), ("keypad", "13900001111"), ("review", CONFIRM)]
    port = run_flow(services, script + journeys.FINISH)
    first, second = port.asked("review")
    assert dict((l.en, v) for l, v in first.params["rows"])["Mobile"] == "138****5678"
    assert dict((l.en, v) for l, v in second.params["rows"])["Mobile"] == "139****1111"
    [body] = sent_bodies(services)
    assert body["applicant"]["phone"] == "13900001111"


def test_leaving_half_way_wipes_what_the_resident_gave(rig, services):
    kept = {}

    def leave(step):
        kept["application"] = application = port.session.get("application")
        kept["photo"], kept["scene"] = application.photo, application.scene
        return HOME

    port = ScriptedPort(journeys.for_myself("resident")[:4] + [("choose", leave)], services=services)
    asyncio.run(apply_card.apply_for_card(port))
    assert kept["photo"] and not any(kept["photo"]) and not any(kept["scene"])  # overwritten, not just dropped
    assert kept["application"].applicant is None and kept["application"].photo is None
    assert services.outbox.items() == [] and printed_jobs(rig, 0) == []


def test_a_mobile_number_is_checked(rig, services):
    def refuses_a_landline(step):
        assert step.params["keypad"] == "phone"
        assert step.params["validate"]("02340250850") == PHONE_REASON
        assert step.params["validate"]("1381234567") == PHONE_REASON
        assert step.params["validate"]("138 1234 5678") is None
        return "12345678901"  # slipped through the screen: the flow asks again

    script = journeys.for_myself("resident")
    at = script.index(("keypad", journeys.PHONE))
    script[at:at + 1] = [("keypad", refuses_a_landline), ("notice", "ok"), ("keypad", journeys.PHONE)]
    run_flow(services, script + journeys.FINISH)
    assert len(services.outbox.items()) == 1


def test_what_is_sent_matches_the_documented_centre_api(rig, services):
    run_flow(services, journeys.for_my_child("mother", "minor", photo=True) + journeys.FINISH)
    doc = yaml.safe_load(API_DOC.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator({"$ref": "#/components/schemas/Application", "components": doc["components"]})
    [body] = sent_bodies(services)
    assert list(validator.iter_errors(body)) == []
    assert body["role"] == "minor" and body["guardian"]["phone"] == journeys.PHONE


def test_an_idle_timeout_while_waiting_for_a_card_stops_the_reader_and_wipes_everything(rig, config):
    services = KioskServices.build(config, timeouts=dataclasses.replace(FAST, card_wait_s=30.0))
    journeys.place(None)
    port = ScriptedPort([("choose", "self"), ("choose", "reader")], services=services)

    async def walk_away_while_it_waits() -> Application:
        flow = asyncio.ensure_future(apply_card.apply_for_card(port))
        while not (port.steps and port.steps[-1].screen == "wait"):
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.3)  # it is polling the reader now
        application = port.session.get("application")
        port.cancel_token.cancel()  # what the shell does when the session times out
        flow.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await flow
        return application

    try:
        application = asyncio.run(walk_away_while_it_waits())
        asked = len(rig.id_reader.requests)
        time.sleep(0.5)
        assert len(rig.id_reader.requests) == asked  # nobody polls the reader any more
        assert application.role is not None and application.applicant is None and application.phone is None
        assert services.outbox.items() == []
    finally:
        services.close()


def test_a_kiosk_without_its_services_sends_the_resident_to_the_window():
    port = ScriptedPort([("notice", "ok")], services=None)
    asyncio.run(apply_card.apply_for_card(port))
    assert port.last("notice").params["title"] == apply_card.OUT_OF_SERVICE
