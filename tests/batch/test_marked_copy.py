"""The marked-up copy the clerk takes back to the office: a problems column, the bad cells in
red, a new file beside the package; the package itself unchanged."""

import openpyxl
import pytest

from kiosk.batch import write_marked_copy
from kiosk.batch.marked_copy import BAD_FILL, PROBLEMS_HEADER, NothingToMark
from tests.batch.checking import check, found
from tests.batch.packages import adult, build_package, zip_like_windows
from tests.batch.test_bad_input import tree_digest


def problems_column(sheet, header_row=2):
    for cell in sheet[header_row]:
        if cell.value == PROBLEMS_HEADER:
            return cell.column
    raise AssertionError("no problems column")


def is_red(cell):
    return cell.fill is not None and cell.fill.fgColor.rgb.endswith(BAD_FILL)


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "csv"])
def test_bad_cells_are_red_and_each_row_says_what_to_fix(tmp_path, fmt):
    folder = build_package(tmp_path / "drive" / "pkg", [adult(1), adult(2, phone="123", bank="花旗银行"), adult(3)], fmt=fmt)
    before = tree_digest(folder)
    report = check(folder)
    assert found(report) == [(4, "phone_invalid"), (4, "bank_unknown")]

    copy = write_marked_copy(report, tmp_path / "drive")
    assert copy.parent == tmp_path / "drive" and copy.suffix == ".xlsx" and "问题标注" in copy.name
    assert tree_digest(folder) == before

    sheet = openpyxl.load_workbook(copy).worksheets[0]
    column = problems_column(sheet)
    assert "电话号码不对" in sheet.cell(4, column).value and "合作银行" in sheet.cell(4, column).value
    assert sheet.cell(3, column).value is None and sheet.cell(5, column).value is None
    assert is_red(sheet["F4"]) and is_red(sheet["G4"]) and not is_red(sheet["F3"])
    assert sheet["B4"].value == "职工2"  # the data is all there


def test_a_copy_never_overwrites_an_earlier_one(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1, phone="1")])
    report = check(folder)
    first = write_marked_copy(report, tmp_path)
    second = write_marked_copy(report, tmp_path)
    assert first != second and first.exists() and second.exists()


def test_a_copy_left_inside_the_package_is_not_a_second_sheet(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1, phone="1")])
    write_marked_copy(check(folder), folder)
    assert found(check(folder)) == [(3, "phone_invalid")]


def test_a_zip_package_gets_its_copy_beside_the_zip(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1, nation="x")])
    target = zip_like_windows(folder, tmp_path / "drive.zip")
    before = tree_digest(target)
    copy = write_marked_copy(check(target), tmp_path)
    assert copy.exists() and tree_digest(target) == before


def test_package_problems_are_a_comment_on_the_problems_header(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    (folder / "合影.jpg").write_bytes(b"\xff\xd8\xff")
    copy = write_marked_copy(check(folder), tmp_path)
    sheet = openpyxl.load_workbook(copy).worksheets[0]
    header = sheet.cell(2, problems_column(sheet))
    assert "合影.jpg" in header.comment.text


def test_an_unreadable_package_has_nothing_to_mark(tmp_path):
    with pytest.raises(NothingToMark):
        write_marked_copy(check(tmp_path / "gone"), tmp_path)
