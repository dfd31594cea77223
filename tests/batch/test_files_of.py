"""Reading a person's images again for submission: the bytes that were checked, or a clear
refusal when the drive went away or a file changed since the check."""

import os
import shutil

import pytest

from kiosk.batch import ImageKind, PackageChanged, SourceLost
from tests.batch.checking import check
from tests.batch.packages import adult, build_package, jpeg, minor, zip_like_windows


@pytest.mark.parametrize("zipped", [False, True], ids=["folder", "zip"])
def test_files_of_gives_back_the_checked_bytes(tmp_path, zipped):
    a, child = adult(1), minor(2)
    folder = build_package(tmp_path / "pkg", [a, child])
    source = zip_like_windows(folder, tmp_path / "p.zip") if zipped else folder
    report = check(source)
    assert report.files_of(report.people[0]) == {
        ImageKind.PHOTO: a.images[f"{a.id_number}.jpg"],
        ImageKind.ID_FRONT: a.images[f"{a.id_number}-正.jpg"],
        ImageKind.ID_BACK: a.images[f"{a.id_number}-反.jpg"],
    }
    with report.open_files() as files:
        assert files.of(report.people[1]) == {ImageKind.HOUSEHOLD_OWN: child.images[f"{child.id_number}-户口.jpg"]}


def test_a_file_changed_after_the_check_is_refused(tmp_path):
    a = adult(1)
    folder = build_package(tmp_path / "pkg", [a])
    report = check(folder)
    (folder / f"{a.id_number}-正.jpg").write_bytes(jpeg(640, 404, shade=10))
    with pytest.raises(PackageChanged):
        report.files_of(report.people[0])


def test_a_file_removed_after_the_check_is_refused(tmp_path):
    a = adult(1)
    folder = build_package(tmp_path / "pkg", [a])
    report = check(folder)
    os.remove(folder / f"{a.id_number}.jpg")
    with pytest.raises(PackageChanged):
        report.files_of(report.people[0])


def test_the_stick_pulled_out_before_the_files_are_read(tmp_path):
    folder = build_package(tmp_path / "drive" / "pkg", [adult(1)])
    report = check(folder)
    shutil.rmtree(tmp_path / "drive")
    with pytest.raises(SourceLost):
        report.files_of(report.people[0])


def test_the_stick_pulled_out_between_two_people(tmp_path):
    folder = build_package(tmp_path / "drive" / "pkg", [adult(1), adult(2)])
    report = check(folder)
    with report.open_files() as files:
        files.of(report.people[0])
        shutil.rmtree(tmp_path / "drive")
        with pytest.raises(SourceLost):
            files.of(report.people[1])
