"""Region policies: the shipped files say what the seeds say, and a bad file is refused with
every problem listed by file and key path."""

from datetime import date, datetime
from pathlib import Path

import jsonschema
import pytest

from kiosk.config import ConfigError, load_config
from kiosk.domain.policy import (
    POLICY_DIR,
    Channel,
    ImageKind,
    OutletKind,
    PolicyError,
    ServicePlace,
    StartPrecision,
    TimeUnit,
    available_regions,
    load_policy,
    load_policy_file,
    policy_schema,
)
from kiosk.domain.services import SERVICES
from kiosk.keys import write_new_key_file
from tests.support.enrolment import enrol

CHANGSHOU = "chongqing-changshou"


@pytest.fixture(scope="module")
def changshou():
    return load_policy(CHANGSHOU)


@pytest.fixture(scope="module")
def beijing():
    return load_policy("beijing")


def edited_copy(tmp_path: Path, region: str, *edits: tuple[str, str], append: str = "") -> Path:
    """A copy of a shipped policy with text replaced; each edit must apply exactly once."""
    text = (POLICY_DIR / f"{region}.toml").read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"edit does not apply once: {old!r}"
        text = text.replace(old, new)
    path = tmp_path / f"{region}.toml"
    path.write_text(text + append, encoding="utf-8")
    return path


def problems_of(path: Path) -> dict[str, str]:
    with pytest.raises(PolicyError) as err:
        load_policy_file(path)
    assert all(p.file == str(path.resolve()) for p in err.value.problems)
    return {p.key: p.reason for p in err.value.problems}


# --- the shipped files ---------------------------------------------------------------


def test_both_shipped_policies_load_and_place_every_service():
    assert {CHANGSHOU, "beijing"} <= set(available_regions())
    for region in available_regions():
        policy = load_policy(region)
        placed = set(policy.kiosk_services()) | set(policy.window_services())
        assert placed == {s.code for s in SERVICES}
        assert not set(policy.kiosk_services()) & set(policy.window_services())


def test_changshou_lists_the_49_outlets_of_seed_000_in_order(changshou):
    assert [o.id for o in changshou.outlets] == [f"CS-{i:02d}" for i in range(1, 50)]
    first, luoqi, last = changshou.outlet("CS-01"), changshou.outlet("CS-24"), changshou.outlet("CS-49")
    assert (first.name, first.phone, first.kind) == ("长寿区社会保险事务中心", "023-40250850", "social_security")
    assert first.address == "长寿区新市街道新民路11号（2号楼）一楼大厅"
    assert (luoqi.name, luoqi.address, luoqi.phone) == ("工商银行长寿洛碛支行", "渝北区洛碛镇新渝路36号（洛碛车站对面）", "023-67381349")
    assert (luoqi.kind, luoqi.bank) == ("bank", "icbc")
    assert (last.name, last.phone, last.bank) == ("三峡银行长寿凤城支行", "023-40237926", "cqtgb")


def test_changshou_outlets_1_to_20_are_service_centres_and_21_to_49_banks(changshou):
    kinds = [o.kind for o in changshou.outlets]
    assert kinds == ["social_security"] * 20 + ["bank"] * 29
    assert all(o.bank is None for o in changshou.outlets[:20])
    banks_by_outlet = {o.id: o.bank for o in changshou.outlets[20:]}
    assert banks_by_outlet["CS-26"] == "abc" and banks_by_outlet["CS-34"] == "bocom"
    assert banks_by_outlet["CS-39"] == banks_by_outlet["CS-40"] == "psbc"  # 邮政银行 and 邮储银行 are one bank
    assert banks_by_outlet["CS-44"] == "cqrcb" and banks_by_outlet["CS-47"] == "cqcb"


def test_changshou_partner_banks_are_the_ten_of_the_outlet_table(changshou):
    names = [b.name.zh for b in changshou.banks]
    assert names == ["工商银行", "农业银行", "中国银行", "建设银行", "交通银行", "邮政储蓄银行", "招商银行", "重庆农村商业银行", "重庆银行", "重庆三峡银行"]
    assert {o.bank for o in changshou.outlets if o.bank} == {b.code for b in changshou.banks}


