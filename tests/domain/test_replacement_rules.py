"""补领 · 换领 · 换发 for both shipped regions, read from their policy files: the fee, the
expected date (Beijing's instant and non-instant outlets), post, and what the voucher says
about the old card."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kiosk.domain.application import ON_SITE, OUTLET, POST
from kiosk.domain.completion import expected_completion
from kiosk.domain.fees import Fee, card_fee
from kiosk.domain.policy import load_policy, load_policy_file
from kiosk.domain.replacement import Reason, ReplacementKind, replacement_rules
from tests.domain.test_policy import edited_copy

MONDAY = datetime(2026, 3, 2, 9, 0)


@pytest.fixture(scope="module")
def changshou():
    return load_policy("chongqing-changshou")


@pytest.fixture(scope="module")
def beijing():
    return load_policy("beijing")


@pytest.fixture
def beijing_with_outlets(tmp_path):
    """Beijing with one outlet of each kind (the seeds list none; a deployer adds its own)."""
    kinds = [("social_security", ""), ("bank", 'bank = "icbc"'), ("bank_instant", 'bank = "bob"')]
    outlets = "".join(
        f'[[outlets]]\nid = "BJ-0{i}"\nname = "测试网点{i}"\naddress = "测试地址{i}号"\nphone = "010-1234567{i}"\nkind = "{kind}"\n{bank}\n'
        for i, (kind, bank) in enumerate(kinds, 1)
    )
    return load_policy_file(edited_copy(tmp_path, "beijing", ("outlets = []\n", ""), append="\n" + outlets))


# --- the situation decides the kind --------------------------------------------------------


def test_each_situation_leads_to_its_kind_of_application():
    assert {r: r.kind for r in Reason} == {
        Reason.LOST: ReplacementKind.REISSUE,
        Reason.DAMAGED: ReplacementKind.REPLACE,
        Reason.EXPIRED: ReplacementKind.REPLACE,
        Reason.NEW_GENERATION: ReplacementKind.UPGRADE,
    }
    assert [k.term.zh for k in ReplacementKind] == ["补领", "换领", "换发"]


# --- the fee -------------------------------------------------------------------------------


@pytest.mark.parametrize("had, fee", [(0, Fee.FREE), (1, Fee.FREE), (2, Fee.DUE), (5, Fee.DUE), (None, Fee.NOT_CHECKED)])
def test_changshou_the_first_two_third_generation_cards_are_free(changshou, had, fee):
    decision = card_fee(changshou.fees, had)
    assert decision.fee is fee
    if fee is Fee.FREE:
        assert "前2张" in decision.line.zh
    else:  # paid or offset at the window, and never an amount the seeds do not give
        assert "窗口" in decision.line.zh and "window" in decision.line.en
        assert "元" not in decision.line.zh and "yuan" not in decision.line.en


@pytest.mark.parametrize("had", [0, 2, 7, None])
def test_beijing_is_free_whatever_the_count_even_offline(beijing, had):
    decision = card_fee(beijing.fees, had)
    assert decision.fee is Fee.FREE and "免费" in decision.line.zh


# --- the expected date ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["reissue", "replace", "upgrade"])
def test_changshou_makes_the_card_on_the_spot_at_every_outlet(changshou, kind):
    for outlet in ("CS-01", "CS-21", "CS-49"):
        due = expected_completion(changshou, kind, MONDAY, outlet, ON_SITE)
        assert due.date == MONDAY.date()


def test_changshou_a_card_collected_elsewhere_or_posted_takes_five_working_days(changshou):
    for pickup in (OUTLET, POST):
        assert expected_completion(changshou, "upgrade", MONDAY, "CS-01", pickup).date == date(2026, 3, 9)


def test_beijing_upgrade_four_working_days_at_a_non_instant_bank_outlet_however_collected(beijing_with_outlets):
    for pickup in ("bank_outlet", POST):
        assert expected_completion(beijing_with_outlets, "upgrade", MONDAY, "BJ-02", pickup).date == date(2026, 3, 6)


def test_beijing_upgrade_on_the_spot_at_an_instant_issue_outlet(beijing_with_outlets):
    assert expected_completion(beijing_with_outlets, "upgrade", MONDAY, "BJ-03").date == MONDAY.date()


def test_beijing_upgrade_at_a_district_outlet_takes_thirty_days(beijing_with_outlets):
    assert expected_completion(beijing_with_outlets, "upgrade", MONDAY, "BJ-01", POST).date == date(2026, 4, 1)


def test_beijing_sends_reissue_and_replacement_to_the_issuing_banks_instant_outlet(beijing):
    for kind in ("reissue", "replace"):
        rule = beijing.service(kind)
        assert not rule.at_kiosk and "即时制卡" in rule.guidance.zh
    assert beijing.service("upgrade").at_kiosk


# --- post ----------------------------------------------------------------------------------


def test_both_regions_may_post_the_card_and_beijing_posts_free(changshou, beijing):
    assert POST in [m.code for m in changshou.pickup_methods]
    assert POST in [m.code for m in beijing.pickup_methods]
    assert "免快递费" in beijing.pickup_method(POST).note.zh and "快递费" in beijing.fees.note.zh


# --- the old card and what happens next ----------------------------------------------------


def test_changshou_takes_the_old_card_and_says_what_happens_to_it(changshou):
    rules = replacement_rules(changshou)
    assert rules.old_card_handed_in
    said = "".join(line.zh for line in rules.after_new_card)
    for words in ("社保功能自动注销", "医保账户余额自动转入新卡", "身份证", "领取账户", "电子社保卡"):
        assert words in said


def test_beijing_leaves_the_old_card_with_the_resident_and_names_96066(beijing):
    rules = replacement_rules(beijing)
    assert not rules.old_card_handed_in
    said = "".join(line.zh for line in rules.after_new_card)
    assert "不回收" in said and "96066" in said
