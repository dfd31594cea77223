"""The software's build day as the floor of the terminal's clock (kiosk.config.clock)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.config.clock import clock_problem, software_date
from kiosk.offline.sequence import SerialCounter, SerialError
from tests.config.test_config import key_file, production_config, write  # noqa: F401 (key_file: a fixture)

REPO = Path(__file__).resolve().parents[2]

BUILD_INFO = "version=0.1.0\ncommit=abc1234\nbuild_date=2026-12-03T18:57:41Z\n"


def test_the_build_day_is_read_from_the_images_build_info(tmp_path):
    (tmp_path / "build-info").write_text(BUILD_INFO)
    assert software_date(tmp_path / "build-info") == date(2026, 12, 3)


def test_build_info_without_a_build_date_is_refused_with_its_name(tmp_path):
    (tmp_path / "build-info").write_text("version=0.1.0\n")
    with pytest.raises(ValueError, match="build-info has no build_date"):
        software_date(tmp_path / "build-info")


def test_a_clock_on_or_after_the_build_day_is_trusted_and_one_before_is_not():
    built = date(2026, 12, 3)
    assert clock_problem(built, built) is None and clock_problem(date(2027, 1, 1), built) is None
    assert clock_problem(date(2026, 12, 2), None) is None  # no build day known: nothing to compare
    assert "before this software was built (2026-12-03)" in clock_problem(date(2000, 1, 1), built)


def test_the_serial_counter_refuses_a_day_before_the_build_day_and_counts_nothing(tmp_path):
    counter = SerialCounter(tmp_path, not_before=date(2026, 12, 3))
    with pytest.raises(SerialError, match="the time is not set"):
        counter.next("CS-01", "T01", date(2000, 1, 1))
    assert not counter.path.exists()
    assert counter.next("CS-01", "T01", date(2026, 12, 3)).endswith("0001")


def test_a_production_config_naming_the_build_info_carries_the_build_day(tmp_path, key_file):
    (tmp_path / "build-info").write_text(BUILD_INFO)
    text = production_config(key_file, build_info=f'"{tmp_path / "build-info"}"')
    assert load_config(write(tmp_path, text)).not_before == date(2026, 12, 3)


def test_a_config_naming_a_missing_build_info_file_is_a_problem_of_build_info(tmp_path, key_file):
    text = production_config(key_file, build_info=f'"{tmp_path / "no-such-file"}"')
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert [p.key for p in caught.value.problems] == ["build_info"]


def test_the_image_base_configuration_names_the_build_info_the_image_writes():
    base = (REPO / "deploy/image/lib/terminal.base.toml").read_text(encoding="utf-8")
    customize = (REPO / "deploy/image/customize-root").read_text(encoding="utf-8")
    assert 'build_info = "/usr/lib/sscard-kiosk/build-info"' in base
    assert "build_date=%s" in customize and '"$root/usr/lib/sscard-kiosk/build-info"' in customize