def test_changshou_window_only_services_say_what_to_bring(changshou):
    assert changshou.window_services() == ("unlock", "cancel_card", "batch_to_single", "key_info_change")
    for code in changshou.window_services():
        guidance = changshou.service(code).guidance
        assert "窗口" in guidance.zh and "带" in guidance.zh
        assert "window" in guidance.en and "ring" in guidance.en  # bring / brings
    assert "身份证" in changshou.service("batch_to_single").guidance.zh


def test_changshou_kiosk_menu_order_follows_the_file(changshou):
    assert changshou.kiosk_services()[:3] == ("apply", "reissue", "replace")
    assert "info_change" in changshou.kiosk_services()


def test_changshou_time_limits_and_units(changshou):
    limits = {name: (t.amount, t.unit) for name, t in changshou.time_limits.items()}
    assert limits == {
        "on_site_issuance": (0, "on_site"),
        "on_site_fallback": (24, "hours"),
        "online_application": (5, "working_days"),
        "batch": (10, "working_days"),
        "batch_auto_enable": (96, "hours"),
    }
    assert changshou.time_limit_for("apply", "CS-30").name == "on_site_issuance"
    assert changshou.time_limit_for("batch_new").name == "batch"
    assert changshou.time_limit_for("pin_change") is None


def test_batch_expected_date_counts_working_days_across_national_day(changshou):
    due = changshou.expected_completion("batch_new", datetime(2025, 9, 26, 10, 0), "CS-01")
    assert due.date == date(2025, 10, 16) and not due.estimated  # 2025-10-01..08 off, 09-28 and 10-11 worked


def test_changshou_first_two_upgrades_are_free_and_no_amount_is_invented(changshou):
    fees = changshou.fees
    assert [fees.upgrade_is_free(n) for n in (0, 1, 2, 5)] == [True, True, False, False]
    assert fees.upgrade_fee_yuan is None and not fees.all_free
    assert "2" in fees.note.zh and "two" in fees.note.en


def test_beijing_is_free_of_charge(beijing):
    assert beijing.fees.all_free and beijing.fees.upgrade_is_free(10)


def test_contacts(changshou, beijing):
    assert (changshou.contacts.hotline, changshou.contacts.centre_phone) == ("12333", "023-40250850")
    assert beijing.contacts.hotline == "12333" and beijing.contacts.centre_phone is None
    assert str(beijing.contacts.other["card_service_line"]) == "96066"


@pytest.mark.parametrize("region", [CHANGSHOU, "beijing"])
def test_anti_fraud_notice_names_links_accounts_and_passwords(region):
    notice = load_policy(region).anti_fraud
    assert all(w in notice.zh for w in ("链接", "账号", "密码"))
    assert all(w in notice.en for w in ("link", "account", "password"))


def test_changshou_pickup_methods_and_batch_postage(changshou):
    assert [m.code for m in changshou.pickup_methods] == ["on_site", "post", "outlet"]
    assert "到付" in changshou.pickup_method("post").note.zh


def test_changshou_batch_package_rules(changshou):
    rules = changshou.batch
    number = "11010519491231002X"
    names = [rules.image_name(k, number) for k in ("id_front", "id_back", "id_both", "photo")]
    assert names == [f"{number}-正.jpg", f"{number}-反.jpg", f"{number}-全.jpg", f"{number}.jpg"]
    assert (rules.photo_width_px, rules.photo_height_px, rules.photo_format) == (358, 441, "jpeg")
    assert rules.sheet_columns == ("姓名", "身份证号码", "民族", "证件有效期起止", "电话号码", "办卡银行", "常住地址")
    assert "户口" in rules.minor_documents.zh


def test_beijing_time_limits_banks_and_pickup(beijing):
    limits = {name: (t.amount, t.unit) for name, t in beijing.time_limits.items()}
    assert limits == {
        "on_site_issuance": (0, "on_site"),
        "bank_outlet_non_instant": (4, "working_days"),
        "district_street_outlet": (30, "natural_days"),
        "online_application": (30, "natural_days"),
    }
    assert len(beijing.banks) == 15 and beijing.bank("bob").name.zh == "北京银行"
    assert [m.code for m in beijing.pickup_methods] == ["bank_outlet", "post", "bank_delivery"]
    assert beijing.outlets == ()  # the seeds list no addresses; none is invented


