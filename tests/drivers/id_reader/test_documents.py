"""The three text layouts, built here at the literal offsets of PROTOCOLS.md (not from the
driver's own field table, so a wrong offset there cannot hide), and the checks on a read."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.identity import IdKind, gb11643_check_character
from kiosk.drivers.id_reader.checks import check_document
from kiosk.drivers.id_reader.documents import (
    DocumentError,
    ForeignPermanentResidenceCard,
    HmtResidencePermit,
    IdentityDocument,
    ResidentIdCard,
    Sex,
    parse_text,
)
from kiosk.drivers.id_reader.nations import NATIONS, nation_by_code, nation_by_name

TODAY = date(2026, 11, 23)


def block(fields: dict[int, str]) -> bytes:
    """256 bytes of UCS-2 spaces with each text placed at its byte offset."""
    data = bytearray(" ".encode("utf-16-le") * 128)
    for offset, text in fields.items():
        raw = text.encode("utf-16-le")
        data[offset : offset + len(raw)] = raw
    return bytes(data)


def number(body17: str) -> str:
    return body17 + gb11643_check_character(body17)


RESIDENT_NUMBER = number("50011519680412031")


def resident_block(**overrides) -> bytes:
    fields = {
        0: "李建国", 30: "1", 32: "15", 36: "19680412", 52: "重庆市长寿区凤城街道向阳路88号",
        122: RESIDENT_NUMBER, 158: "重庆市公安局长寿区分局", 188: "20120520", 204: "20320520",
    }
    fields.update({int(k[1:]): v for k, v in overrides.items()})
    return block(fields)


def test_resident_id_card_is_parsed():
    doc = parse_text(resident_block())
    assert isinstance(doc, ResidentIdCard)
    assert doc.kind is IdKind.RESIDENT
    assert (doc.name, doc.sex, doc.nation.name.zh) == ("李建国", Sex.MALE, "土家")
    assert doc.birth_date == date(1968, 4, 12)
    assert doc.address == "重庆市长寿区凤城街道向阳路88号"
    assert doc.id_number == RESIDENT_NUMBER
    assert doc.issuing_authority == "重庆市公安局长寿区分局"
    assert (doc.valid_from, doc.valid_to) == (date(2012, 5, 20), date(2032, 5, 20))


def test_long_lived_card_has_no_expiry():
    doc = parse_text(resident_block(o204="长期"))
    assert doc.valid_to is None
    assert not doc.expired_on(date(2999, 1, 1))
    assert doc.to_dict()["valid_to"] is None


def test_hmt_residence_permit_is_parsed():
    permit_number = number("81000019951008024")
    doc = parse_text(block({
        0: "黄嘉欣", 30: "2", 36: "19951008", 52: "重庆市长寿区桃花街道桃花大道55号", 122: permit_number,
        158: "重庆市公安局长寿区分局", 188: "20241123", 204: "20291123", 220: "H60218733", 238: "03", 248: "J",
    }))
    assert isinstance(doc, HmtResidencePermit)
    assert doc.kind is IdKind.HMT_PERMIT
    assert (doc.name, doc.sex, doc.id_number) == ("黄嘉欣", Sex.FEMALE, permit_number)
    assert (doc.pass_number, doc.issue_count) == ("H60218733", 3)
    data = doc.to_dict()
    assert data["nation"] is None and data["pass_number"] == "H60218733" and data["issue_count"] == 3


def test_foreign_permanent_residence_card_is_parsed():
    doc = parse_text(block({
        0: "MACDONALD, ANDREW JAMES", 120: "1", 122: "CAN500182063019", 152: "CAN", 158: "安德鲁",
        188: "20200115", 204: "20300115", 220: "19820630", 236: "01", 240: "5000", 248: "I",
    }))
    assert isinstance(doc, ForeignPermanentResidenceCard)
    assert doc.kind is IdKind.FOREIGN_PERMANENT
    assert (doc.english_name, doc.chinese_name, doc.name) == ("MACDONALD, ANDREW JAMES", "安德鲁", "安德鲁")
    assert (doc.nationality, doc.card_version, doc.authority_code) == ("CAN", "01", "5000")
    assert doc.birth_date == date(1982, 6, 30)
    assert doc.id_number == "CAN500182063019"
    data = doc.to_dict()
    assert data["nation"] is None and data["address"] is None and data["nationality"] == "CAN"


def test_foreigner_without_chinese_name_is_named_in_english():
    doc = parse_text(block({
        0: "SMITH, JANE", 120: "2", 122: "USA500182063019", 152: "USA",
        188: "20200115", 204: "20300115", 220: "19820630", 248: "I",
    }))
    assert doc.name == "SMITH, JANE" and doc.to_dict()["chinese_name"] is None


@pytest.mark.parametrize("code, sex", [("0", Sex.UNKNOWN), ("1", Sex.MALE), ("2", Sex.FEMALE), ("9", Sex.UNSTATED)])
def test_sex_codes(code, sex):
    assert parse_text(resident_block(o30=code)).sex is sex


def test_nation_table_is_complete():
    assert [f"{n:02d}" for n in range(1, 57)] + ["97", "98"] == list(NATIONS)
    assert nation_by_code("01").name.zh == "汉" and nation_by_code("56").name.zh == "基诺"
    assert nation_by_code("98").name.zh == "外国血统中国籍人士"
    assert nation_by_name("土家族") is nation_by_code("15")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"o248": "Z"}, "card type"),
        ({"o30": "5"}, "sex"),
        ({"o32": "57"}, "nation"),
        ({"o36": "19680231"}, "birth_date"),
        ({"o188": "2012052O"}, "valid_from"),
        ({"o0": "    "}, "name"),
    ],
)
def test_malformed_field_is_a_document_error_naming_the_field(overrides, field):
    with pytest.raises(DocumentError, match=field):
        parse_text(resident_block(**overrides))


def test_document_error_never_repeats_personal_data():
    with pytest.raises(DocumentError) as caught:
        parse_text(resident_block(o36="李建国"))
    assert "李建国" not in str(caught.value)


def test_repr_masks_name_and_number():
    doc = parse_text(resident_block())
    for text in (repr(doc), str(doc)):
        assert "李建国" not in text and RESIDENT_NUMBER not in text
        assert "李**" in text


def test_expired_card_is_flagged_with_a_bilingual_message():
    doc = parse_text(resident_block(o188="20030601", o204="20230601"))
    check = check_document(doc, TODAY)
    assert check.expired and not check.acceptable
    assert "2023-06-01" in check.problems[0].zh and "expired" in check.problems[0].en


def test_card_valid_through_its_last_day():
    doc = parse_text(resident_block(o204="20261123"))
    assert not check_document(doc, TODAY).expired
    assert check_document(doc, date(2026, 11, 24)).expired


def test_wrong_check_character_makes_number_invalid():
    wrong = RESIDENT_NUMBER[:17] + ("0" if RESIDENT_NUMBER[17] != "0" else "1")
    check = check_document(parse_text(resident_block(o122=wrong)), TODAY)
    assert not check.id_number_valid and not check.expired
    assert check.problems


def test_number_whose_birth_date_differs_from_the_card_is_invalid():
    check = check_document(parse_text(resident_block(o36="19680413")), TODAY)
    assert not check.id_number_valid


def test_resident_number_on_a_permit_is_invalid():
    doc = parse_text(resident_block(o248="J", o220="H60218733", o238="01", o32="  "))
    assert doc.kind is IdKind.HMT_PERMIT
    assert not check_document(doc, TODAY).id_number_valid


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=256, max_size=256))
def test_any_text_block_is_a_document_or_a_document_error(data):
    try:
        doc = parse_text(data)
    except DocumentError:
        return
    assert isinstance(doc, IdentityDocument)
    check_document(doc, TODAY)  # checks never raise either


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([0, 30, 32, 36, 122, 188, 204, 248]), st.text(max_size=9)))
def test_any_text_in_the_fields_is_a_document_or_a_document_error(fields):
    try:
        data = block({offset: text for offset, text in fields.items()})
    except ValueError:
        return  # text that UCS-2 cannot carry (surrogates) is not a card
    data = data[:256]
    try:
        doc = parse_text(data)
    except DocumentError:
        return
    check_document(doc, TODAY)


def test_wrong_block_size_is_a_document_error():
    with pytest.raises(DocumentError):
        parse_text(bytes(255))
