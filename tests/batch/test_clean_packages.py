"""A correct package passes, whatever office program made it: every sheet format, a Windows
zip with GBK names, a replacement sheet; the employer is read from the title."""

import zipfile
from datetime import date

import pytest

from kiosk.batch import BatchKind, ImageKind
from kiosk.domain.replacement import Reason
from tests.batch.checking import check
from tests.batch.packages import CREDIT_CODE, EMPLOYER, adult, build_package, minor, zip_like_windows

PEOPLE = [adult(1), adult(2), minor(3)]


def assert_clean(report, people=PEOPLE):
    assert report.problems == []
    assert report.readable and report.all_passed
    assert (report.rows, report.ok) == (len(people), len(people))
    assert [p.id_number for p in report.people] == [p.id_number for p in people]


def test_xlsx_folder_passes_and_reads_the_employer_from_the_title(tmp_path):
    report = check(build_package(tmp_path / "pkg", PEOPLE))
    assert_clean(report)
    assert report.kind is BatchKind.NEW
    assert (report.employer_name, report.employer_credit_code) == (EMPLOYER, CREDIT_CODE)
    first = report.people[0]
    assert (first.row, first.name, first.nation, first.nation_code, first.bank_code) == (3, "职工1", "汉", "01", "icbc")
    assert (first.validity_start, first.validity_end) == (date(2020, 1, 1), date(2040, 1, 1))
    assert not first.minor and report.people[2].minor


def test_windows_zip_with_gbk_member_names_passes(tmp_path):
    folder = build_package(tmp_path / "pkg", PEOPLE)
    zipped = zip_like_windows(folder, tmp_path / "单位资料.zip", top="单位资料")
    with zipfile.ZipFile(zipped) as z:  # as Windows writes it: no UTF-8 flag, GBK bytes read as CP437
        front = next(i for i in z.infolist() if i.filename.endswith("-".encode("gbk").decode("cp437") + "正".encode("gbk").decode("cp437") + ".jpg"))
        assert not front.flag_bits & 0x800
    report = check(zipped)
    assert_clean(report)
    assert {f.kind for f in report.people[0].files} == {ImageKind.PHOTO, ImageKind.ID_FRONT, ImageKind.ID_BACK}
    assert report.people[0].file(ImageKind.ID_FRONT).member.endswith("-正.jpg")


def test_xlsx_written_by_openpyxl_with_inline_strings_passes(tmp_path):
    assert_clean(check(build_package(tmp_path / "pkg", PEOPLE, fmt="openpyxl.xlsx")))


def test_old_xls_sheet_passes(tmp_path):
    assert_clean(check(build_package(tmp_path / "pkg", PEOPLE, fmt="xls")))


def test_gbk_csv_passes(tmp_path):
    assert_clean(check(build_package(tmp_path / "pkg", PEOPLE, fmt="csv", encoding="gbk")))


def test_utf8_csv_with_bom_passes(tmp_path):
    assert_clean(check(build_package(tmp_path / "pkg", PEOPLE, fmt="csv", encoding="utf-8-sig")))


def test_a_sheet_without_a_title_row_passes_without_an_employer(tmp_path):
    report = check(build_package(tmp_path / "pkg", PEOPLE, title=None))
    assert_clean(report)
    assert (report.employer_name, report.employer_credit_code) == (None, None)


def test_replacement_sheet_reads_reason_and_photo_change(tmp_path):
    people = [adult(1, reason="遗失"), adult(2, reason="卡片损坏", photo_change="否"), adult(3)]
    del people[1].images[f"{people[1].id_number}.jpg"]  # no new photo: none needed
    report = check(build_package(tmp_path / "pkg", people, kind=BatchKind.REPLACE))
    assert_clean(report, people)
    assert report.kind is BatchKind.REPLACE
    assert [(p.replacement_reason, p.photo_changes) for p in report.people] == [
        (Reason.LOST, True), (Reason.DAMAGED, False), (Reason.NEW_GENERATION, True),
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv"])
def test_the_digest_is_stable_and_changes_with_an_image(tmp_path, fmt):
    folder = build_package(tmp_path / "pkg", PEOPLE, fmt=fmt)
    first, again = check(folder), check(folder)
    assert first.package_digest == again.package_digest and len(first.package_digest) == 64
    photo = folder / f"{PEOPLE[0].id_number}.jpg"
    photo.write_bytes(photo.read_bytes()[:-2] + b"\x00\xff\xd9")
    assert check(folder).package_digest != first.package_digest


def test_progress_counts_every_person(tmp_path):
    calls = []
    check(build_package(tmp_path / "pkg", PEOPLE), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