def test_beijing_application_time_depends_on_the_outlet_kind(tmp_path):
    outlets = "".join(
        f'[[outlets]]\nid = "BJ-0{i}"\nname = "测试网点{i}"\naddress = "测试地址{i}号"\nphone = "010-1234567{i}"\nkind = "{kind}"\n{bank}\n'
        for i, (kind, bank) in enumerate([("social_security", ""), ("bank", 'bank = "icbc"'), ("bank_instant", 'bank = "bob"')], 1)
    )
    path = edited_copy(tmp_path, "beijing", ("outlets = []\n", ""), append="\n" + outlets)
    policy = load_policy_file(path)
    start = datetime(2026, 3, 2, 9, 0)  # a Monday
    assert policy.expected_completion("apply", start, "BJ-01").date == date(2026, 4, 1)  # 30 natural days
    assert policy.expected_completion("apply", start, "BJ-02").date == date(2026, 3, 6)  # 4 working days
    assert policy.expected_completion("apply", start, "BJ-03").date == date(2026, 3, 2)  # on the spot


# --- Beijing's phased batches ----------------------------------------------------------


@pytest.mark.parametrize(
    "district, group, day, may_apply, phase, kiosk_open",
    [
        ("房山区", "employee", date(2024, 10, 29), False, "batch_1", False),
        ("房山", "employee", date(2024, 10, 30), True, "batch_1", False),  # online only
        ("北京经济技术开发区", "employee", date(2024, 11, 1), True, "batch_1", False),
        ("海淀区", "employee", date(2025, 1, 31), False, "batch_2", False),
        ("海淀区", "employee", date(2025, 2, 1), True, "batch_2", False),
        ("朝阳区", "employee", date(2025, 5, 1), True, "batch_3", False),
        ("朝阳区", "individual", date(2025, 7, 31), False, "batch_4", False),
        ("朝阳区", "individual", date(2025, 8, 1), True, "batch_4", False),
        ("延庆区", "retiree", date(2025, 9, 30), False, "batch_5", False),
        ("延庆区", "retiree", date(2025, 10, 1), True, "batch_5", False),
        ("西城区", "employee", date(2025, 12, 31), False, "regular", False),  # in none of the five batches
        ("西城区", "employee", date(2026, 1, 1), True, "regular", True),
        ("房山区", "employee", date(2026, 1, 1), True, "regular", True),
        ("怀柔区", "employee", date(2024, 2, 1), True, "huairou_pilot", True),  # seed 004
    ],
)
def test_beijing_phase_for(beijing, district, group, day, may_apply, phase, kiosk_open):
    decision = beijing.phase_for(district, group, day)
    assert (decision.may_apply, decision.phase.code, decision.kiosk_open) == (may_apply, phase, kiosk_open)
    if not may_apply:
        assert decision.opens_on == decision.phase.starts and decision.channels == ()
        assert "起可以申领" in decision.message.zh and "from" in decision.message.en


def test_beijing_phase_keeps_the_first_day_a_person_could_apply(beijing):
    decision = beijing.phase_for("房山区", "employee", date(2026, 6, 1))
    assert decision.opens_on == date(2024, 10, 30) and decision.channels == ("online", "offline")


def test_month_precision_start_is_shown_as_a_month(beijing):
    decision = beijing.phase_for("海淀区", "employee", date(2025, 1, 1))
    assert "2025年2月起" in decision.message.zh and "February 2025" in decision.message.en


def test_unknown_district_or_group_is_a_clear_error(beijing):
    with pytest.raises(ValueError, match="unknown district '火星区'"):
        beijing.phase_for("火星区", "employee", date(2025, 1, 1))
    with pytest.raises(ValueError, match="unknown group 'tourist'.*employee"):
        beijing.phase_for("房山区", "tourist", date(2025, 1, 1))


