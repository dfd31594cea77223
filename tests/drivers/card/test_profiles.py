"""Card profiles: valid numbers, and every mistake in a file reported at once."""

from __future__ import annotations

import pytest

from hwsim.card.profile import ProfileError, available_profiles, load_profile, split_name
from kiosk.domain.identity import parse_id_number


@pytest.mark.parametrize("name", available_profiles())
def test_every_shipped_profile_has_a_valid_social_security_number(name):
    profile = load_profile(name)
    number = parse_id_number(profile.social_security_number)
    assert number.birth_date == profile.birth_date
    assert number.sex == {1: "男", 2: "女"}[profile.sex]


def test_check_character_is_computed_from_17_digits():
    assert load_profile("gen1").social_security_number == "500115195603120214"


def test_profile_mistakes_are_all_reported_with_their_keys(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        """
spec_version = "1.00"
pin = "12ab"
pin_retry_limit = 20
colour = "red"
[issuer]
region_code = "5001"
chip_serial = "00"
issue_date = 2020-01-01
expiry_date = 2030-01-01
card_number = "TOO-LONG-NUMBER"
[holder]
social_security_number = "500115195603120213"
name = "买买提·艾力·阿不都热合曼·吐尔逊"
""",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(bad)
    text = str(caught.value)
    for key in ("pin:", "pin_retry_limit", "colour", "issuer.region_code", "issuer.chip_serial",
                "issuer.card_number", "holder.social_security_number", "holder.name"):  # fmt: skip
        assert key in text, key
    assert "a 1.00 card holds 30" in text  # the long name needs the 2.00/3.00 extension


def test_name_is_split_into_tag_09_and_the_extension_without_breaking_a_character():
    head, extension = split_name("买买提·艾力·阿不都热合曼·吐尔逊")
    assert len(head) == 30 and len(extension) == 20
    assert (head.rstrip(b" ") + extension.rstrip(b" ")).decode("gbk") == "买买提·艾力·阿不都热合曼·吐尔逊"
    assert split_name("张伟") == ("张伟".encode("gbk").ljust(30, b" "), b"")
