"""Degraded service instead of all-or-nothing (issue 15), on a real Kivy window: a fault closes
the services that need what failed, greyed with the reason in the residents' words; the
rest stay open; out of service (or nothing open) the attract screen says so and starts nothing.

Screenshots: docs/screenshots/home-degraded-*.png, attract-out-of-service.png, home-clock-behind.png.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.ui.conftest import REPO, run_scenario
from tests.ui.journey_rig import journey_rig

pytestmark = pytest.mark.ui

MODULE = "tests.ui.degraded_scenarios"
DOCS = REPO / "docs" / "screenshots"
MISSING_READER = "pcsc://?name=NoSuchReader"


def without_card_reader(config: Path) -> Path:
    """The rig's config, with a card reader PC/SC does not have (unplugged, or never fitted)."""
    text = config.read_text()
    assert 'card_reader = "pcsc://"' in text
    gone = config.with_name("no-card-reader.toml")
    gone.write_text(text.replace('card_reader = "pcsc://"', f'card_reader = "{MISSING_READER}"'))
    return gone


@pytest.fixture(scope="module")
def degraded(portrait_display, tmp_path_factory):
    work = tmp_path_factory.mktemp("degraded")
    with journey_rig(work) as (_rig, config):
        run = run_scenario("degraded_home", portrait_display, work, config=without_card_reader(config), module=MODULE, watch_devices=True)
        report = run.report
    for name in ("home-degraded-card-reader", "home-degraded-printer", "home-degraded-printer-en", "home-degraded-centre"):
        shutil.copy2(run.out_dir / f"{name}.png", DOCS / f"{name}.png")
    return report


CARD_GROUPS = ("activate", "pin")
PRINTING_GROUPS = ("new_card", "replace", "info_change", "batch")


def test_gone_card_reader_greys_card_services_with_the_reason(degraded):
    tiles = degraded["card_reader.tiles"]
    for group in CARD_GROUPS:
        assert tiles[group]["closed"], group
        assert tiles[group]["reason"].startswith("社保卡读卡器暂时不能用"), tiles[group]
    services = degraded["card_reader.services"]
    assert services["loss_cancel"] == "closed_card_reader" and services["loss_report"] == "open"


def test_gone_card_reader_keeps_the_other_services_open(degraded):
    tiles = degraded["card_reader.tiles"]
    for group in (*PRINTING_GROUPS, "loss", "query"):
        assert not tiles[group]["closed"], group


def test_touching_a_closed_tile_says_why_and_starts_nothing(degraded):
    notice = degraded["card_reader.notice"]
    assert notice["screen"] == "home" and notice["flow"] is None
    assert any(t.startswith("社保卡读卡器暂时不能用") for t in notice["texts"])
    assert degraded["card_reader.after_ok"] == "home"


def test_printer_out_of_paper_greys_printing_services(degraded):
    tiles = degraded["paper_out.tiles"]
    for group in PRINTING_GROUPS:
        assert tiles[group]["closed"] and tiles[group]["reason"] == "打印机缺纸，暂不能办理需要打印凭证的业务", group
    assert not tiles["query"]["closed"]  # a status query prints nothing
    assert tiles["loss"]["closed"]  # both loss services print a voucher (and the card reader is gone)
    notice = degraded["paper_out.notice"]
    assert any("打印机缺纸" in t for t in notice["texts"]) and notice["flow"] is None


def test_printer_out_of_paper_in_english(degraded):
    reason = degraded["paper_out.tiles_en"]["new_card"]["reason"]
    assert "out of paper" in reason


def test_centre_stopped_shows_queued_wording(degraded):
    tiles = degraded["centre_down.tiles"]
    assert not tiles["new_card"]["closed"]
    assert tiles["new_card"]["reason"] == "网络暂时中断，办理后会自动提交"
    assert tiles["query"]["reason"] == "网络暂时中断，只能查到以前的结果"
    assert tiles["activate"]["closed"]  # closed anyway: no card reader


def test_centre_back_clears_the_wording(degraded):
    tiles = degraded["centre_back.tiles"]
    assert tiles["new_card"] == {"closed": False, "availability": "open", "reason": None}


