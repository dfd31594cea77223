"""Finding the package on the clerk's drive, wherever the office PC put it."""

import os

from kiosk.batch.locate import find_packages
from kiosk.batch.marked_copy import MARK_SUFFIX
from tests.batch.packages import adult, build_package, zip_like_windows


def test_sheet_and_images_on_the_drive_root(tmp_path):
    build_package(tmp_path, [adult(1)])
    assert find_packages(tmp_path) == [tmp_path]


def test_a_package_folder_and_a_zip_on_the_drive(tmp_path):
    folder = build_package(tmp_path / "单位资料", [adult(1)])
    zipped = zip_like_windows(folder, tmp_path / "单位资料.zip")
    (tmp_path / "System Volume Information").mkdir()
    (tmp_path / "照片").mkdir()
    assert find_packages(tmp_path) == [folder, zipped]


def test_a_package_two_folders_down(tmp_path):
    folder = build_package(tmp_path / "2026" / "12月", [adult(1)])
    assert find_packages(tmp_path) == [folder]


def test_the_marked_copy_written_back_is_not_a_package(tmp_path):
    (tmp_path / f"制卡明细表{MARK_SUFFIX}.xlsx").write_bytes(b"x")
    (tmp_path / "~$制卡明细表.xlsx").write_bytes(b"x")
    assert find_packages(tmp_path) == []


def test_links_are_not_followed(tmp_path):
    elsewhere = build_package(tmp_path / "elsewhere", [adult(1)])
    drive = tmp_path / "drive"
    drive.mkdir()
    os.symlink(elsewhere, drive / "pkg")
    assert find_packages(drive) == []


def test_a_drive_that_is_gone(tmp_path):
    assert find_packages(tmp_path / "unplugged") == []
