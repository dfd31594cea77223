"""Reading the basic data of each kind of card through pcscd, and each READ RECORD form."""

from __future__ import annotations

from datetime import date

import pytest

from hwsim.card.crypto import TEST_RKSSSE_KEY
from hwsim.card.profile import load_profile
from hwsim.card.psam import SimulatedPsam
from kiosk.domain.identity import parse_id_number
from kiosk.drivers.card.reader import SocialSecurityCardReader
from kiosk.drivers.card.records import RecordForm
from kiosk.drivers.status import Recovery, ResultCode

from .conftest import SLOT1, insert

pytestmark = pytest.mark.pcsc  # pcscd with the vpcd virtual reader

JSON_KEYS = {
    "card_number", "social_security_number", "name", "sex", "nation", "birth_date", "birthplace_code",
    "spec_version", "generation", "issue_date", "expiry_date", "card_id_code", "region_code",
}  # fmt: skip


@pytest.mark.parametrize(
    "profile, generation, name, sex",
    [("gen1", 1, "张伟", "男"), ("gen2", 2, "李娜", "女"), ("gen3", 3, "王芳", "女")],
)
def test_each_generation_reads_its_basic_data(card_sim, reader, profile, generation, name, sex):
    insert(card_sim, profile)
    done = reader.read_basic()
    assert done.ok, done.reason
    card = done.value
    expected = load_profile(profile)
    assert card.generation == generation
    assert card.spec_version == f"{generation}.00"
    assert card.name == name
    assert card.sex == sex
    assert card.nation == "汉"
    assert card.social_security_number == expected.social_security_number
    parse_id_number(card.social_security_number)  # a valid GB 11643 number
    assert card.card_number == expected.card_number
    assert card.birth_date == expected.birth_date
    assert card.issue_date == expected.issue_date and card.expiry_date == expected.expiry_date
    assert card.card_id_code == expected.card_id_code.hex().upper()
    assert card.card_id_code[6:16] == "D156000005"
    assert card.region_code == expected.region_code
    assert card.birthplace_code == expected.birthplace
    assert JSON_KEYS <= set(card.to_dict())


def test_third_generation_card_authenticates_before_holder_data(card_sim, reader, trace):
    insert(card_sim, "gen3")
    assert reader.read_basic().ok
    ins = [line[2:4] for line in trace]
    first_ef06 = next(i for i, line in enumerate(trace) if line.startswith("00B208"))
    assert "84" in ins[:first_ef06] and "82" in ins[:first_ef06], "GET CHALLENGE + EXTERNAL AUTHENTICATE come first"


def test_third_generation_card_without_psam_is_refused_plainly(card_sim, pcscd):
    insert(card_sim, "gen3")
    with SocialSecurityCardReader("pcsc://") as no_psam:
        done = no_psam.read_basic()
    assert done.code is ResultCode.DEVICE_ERROR
    assert "PSAM" in done.reason
    assert done.recovery is Recovery.NEEDS_MAINTENANCE


def test_wrong_psam_key_is_a_device_error(card_sim, pcscd):
    insert(card_sim, "gen3")
    wrong = bytes(b ^ 0xFF for b in TEST_RKSSSE_KEY)
    with SocialSecurityCardReader("pcsc://", authenticator=SimulatedPsam(wrong)) as reader:
        done = reader.read_basic()
    assert done.code is ResultCode.DEVICE_ERROR
    assert done.detail["sw"] == "6300"


def test_long_name_is_joined_from_the_name_extension(card_sim, reader, trace):
    insert(card_sim, "long-name")
    done = reader.read_basic()
    assert done.ok, done.reason
    assert done.value.name == "买买提·艾力·阿不都热合曼·吐尔逊"
    assert done.value.nation == "维吾尔"
    assert any(line.startswith("00B24E") for line in trace), "the 4E record was read"


def test_first_generation_card_is_not_asked_for_a_name_extension(card_sim, reader, trace):
    insert(card_sim, "gen1")
    assert reader.read_basic().ok
    assert not any(line.startswith("00B24E") for line in trace)