def test_region_without_a_schedule_lets_everyone_apply(changshou):
    decision = changshou.phase_for("长寿区", "anyone", date(2025, 1, 1))
    assert decision.may_apply and decision.kiosk_open and decision.phase is None


# --- bad files -------------------------------------------------------------------------


def test_bad_file_lists_every_problem_by_key_path(tmp_path):
    path = edited_copy(
        tmp_path,
        CHANGSHOU,
        ("[services.unlock]", "[services.frobnicate]"),  # unknown service, and unlock now missing
        ("[time_limits.online_application]", "[time_limits.online_application_typo]"),
        ('phone = "023-67381349"', 'phone = "67381349"'),  # CS-24
    )
    problems = problems_of(path)
    assert "unknown service code 'frobnicate'" in problems["services.frobnicate"]
    assert problems["services.unlock"] == "missing"
    assert problems["time_limits.online_application"] == "missing"
    assert "'67381349' is not valid" in problems["outlets[23].phone"]
    assert "CS-24" in problems["outlets[23].phone"]


def test_service_placed_neither_at_kiosk_nor_window_is_refused(tmp_path):
    path = edited_copy(tmp_path, CHANGSHOU, ('[services.unlock]                     # 7: window only\nwhere = "window"', '[services.unlock]\nwhere = "online"'))
    assert "'online' is not one of 'kiosk', 'window'" in problems_of(path)["services.unlock.where"]


def test_time_limit_named_by_a_service_must_exist(tmp_path):
    path = edited_copy(tmp_path, CHANGSHOU, ('time_limit = "batch"\nguidance = { zh = "单位经办人请带：本人身份证或社保卡原件、单位介绍信', 'time_limit = "batches"\nguidance = { zh = "单位经办人请带：本人身份证或社保卡原件、单位介绍信'))
    assert "no time limit 'batches'" in problems_of(path)["services.batch_new.time_limit"]


def test_outlet_with_unknown_bank_and_duplicate_id_are_both_reported(tmp_path):
    path = edited_copy(tmp_path, CHANGSHOU, ('id = "CS-49"', 'id = "CS-48"'), ('bank = "abc"', 'bank = "hsbc"'))
    problems = problems_of(path)
    assert "'CS-48' appears twice" in problems["outlets[48].id"]
    assert "unknown bank 'hsbc'" in problems["outlets[25].bank"]


def test_unknown_top_level_key_is_reported(tmp_path):
    path = edited_copy(tmp_path, CHANGSHOU, ("schema_version = 1\n", 'schema_version = 1\ncolour = "blue"\n'))
    assert "unknown key" in problems_of(path)["colour"]


def test_invalid_toml_is_reported_with_the_file(tmp_path):
    path = edited_copy(tmp_path, CHANGSHOU, append="\n[services.apply\n")
    assert "not valid TOML" in problems_of(path)["-"]


def test_bad_calendar_table_is_reported_with_its_key(tmp_path):
    path = edited_copy(tmp_path, CHANGSHOU, append='\n[calendar]\nholidays = ["2027-02-30"]\n')
    assert "is not a date" in problems_of(path)["calendar.holidays[0]"]


def test_calendar_overrides_move_the_expected_date(tmp_path):
    plain = load_policy(CHANGSHOU).expected_completion("batch_new", datetime(2026, 3, 2, 9))
    path = edited_copy(tmp_path, CHANGSHOU, append='\n[calendar]\nholidays = ["2026-03-03..2026-03-04"]\n')
    moved = load_policy_file(path).expected_completion("batch_new", datetime(2026, 3, 2, 9))
    assert (moved.date - plain.date).days == 2  # two more working days, no weekend in between


def test_policy_code_must_match_its_file_name(tmp_path):
    path = edited_copy(tmp_path, CHANGSHOU)
    renamed = path.rename(tmp_path / "chongqing-other.toml")
    assert "must match the file name" in problems_of(renamed)["code"]


def test_unknown_region_lists_the_known_ones():
    with pytest.raises(PolicyError, match="unknown region 'atlantis'.*beijing"):
        load_policy("atlantis")


# --- the terminal configuration names an outlet of its region's policy ------------------