@pytest.fixture(scope="module")
def out_of_service(portrait_display, tmp_path_factory):
    work = tmp_path_factory.mktemp("out-of-service")
    run = run_scenario("out_of_service", portrait_display, work, module=MODULE)
    report = run.report
    shutil.copy2(run.out_dir / "attract-out-of-service.png", DOCS / "attract-out-of-service.png")
    return report


def test_out_of_service_shows_the_reason_on_the_attract_screen(out_of_service):
    texts = out_of_service["out.attract"]["texts"]
    assert any(t.startswith("本机正在维护，暂停服务") and "服务窗口" in t for t in texts), texts
    assert not any("请触摸屏幕开始" in t for t in texts)


def test_out_of_service_refuses_to_start_a_session(out_of_service):
    assert out_of_service["out.after_touch"] == "attract"


def test_back_in_service_starts_again(out_of_service):
    assert any("请触摸屏幕开始" in t for t in out_of_service["in.attract"]["texts"])
    assert out_of_service["in.after_touch"] == "home"


def test_every_service_closed_is_said_on_the_attract_screen(portrait_display, tmp_path):
    """No simulator runs and the card reader is not there: nothing this kiosk does can be done."""
    from hwsim.cli.cmd_sim_all import simulator_config
    from kiosk.config import SIMULATOR_CONFIG

    config = without_card_reader(simulator_config(SIMULATOR_CONFIG, "https://127.0.0.1:9", tmp_path / "kiosk.toml"))
    run = run_scenario("every_service_closed", portrait_display, tmp_path, config=config, module=MODULE, watch_devices=True)
    report = run.report
    assert any(t.startswith("本机暂时不能办理业务") for t in report["attract"]["texts"])
    assert report["after_touch"] == "attract"


def test_paper_running_out_mid_voucher_shows_on_home_once_the_journey_ends(portrait_display, tmp_path):
    with journey_rig(tmp_path) as (_rig, config):
        run = run_scenario("paper_runs_out_mid_voucher", portrait_display, tmp_path, config=config, module=MODULE, watch_devices=True)
        report = run.report
    assert report["before.apply"] == "open" and report["during.apply"] == "open"
    assert any("打印机没有纸了" in t for t in report["printer_notice"])
    tile = report["after.tiles"]["new_card"]
    assert tile["closed"] and tile["reason"] == "打印机缺纸，暂不能办理需要打印凭证的业务"


@pytest.fixture(scope="module")
def clock_behind(portrait_display, tmp_path_factory):
    """Every device and the centre there; only the clock is behind the build day (build_info)."""
    work = tmp_path_factory.mktemp("clock-behind")
    build_info = work / "build-info"
    build_info.write_text("version=9.9.9\ncommit=0000000\nbuild_date=2099-01-01T00:00:00Z\n")
    with journey_rig(work) as (_rig, config):
        behind = config.with_name("clock-behind.toml")
        behind.write_text(f'build_info = "{build_info}"\n' + config.read_text())
        run = run_scenario("clock_behind", portrait_display, work, config=behind, module=MODULE, watch_devices=True)
        report = run.report
    shutil.copy2(run.out_dir / "home-clock-behind.png", DOCS / "home-clock-behind.png")
    return report


def test_a_clock_behind_the_build_day_closes_what_dates_a_voucher_with_the_reason(clock_behind):
    services = clock_behind["clock.services"]
    assert services["apply"] == services["loss_report"] == services["reissue"] == "closed_clock", services
    assert services["status_query"] == "open", services  # dates nothing: a resident may still ask
    tiles = clock_behind["clock.tiles"]
    assert tiles["new_card"]["closed"] and tiles["new_card"]["reason"] == "本机时间不准，暂停办理，请找工作人员"
    assert not tiles["query"]["closed"]


def test_touching_a_service_closed_for_the_clock_says_why_and_starts_nothing(clock_behind):
    notice = clock_behind["clock.notice"]
    assert any(t.startswith("本机时间不准") for t in notice["texts"]) and notice["flow"] is None
    assert clock_behind["clock.after_ok"] == "home"
