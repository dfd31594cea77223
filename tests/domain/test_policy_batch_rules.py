"""The policy's data for employer batches: partner-bank name variants and the minors' file rule."""

from kiosk.domain.policy import ImageKind, load_policy, load_policy_file
from tests.domain.test_policy import edited_copy, problems_of


def test_changshou_banks_carry_the_names_people_write():
    banks = {b.code: b for b in load_policy("chongqing-changshou").banks}
    assert "中国工商银行" in banks["icbc"].aliases and "农商行" in banks["cqrcb"].aliases


def test_the_household_register_file_rule_is_data():
    rules = load_policy("chongqing-changshou").batch
    assert rules.image_name(ImageKind.HOUSEHOLD_OWN, "X") == "X-户口.jpg"
    assert rules.image_name(ImageKind.HOUSEHOLD_CHANGE, "X") == "X-增减.jpg"


def test_an_empty_bank_alias_is_refused(tmp_path):
    path = edited_copy(tmp_path, "chongqing-changshou", ('aliases = ["三峡银行", ', 'aliases = ["", '))
    assert "banks[9].aliases[0]" in problems_of(path)


def test_a_household_pattern_without_the_id_is_refused(tmp_path):
    path = edited_copy(tmp_path, "chongqing-changshou", ('household_own = "{id}-户口.jpg"', 'household_own = "户口.jpg"'))
    assert "batch.household_own" in problems_of(path)


def test_a_policy_without_the_new_keys_still_loads(tmp_path):
    path = edited_copy(
        tmp_path, "chongqing-changshou",
        ('household_own = "{id}-户口.jpg"\n', ""), ('household_change = "{id}-增减.jpg"\n', ""),
    )
    assert load_policy_file(path).batch.household_own == "{id}-户口.jpg"  # the kiosk's default rule
