"""An English screen never shows an outlet's name in Chinese alone (issue 13: "the outlet name
left in Chinese in English mode")."""

from __future__ import annotations

import re
from dataclasses import replace

from kiosk.domain.policy import load_policy

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_changshou_outlet_has_an_english_name_without_chinese():
    policy = load_policy("chongqing-changshou")
    missing = [o.id for o in policy.outlets if not o.name_en or CJK.search(o.name_en)]
    assert missing == []


def test_an_outlet_without_an_english_name_is_shown_with_the_regions_english_name():
    policy = load_policy("chongqing-changshou")
    for outlet in policy.outlets:
        bare = replace(outlet, name_en=None)
        assert bare.title(policy.name).en.startswith(policy.name.en) and bare.title(policy.name).zh == outlet.name
        assert outlet.title(policy.name).en == (outlet.name_en or bare.title(policy.name).en)
