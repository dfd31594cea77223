"""The simulated chip is as strict as a real card (fast: bytes in, bytes out, no pcscd)."""

from __future__ import annotations

import pytest

from hwsim.card.chip import DF_SSSE, Chip
from hwsim.card.crypto import TEST_RKSSSE_KEY, external_auth_cryptogram
from hwsim.card.profile import load_profile


def apdu(chip: Chip, hex_apdu: str) -> str:
    return chip.process(bytes.fromhex(hex_apdu)).hex().upper()


@pytest.fixture
def gen3() -> Chip:
    chip = Chip(load_profile("gen3"))
    assert apdu(chip, "00A404000F" + DF_SSSE.hex()) == "611E"  # FCI with the 9F0C algorithm indicator
    return chip


def test_holder_data_needs_external_authenticate_on_a_third_generation_card(gen3):
    assert apdu(gen3, "00B2083014") == "6982"
    challenge = bytes.fromhex(apdu(gen3, "0084000008")[:-4])
    assert apdu(gen3, "0082000A10" + external_auth_cryptogram(TEST_RKSSSE_KEY, challenge).hex()) == "9000"
    assert apdu(gen3, "00B2083014").endswith("9000")


def test_external_authenticate_with_a_wrong_cryptogram_fails_and_uses_up_the_challenge(gen3):
    apdu(gen3, "0084000008")
    assert apdu(gen3, "0082000A10" + "00" * 16) == "6300"
    assert apdu(gen3, "0082000A10" + "00" * 16) == "6985"  # no challenge any more


def test_wrong_le_gets_6cxx(gen3):
    assert apdu(gen3, "00B2012800") == "6C12"
    assert apdu(gen3, "00B2012812").startswith("0110")


def test_unknown_record_file_and_application(gen3):
    assert apdu(gen3, "00B2112812") == "6A83"
    assert apdu(gen3, "00B2013812") == "6A82"  # SFI 7
    assert apdu(gen3, "00A4000002EF09") == "6A82"
    assert apdu(gen3, "00A4040005A000000001") == "6A82"


def test_record_by_number_in_the_current_ef_needs_a_selected_ef(gen3):
    assert apdu(gen3, "00B2010412") == "6986"
    assert apdu(gen3, "00A4000002EF05") == "9000"
    assert apdu(gen3, "00B2010412").startswith("0110")


def test_pki_and_unionpay_applications_are_selectable(gen3):
    for name in ("504B492EC9E7BBE1B1A3D5CF", "53532E434552542E41444631", "A000000333010101"):
        assert apdu(gen3, f"00A40400{len(name) // 2:02X}{name}").startswith("61")


def test_pin_counter_survives_a_reset_but_verification_does_not(gen3):
    assert apdu(gen3, "0020000003123456") == "9000"
    assert apdu(gen3, "0020000003000000") == "63C5"
    gen3.power_off()
    gen3.power_on()
    apdu(gen3, "00A404000F" + DF_SSSE.hex())
    assert apdu(gen3, "0020000000") == "63C5"


def test_trace_masks_pin_data(gen3):
    apdu(gen3, "0020000003975310")
    assert gen3.trace[-1] == "0020000003****** -> 63C5"


def test_staff_application_answers_only_on_a_staff_card():
    from hwsim.card.chip import DF_STAFF, Chip
    from hwsim.card.profile import load_profile

    select = bytes([0x00, 0xA4, 0x04, 0x00, len(DF_STAFF)]) + DF_STAFF
    assert Chip(load_profile("gen3")).process(select) == bytes.fromhex("6A82")
    staff = Chip(load_profile("staff"))
    assert staff.process(select)[0] == 0x61
    assert staff.process(bytes.fromhex("00B2010807")) == bytes.fromhex("0105") + b"S0042" + bytes.fromhex("9000")
    assert staff.process(bytes.fromhex("00B2020807")) == bytes.fromhex("0205") + b"CS-01" + bytes.fromhex("9000")
    assert staff.process(bytes.fromhex("00B2030807")) == bytes.fromhex("6A83")