@pytest.mark.parametrize("form", list(RecordForm))
def test_each_read_record_form_reads_the_same_data(card_sim, pcscd, form):
    insert(card_sim, "gen2")
    lines: list[str] = []
    with SocialSecurityCardReader("pcsc://", record_form=form, fallback=False, trace=lines.append) as reader:
        done = reader.read_basic()
    assert done.ok, done.reason
    assert done.value.name == "李娜" and done.value.card_number == "B10234567"
    reads = [line for line in lines if line.startswith("00B2")]
    p2 = {line[6:8] for line in reads}
    assert p2 == {
        RecordForm.TAG: {"00"},
        RecordForm.TAG_SFI: {"28", "30"},
        RecordForm.RECNO_SFI: {"2C", "34"},
        RecordForm.RECNO_CURRENT: {"04"},
    }[form]
    selects_ef = any(line.startswith("00A4000002EF0") for line in lines)
    assert selects_ef == form.needs_select


def test_card_refusing_tag_reads_falls_back_to_record_numbers(card_sim, reader, trace):
    insert(card_sim, "recno-only")
    done = reader.read_basic()
    assert done.ok, done.reason
    assert done.value.name == "周强"
    assert any(line.endswith("-> 6A83 (0 bytes)") for line in trace), "the tag forms were refused first"
    assert any(line.startswith("00B2012C") for line in trace), "then read by number via SFI"


def test_card_refusing_the_only_allowed_form_is_a_device_error(card_sim, pcscd):
    insert(card_sim, "recno-only")
    with SocialSecurityCardReader("pcsc://", record_form="tag", fallback=False) as reader:
        done = reader.read_basic()
    assert done.code is ResultCode.DEVICE_ERROR
    assert "6A83" in done.reason


def test_wrong_le_6cxx_is_resent_with_the_right_length(card_sim, pcscd):
    insert(card_sim, "gen2")
    lines: list[str] = []
    with SocialSecurityCardReader("pcsc://", exact_le=False, trace=lines.append) as reader:
        done = reader.read_basic()
    assert done.ok, done.reason
    assert done.value.name == "李娜"
    wrong = [line for line in lines if line.startswith("00B2") and "-> 6C" in line]
    assert wrong, "Le = 00 drew 6Cxx answers"
    for line in wrong:
        corrected = lines[lines.index(line) + 1]
        assert corrected[:8] == line[:8] and corrected[8:10] == line.split("-> 6C")[1][:2]
        assert "-> 9000" in corrected


def test_select_answers_61xx_and_the_fci_is_fetched_with_get_response(card_sim, reader, trace):
    insert(card_sim, "gen2")
    assert reader.read_basic().ok
    assert trace[0].startswith("00A404000F7378312E73682EC9E7BBE1B1A3D5CF -> 6118")  # 6F 16 84 0F <DF name> A5 03 88 01 0B, as the real trace
    assert trace[1].startswith("00C0000018 -> 9000 (24 bytes)")


def test_unknown_card_is_not_a_social_security_card(card_sim, reader):
    insert(card_sim, "bank-card")
    done = reader.read_basic()
    assert done.code is ResultCode.INVALID_DATA
    assert done.detail["sw"] == "6A82"
    assert done.recovery is Recovery.RESIDENT_CAN_FIX


def test_contactless_reader_is_chosen_by_name(card_sim, pcscd):
    insert(card_sim, "contactless", slot=1)
    with SocialSecurityCardReader("pcsc://?name=00%2001", authenticator=SimulatedPsam()) as reader:
        done = reader.read_basic()
    assert done.ok, done.reason
    assert done.value.reader == SLOT1
    assert done.value.atr.startswith("3B888001")
    assert done.value.name == "黄敏"


def test_first_reader_holding_a_card_is_used(card_sim, reader):
    insert(card_sim, "gen1", slot=1)
    done = reader.read_basic()
    assert done.ok, done.reason
    assert done.value.reader == SLOT1


def test_expired_card_reads_and_says_it_is_expired(card_sim, reader):
    insert(card_sim, "expired")
    done = reader.read_basic()
    assert done.ok, done.reason
    assert done.value.is_expired_on(date(2026, 1, 1))
    assert not done.value.is_expired_on(date(2019, 12, 31))
    assert done.value.birthplace_code == "5001"  # FF padded in the chip


def test_card_data_repr_is_masked(card_sim, reader):
    insert(card_sim, "gen3")
    card = reader.read_basic().value
    for text in (repr(card), str(card), repr(card.to_dict(masked=True))):
        assert "王芳" not in text and card.social_security_number not in text