def _config(tmp_path: Path, outlet_id: str, terminal_id: str = "T01", region: str = CHANGSHOU) -> Path:
    key = tmp_path / "terminal.key"
    if not key.exists():
        write_new_key_file(key)
    enrol(tmp_path / "tls", terminal_id)
    path = tmp_path / "terminal.toml"
    path.write_text(
        f'production = true\noutlet_id = "{outlet_id}"\nterminal_id = "{terminal_id}"\nregion = "{region}"\n'
        f'centre_url = "https://centre.example.invalid/api"\nkey_file = "{key}"\n'
        '[devices]\nid_reader = "serial:///dev/ttyUSB0?baud=115200"\nprinter = "serial:///dev/ttyS1?baud=9600"\n'
        'camera = "v4l2://0"\ncard_reader = "pcsc://"\n',
        encoding="utf-8",
    )
    return path


def test_config_accepts_an_outlet_of_the_policy(tmp_path):
    assert load_config(_config(tmp_path, "CS-49")).outlet_id == "CS-49"


def test_config_refuses_an_outlet_the_policy_does_not_list(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(_config(tmp_path, "CS-SBZX"))
    [problem] = err.value.problems
    assert problem.key == "outlet_id" and "unknown outlet 'CS-SBZX'" in problem.reason


def test_config_for_beijing_says_the_policy_lists_no_outlets(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(_config(tmp_path, "BJ-01", region="beijing"))
    [problem] = err.value.problems
    assert problem.key == "outlet_id" and "lists no outlets" in problem.reason


def test_config_refuses_a_terminal_id_that_cannot_be_in_a_serial(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(_config(tmp_path, "CS-01", terminal_id="kiosk 1"))
    [problem] = err.value.problems
    assert problem.key == "terminal_id" and "capital letters or digits" in problem.reason


def test_the_policy_schema_is_a_valid_draft_2020_12_schema():
    """The kiosk does not check its own schema at every start (kiosk/domain/policy/schema.py)."""
    jsonschema.Draft202012Validator.check_schema(policy_schema())


def test_a_broken_schema_fails_the_meta_schema_check():
    broken = {**policy_schema(), "type": "a policy"}
    with pytest.raises(jsonschema.SchemaError):
        jsonschema.Draft202012Validator.check_schema(broken)


# --- closed sets: the schema's enums and the code's enums are the same sets ------------


def _schema_at(*path: str) -> dict:
    node = policy_schema()
    for part in path:
        node = node[int(part)] if part.isdigit() else node[part]
    return node


@pytest.mark.parametrize(
    "enum, path",
    [
        (TimeUnit, "$defs/time_limit/properties/unit"),
        (ServicePlace, "$defs/service_rule/properties/where"),
        (OutletKind, "properties/outlets/items/properties/kind"),
        (OutletKind, "$defs/service_rule/properties/time_limit/oneOf/1/propertyNames"),
        (StartPrecision, "properties/phased_schedule/properties/phases/items/properties/start_precision"),
        (Channel, "properties/phased_schedule/properties/phases/items/properties/channels/items"),
    ],
)
def test_schema_enum_and_code_enum_list_the_same_values(enum, path):
    assert sorted(_schema_at(*path.split("/"))["enum"]) == sorted(e.value for e in enum)


def test_every_batch_image_kind_is_a_key_of_the_batch_table():
    assert {k.value for k in ImageKind} <= set(_schema_at("properties", "batch", "properties"))


def test_loaded_policy_holds_enum_members_not_strings(changshou, beijing):
    assert all(type(o.kind) is OutletKind for o in changshou.outlets)
    assert all(type(r.where) is ServicePlace for r in changshou.services.values())
    assert all(type(t.unit) is TimeUnit for t in changshou.time_limits.values())
    assert all(type(k) is OutletKind for r in changshou.services.values() for k in r.time_limits if k != "*")
    phases = beijing.schedule.phases
    assert all(type(p.start_precision) is StartPrecision and all(type(c) is Channel for c in p.channels) for p in phases)


def test_unknown_batch_image_kind_is_refused(changshou):
    with pytest.raises(ValueError, match="unknown image kind 'selfie'"):
        changshou.batch.image_name("selfie", "11010519491231002X")
