"""The rules of seed 003 1.1.1 as pure functions: who may apply for whom, typed documents, the phone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml

from kiosk.domain.application import (
    AddressSource,
    Application,
    IncompleteApplication,
    InvalidPhone,
    Identity,
    Pickup,
    Position,
    Role,
    Source,
    parse_mobile_phone,
    role_problem,
)
from kiosk.domain.documents import DocumentKind, InvalidDocumentEntry, parse_document_number, parse_latin_name
from kiosk.domain.identity import gb11643_check_character

TODAY = date(2026, 11, 23)
API_DOC = Path(__file__).resolve().parents[2] / "docs" / "centre-api.yaml"


def id_number(birth: date, sequence: str = "031") -> str:
    body = f"500115{birth:%Y%m%d}{sequence}"
    return body + gb11643_check_character(body)


def person(birth: date | None, number: str | None = None, kind=DocumentKind.RESIDENT_ID) -> Identity:
    return Identity(kind, number or id_number(birth), "张三", Source.READER if birth else Source.TYPED, birth_date=birth)


def test_the_day_before_the_16th_birthday_is_still_a_minor():
    child = person(date(2010, 11, 24))
    assert role_problem(Role.SELF, Position.APPLICANT, child, TODAY) == "applicant_is_minor"
    assert role_problem(Role.MINOR, Position.APPLICANT, child, TODAY) is None
    sixteen = person(date(2010, 11, 23))
    assert role_problem(Role.SELF, Position.APPLICANT, sixteen, TODAY) is None
    assert role_problem(Role.MINOR, Position.APPLICANT, sixteen, TODAY) == "child_is_not_minor"


def test_a_guardian_or_proxy_must_be_18():
    seventeen = person(date(2009, 11, 24))
    eighteen = person(date(2008, 11, 23))
    for position in (Position.GUARDIAN, Position.PROXY):
        assert role_problem(Role.MINOR, position, seventeen, TODAY) == "helper_too_young"
        assert role_problem(Role.MINOR, position, eighteen, TODAY) is None


def test_the_same_person_cannot_stand_twice():
    adult = person(date(1980, 1, 1))
    assert role_problem(Role.PROXY, Position.APPLICANT, adult, TODAY, (adult,)) == "same_person"


def test_a_typed_passport_has_no_age_to_check():
    assert role_problem(Role.SELF, Position.APPLICANT, person(None, "E12345678", DocumentKind.PASSPORT), TODAY) is None


@pytest.mark.parametrize(
    "kind, text, value",
    [
        (DocumentKind.PASSPORT, " e1234 5678 ", "E12345678"),
        (DocumentKind.PASSPORT, "EA1234567", "EA1234567"),
        (DocumentKind.HMT_TRAVEL_PERMIT, "H12345678", "H12345678"),
        (DocumentKind.HMT_TRAVEL_PERMIT, "m1234567801", "M1234567801"),
        (DocumentKind.HMT_TRAVEL_PERMIT, "12345678", "12345678"),
        (DocumentKind.OFFICER_CARD, "１２３４５６７", "1234567"),  # full-width digits fold
    ],
)
def test_typed_document_numbers_are_accepted_in_their_usual_forms(kind, text, value):
    assert parse_document_number(kind, text, TODAY).value == value


@pytest.mark.parametrize(
    "kind, text, code",
    [
        (DocumentKind.PASSPORT, "", "empty"),
        (DocumentKind.PASSPORT, "E12", "passport"),
        (DocumentKind.PASSPORT, "PASSPORT", "passport"),
        (DocumentKind.PASSPORT, "E1234567890123", "passport"),
        (DocumentKind.HMT_TRAVEL_PERMIT, "X12345678", "travel_permit"),
        (DocumentKind.HMT_TRAVEL_PERMIT, "H123456789", "travel_permit"),
        (DocumentKind.OFFICER_CARD, "12345", "officer_card"),
        (DocumentKind.OFFICER_CARD, "A123456", "officer_card"),
        (DocumentKind.HOUSEHOLD_REGISTER, "500115201001011234", "check_character"),
    ],
)
def test_typing_mistakes_are_refused_with_a_reason_that_does_not_repeat_the_number(kind, text, code):
    with pytest.raises(InvalidDocumentEntry) as caught:
        parse_document_number(kind, text, TODAY)
    assert caught.value.code == code
    if text:
        assert text not in str(caught.value) and text not in caught.value.reason.zh + caught.value.reason.en


def test_a_permit_number_is_not_a_household_register():
    body = "81000020100101123"
    with pytest.raises(InvalidDocumentEntry) as caught:
        parse_document_number(DocumentKind.HOUSEHOLD_REGISTER, body + gb11643_check_character(body), TODAY)
    assert caught.value.code == "register_not_resident"


def test_a_household_register_number_carries_the_childs_birth_date():
    number = parse_document_number(DocumentKind.HOUSEHOLD_REGISTER, id_number(date(2017, 5, 4)), TODAY)
    assert number.id_number.birth_date == date(2017, 5, 4)
    assert number.value not in repr(number)


def test_latin_names():
    assert parse_latin_name("  o'neil   mary-jane ") == "O'NEIL MARY-JANE"
    for bad in ("李", "A", "ZHANG3", "", None):
        with pytest.raises(InvalidDocumentEntry):
            parse_latin_name(bad)


def test_mobile_numbers():
    assert parse_mobile_phone("138 1234-5678") == "13812345678"
    for bad in ("1381234567", "12812345678", "02340250850", "+8613812345678", None):
        with pytest.raises(InvalidPhone):
            parse_mobile_phone(bad)


def complete(role: Role = Role.SELF) -> Application:
    app = Application(role=role, applicant=person(date(1970, 1, 1)), bank="icbc", pickup=Pickup("on_site"), phone="13812345678",
                      photo=bytearray(b"jpeg"), scene=bytearray(b"scene"), signature=bytearray(b"png"))  # fmt: skip
    if role is Role.MINOR:
        app.applicant = person(date(2018, 1, 1))
        app.guardian = person(date(1985, 1, 1), kind=DocumentKind.RESIDENT_ID)
    if role is Role.PROXY:
        app.applicant = person(None, "E12345678", DocumentKind.PASSPORT)
        app.proxy = person(date(1985, 1, 1))
    return app


def test_an_incomplete_application_names_what_is_missing_without_values():
    app = complete()
    app.phone = None
    app.photo = None
    with pytest.raises(IncompleteApplication) as caught:
        app.payload(outlet_id="CS-01", terminal_id="T01", voucher_serial="CS01-T01-20261123-0001")
    assert caught.value.missing == ["phone", "photo"]


def test_a_minors_photo_is_optional_and_the_guardian_is_needed():
    app = complete(Role.MINOR)
    app.photo = app.scene = None
    assert app.missing() == []
    app.guardian = None
    assert app.missing() == ["guardian"]


@pytest.mark.parametrize("role", list(Role))
def test_every_payload_matches_the_documented_api(role):
    doc = yaml.safe_load(API_DOC.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator({"$ref": "#/components/schemas/Application", "components": doc["components"]})
    app = complete(role)
    app.pickup = Pickup("post", address="12 NATHAN ROAD", address_source=AddressSource.TYPED)
    body = app.payload(outlet_id="CS-01", terminal_id="T01", voucher_serial="CS01-T01-20261123-0001")
    assert list(validator.iter_errors(body)) == []
    for kind in DocumentKind:
        app.applicant = Identity(kind, "E12345678", "ZHANG SAN", Source.TYPED)
        body = app.payload(outlet_id="CS-01", terminal_id="T01", voucher_serial="CS01-T01-20261123-0001")
        assert list(validator.iter_errors(body)) == [], kind


def test_repr_never_shows_a_value():
    app = complete(Role.PROXY)
    text = repr(app) + repr(app.applicant) + repr(app.proxy) + repr(app.pickup)
    assert app.proxy.number not in text and "张三" not in text and "13812345678" not in text


def test_wipe_overwrites_the_images():
    app = complete()
    photo, signature = app.photo, app.signature
    app.wipe()
    assert not any(photo) and not any(signature) and app.applicant is None and app.phone is None
