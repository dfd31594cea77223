"""The address step headless: district and street picked from the region policy, the rest written."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from kiosk.domain.policy import load_policy
from kiosk.domain.postal_address import CENTRE_ADDRESS_MAX_CHARS, PostalAddress, rest_limit
from kiosk.domain.postal_areas import postal_areas
from kiosk.flows.address_entry import WHICH_DISTRICT, ask_postal_address
from kiosk.flows.scripted import ScriptedPort
from kiosk.flows.steps import BACK, HOME

CHANGSHOU_STREETS = {"凤城街道", "晏家街道", "江南街道", "渡舟街道", "新市街道", "八颗街道", "菩提街道", "长寿湖镇",
                     "云台镇", "葛兰镇", "但渡镇", "邻封镇", "云集镇", "双龙镇", "龙河镇", "海棠镇", "石堰镇", "洪湖镇", "万顺镇"}  # fmt: skip


def run(region: str, script, **kwargs):
    port = ScriptedPort(script, services=SimpleNamespace(policy=load_policy(region)))
    result = asyncio.run(ask_postal_address(port, **kwargs))
    assert port.remaining == 0, port.screens()
    return result, port


def test_changshou_lists_every_street_and_town_of_seed_000():
    areas = postal_areas(load_policy("chongqing-changshou"))
    assert [d.name.zh for d in areas.districts] == ["长寿区"]
    assert {s.zh for s in areas.districts[0].streets} == CHANGSHOU_STREETS
    assert areas.city == "重庆市"


def test_beijing_lists_its_sixteen_districts():
    areas = postal_areas(load_policy("beijing"))
    assert len(areas.districts) == 16
    assert "怀柔区" in {d.name.zh for d in areas.districts}


def test_changshou_picks_the_street_and_writes_the_rest():
    address, port = run("chongqing-changshou", [("choose", "凤城街道"), ("chinese_input", "向阳路13号")])
    assert address == PostalAddress("长寿区", "凤城街道", "向阳路13号", "重庆市")
    assert address.text() == "重庆市长寿区凤城街道向阳路13号"
    assert port.screens() == ["choose", "chinese_input"]  # one district: not asked


def test_beijing_picks_the_district_and_writes_street_and_rest():
    address, port = run("beijing", [("choose", "怀柔区"), ("chinese_input", "泉河街道青春路1号")])
    assert address.text() == "北京市怀柔区泉河街道青春路1号"
    assert port.asked("choose")[0].params["title"] == WHICH_DISTRICT


def test_address_over_the_centres_length_limit_is_refused():
    """The rest may take only what the region's limit leaves after the picked part."""
    over = "向阳路" + "1" * 60
    address, port = run("chongqing-changshou", [("choose", "凤城街道"), ("chinese_input", over), ("notice", "ok"),
                                                ("chinese_input", "向阳路13号")])  # fmt: skip
    limit = port.asked("chinese_input")[0].params["max_chars"]
    assert limit == 60 - len("重庆市长寿区凤城街道")
    assert "写满" in port.asked("notice")[0].params["body"].zh
    assert port.asked("chinese_input")[1].params["current"] == over[:limit]  # nothing lost but the overflow
    assert address.fits(60) and address.rest == "向阳路13号"


def test_rest_limit_never_exceeds_the_centre():
    assert rest_limit("重庆市长寿区凤城街道") == CENTRE_ADDRESS_MAX_CHARS - 10
    assert postal_areas(load_policy("chongqing-changshou")).address_max_chars <= CENTRE_ADDRESS_MAX_CHARS


def test_back_from_writing_goes_back_to_the_street():
    address, port = run("chongqing-changshou", [("choose", "凤城街道"), ("chinese_input", BACK),
                                                ("choose", "葛兰镇"), ("chinese_input", "白鹤街66号")])  # fmt: skip
    assert address.text() == "重庆市长寿区葛兰镇白鹤街66号"


def test_back_from_the_only_list_leaves_the_step():
    result, _ = run("chongqing-changshou", [("choose", BACK)])
    assert result == BACK


def test_home_ends_the_step():
    result, _ = run("beijing", [("choose", "东城区"), ("chinese_input", HOME)])
    assert result == HOME


def test_current_address_comes_first_and_prefills_the_rest():
    current = PostalAddress("长寿区", "葛兰镇", "白鹤街66号", "重庆市")
    address, port = run("chongqing-changshou", [("choose", "葛兰镇"), ("chinese_input", lambda step: step.params["current"] + "2楼")],
                        current=current)  # fmt: skip
    assert port.asked("choose")[0].params["options"][0].code == "葛兰镇"
    assert address.rest == "白鹤街66号2楼"


def test_region_without_postal_table_offers_no_picker(tmp_path):
    source = load_policy("chongqing-changshou").path.read_text(encoding="utf-8")
    bare = tmp_path / "chongqing-changshou.toml"
    bare.write_text(source.split("\n[postal]")[0], encoding="utf-8")
    port = ScriptedPort([("notice", "ok")], services=SimpleNamespace(policy=SimpleNamespace(path=bare)))
    assert asyncio.run(ask_postal_address(port)) == BACK


@pytest.mark.parametrize("region", ["chongqing-changshou", "beijing"])
def test_policies_with_postal_tables_still_validate(region):
    assert load_policy(region).code == region
