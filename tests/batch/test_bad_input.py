"""Packages that are broken or hostile: each gets a clear message, nothing on the drive changes,
and the checker never crashes or runs out of memory."""

import hashlib
import io
import os
import shutil
import struct
import zipfile

import pytest

from kiosk.batch import Limits, ProblemCode
from tests.batch.checking import check, codes, found
from tests.batch.packages import adult, build_package, jpeg, minor, write_sheet, zip_like_windows


def tree_digest(path):
    """Every file's name and bytes under `path` (or the file itself): to show nothing changed."""
    h = hashlib.sha256()
    paths = [path] if path.is_file() else sorted(p for p in path.rglob("*"))
    for p in paths:
        h.update(str(p.relative_to(path.parent)).encode())
        if p.is_file() and not p.is_symlink():
            h.update(p.read_bytes())
    return h.hexdigest()


def unreadable(report, code):
    assert not report.readable
    assert found(report)[0] == (None, str(code))
    assert report.problems[0].message.zh and report.problems[0].message.en
    assert report.passed_people() == []


def test_missing_package(tmp_path):
    unreadable(check(tmp_path / "nothing-here"), ProblemCode.NOT_FOUND)


def test_a_single_file_that_is_not_a_zip(tmp_path):
    sheet = write_sheet(tmp_path / "表.xlsx", [["姓名"]])
    unreadable(check(sheet), ProblemCode.NOT_A_PACKAGE)


def test_package_without_a_sheet(tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "a.jpg").write_bytes(jpeg(10, 10))
    unreadable(check(folder), ProblemCode.NO_SHEET)


def test_two_sheet_files(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    write_sheet(folder / "另一个表.csv", [["姓名"]], fmt="csv")
    report = check(folder)
    unreadable(report, ProblemCode.SEVERAL_SHEET_FILES)
    assert "另一个表.csv" in report.problems[0].message.zh


def test_zip_bomb(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    zeros = b"\x00" * (200 * 1024 * 1024)  # 200 MB that packs into 200 KB
    target = zip_like_windows(folder, tmp_path / "bomb.zip", extra=(("zeros.jpg", zeros),))
    before = tree_digest(target)
    report = check(target)
    unreadable(report, ProblemCode.ZIP_BOMB)
    assert tree_digest(target) == before


def test_zip_with_overlapping_entries(tmp_path):
    """Fifield's "better zip bomb": many directory entries pointing at the same data."""
    folder = build_package(tmp_path / "pkg", [adult(1)])
    target = zip_like_windows(folder, tmp_path / "p.zip")
    data = bytearray(target.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    (cd_offset,) = struct.unpack_from("<I", data, end + 16)
    first, second = data.find(b"PK\x01\x02", cd_offset), None
    second = data.find(b"PK\x01\x02", first + 4)
    struct.pack_into("<I", data, second + 42, struct.unpack_from("<I", data, first + 42)[0])  # same local header
    target.write_bytes(bytes(data))
    unreadable(check(target), ProblemCode.ZIP_BOMB)


def test_path_traversal_member_is_skipped_and_reported(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    target = zip_like_windows(folder, tmp_path / "p.zip", extra=(("../x.jpg", jpeg(10, 10)), ("/etc/evil.jpg", jpeg(10, 10))))
    report = check(target)
    assert found(report) == [(None, "unsafe_name"), (None, "unsafe_name")]
    assert report.readable and report.ok == 1
    assert not (tmp_path / "x.jpg").exists()


def test_symlink_in_a_folder_is_not_followed(tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(jpeg(358, 441))
    a = adult(1)
    folder = build_package(tmp_path / "pkg", [a])
    os.remove(folder / f"{a.id_number}.jpg")
    os.symlink(secret, folder / f"{a.id_number}.jpg")
    report = check(folder)
    assert found(report) == [(None, "symlink"), (3, "photo_missing")]


def test_symlink_member_in_a_zip_is_skipped(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    link = zipfile.ZipInfo("link.jpg")
    link.external_attr = 0o120777 << 16
    target = zip_like_windows(folder, tmp_path / "p.zip", extra=((link, "/etc/passwd"),))
    assert found(check(target)) == [(None, "symlink")]


def test_macro_workbook(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    sheet = folder / "制卡明细表.xlsx"
    sheet.rename(folder / "制卡明细表.xlsm")
    unreadable(check(folder), ProblemCode.MACROS)


def test_xlsx_carrying_a_vba_project(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    with zipfile.ZipFile(folder / "制卡明细表.xlsx", "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    unreadable(check(folder), ProblemCode.MACROS)


def test_encrypted_zip(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    target = zip_like_windows(folder, tmp_path / "p.zip")
    data = bytearray(target.read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # set "encrypted" as a password tool does
        at = data.find(signature)
        while at != -1:
            struct.pack_into("<H", data, at + flag_at, struct.unpack_from("<H", data, at + flag_at)[0] | 0x1)
            at = data.find(signature, at + 4)
    target.write_bytes(bytes(data))
    unreadable(check(target), ProblemCode.ZIP_ENCRYPTED)


def test_damaged_zip(tmp_path):
    target = tmp_path / "p.zip"
    target.write_bytes(b"PK\x03\x04 this is not really a zip")
    unreadable(check(target), ProblemCode.ZIP_DAMAGED)


def test_sheet_that_is_not_a_workbook(tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "表.xlsx").write_bytes(b"just text, renamed")
    unreadable(check(folder), ProblemCode.SHEET_UNREADABLE)


def test_sheet_without_a_header(tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    write_sheet(folder / "表.xlsx", [["a", "b"], [1, 2]])
    unreadable(check(folder), ProblemCode.NO_HEADER)


def test_sheet_with_100000_empty_formatted_rows(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1), adult(2)], empty_numbered_rows=0)
    sheet = folder / "制卡明细表.xlsx"
    _append_formatted_rows(sheet, 100_000)
    report = check(folder)
    assert (report.rows, report.ok, report.problems) == (2, 2, [])


def _append_formatted_rows(sheet, count):
    """Rows Excel keeps when someone formats whole columns: a style, no value."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(sheet) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                rows = "".join(f'<row r="{r}" customFormat="1" s="0"><c r="C{r}" s="0"/><c r="F{r}" s="0"/></row>' for r in range(10, 10 + count))
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
                data = data.replace(b'<dimension ref="A1:H4"/>', f'<dimension ref="A1:H{10 + count}"/>'.encode())
            new.writestr(info, data)
    sheet.write_bytes(buffer.getvalue())


def test_a_100_megapixel_photo_is_refused_from_its_header(tmp_path):
    a = adult(1)
    a.images[f"{a.id_number}.jpg"] = _jpeg_header_claiming(10_000, 10_000)
    report = check(build_package(tmp_path / "pkg", [a]))
    assert found(report) == [(3, "image_too_large")]
    assert "10000×10000" in report.problems[0].message.zh


def _jpeg_header_claiming(width, height):
    """A small file whose frame header claims `width`×`height`: what a decompression bomb looks like."""
    real = jpeg(8, 8)
    at = next(i for i in range(2, len(real) - 1) if real[i] == 0xFF and real[i + 1] in (0xC0, 0xC2))
    data = bytearray(real)
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def test_an_image_over_the_size_limit_is_not_read(tmp_path):
    a = adult(1)
    folder = build_package(tmp_path / "pkg", [a])
    report = check(folder, limits=Limits(max_image_bytes=1000))
    assert codes(report) == {"image_too_large"}


def test_too_many_files(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1), adult(2)])
    unreadable(check(folder, limits=Limits(max_files=4)), ProblemCode.TOO_MANY_FILES)


def test_too_many_people(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1), adult(2), adult(3)])
    unreadable(check(folder, limits=Limits(max_people=2)), ProblemCode.TOO_MANY_PEOPLE)


def pull_out_after(monkeypatch, reads, pull):
    """The drive goes away once `reads` files have been read (the check reads on worker threads)."""
    from kiosk.batch.source import PackageSource

    original = PackageSource._guarded
    count = {"n": 0}

    def guarded(self, member, limit, how):
        count["n"] += 1
        if count["n"] == reads + 1:
            pull()
        return original(self, member, limit, how)

    monkeypatch.setattr(PackageSource, "_guarded", guarded)


def test_the_stick_pulled_out_mid_check_of_a_folder(tmp_path, monkeypatch):
    drive = tmp_path / "drive"
    folder = build_package(drive / "pkg", [adult(1), adult(2), adult(3)])
    pull_out_after(monkeypatch, 1, lambda: shutil.rmtree(drive))  # one file read, the others not yet
    report = check(folder)
    unreadable(report, ProblemCode.SOURCE_LOST)


def test_the_stick_pulled_out_mid_check_of_a_zip(tmp_path, monkeypatch):
    folder = build_package(tmp_path / "pkg", [adult(1), adult(2), adult(3)])
    target = zip_like_windows(folder, tmp_path / "p.zip")
    # One member read; the handle now reads nothing but what its 8 KB buffer still holds.
    pull_out_after(monkeypatch, 1, lambda: os.truncate(target, 0))
    unreadable(check(target), ProblemCode.SOURCE_LOST)


def test_cancelled_check(tmp_path):
    class Token:
        cancelled = False

    token = Token()

    def cancel_after_one(done, total):
        token.cancelled = True

    folder = build_package(tmp_path / "pkg", [adult(1), adult(2)])
    unreadable(check(folder, progress=cancel_after_one, cancel=token), ProblemCode.CANCELLED)


# --- the package itself ------------------------------------------------------------------------

def test_a_second_worksheet_with_content(tmp_path):
    import openpyxl

    folder = build_package(tmp_path / "pkg", [adult(1)])
    book = openpyxl.load_workbook(folder / "制卡明细表.xlsx")
    book.create_sheet("第二批").append(["张四", "500115199001010011"])
    book.create_sheet("Sheet3")  # Excel's empty default sheets are fine
    book.save(folder / "制卡明细表.xlsx")
    report = check(folder)
    assert found(report) == [(None, "second_sheet")] and report.ok == 1
    assert "第二批" in report.problems[0].message.zh


def test_hidden_row(tmp_path):
    import openpyxl

    folder = build_package(tmp_path / "pkg", [adult(1), adult(2)])
    book = openpyxl.load_workbook(folder / "制卡明细表.xlsx")
    book.active.row_dimensions[4].hidden = True
    book.save(folder / "制卡明细表.xlsx")
    report = check(folder)
    assert found(report) == [(4, "hidden_row")]
    assert [p.passed for p in report.people] == [True, False]


def test_hidden_row_in_an_old_xls(tmp_path):
    import xlwt

    folder = build_package(tmp_path / "pkg", [adult(1), adult(2)], fmt="xls")
    # rewrite with row 4 (index 3) hidden
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    import xlrd

    old = xlrd.open_workbook(str(folder / "制卡明细表.xls")).sheet_by_index(0)
    for r in range(old.nrows):
        for c, v in enumerate(old.row_values(r)):
            sheet.write(r, c, v)
    sheet.row(3).hidden = True
    book.save(str(folder / "制卡明细表.xls"))
    assert found(check(folder)) == [(4, "hidden_row")]


def test_formula_cell(tmp_path):
    import openpyxl

    folder = build_package(tmp_path / "pkg", [adult(1), adult(2)])
    book = openpyxl.load_workbook(folder / "制卡明细表.xlsx")
    book.active["F4"] = '="138"&"00138000"'
    book.save(folder / "制卡明细表.xlsx")
    report = check(folder)
    assert (4, "formula") in found(report)
    formula = next(p for p in report.problems if p.code is ProblemCode.FORMULA)
    assert (formula.column, formula.cell) == ("电话号码", "F4")


def test_image_that_matches_nobody(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    (folder / "500115199901010000-正.jpg").write_bytes(jpeg(640, 404))
    (folder / "合影.jpg").write_bytes(jpeg(640, 404))
    report = check(folder)
    assert found(report) == [(None, "unmatched_image"), (None, "unmatched_image")] and report.ok == 1


def test_two_images_with_the_same_name_in_different_folders(tmp_path):
    a = adult(1)
    folder = build_package(tmp_path / "pkg", [a])
    (folder / "备份").mkdir()
    (folder / "备份" / f"{a.id_number}.jpg").write_bytes(jpeg(358, 441))
    assert found(check(folder)) == [(3, "duplicate_image")]


def test_empty_sheet_lists_nobody(tmp_path):
    report = check(build_package(tmp_path / "pkg", []))
    assert found(report) == [(None, "no_people")] and report.readable and report.rows == 0


@pytest.mark.parametrize("maker", [build_package], ids=["folder"])
def test_checking_changes_nothing_on_the_drive(tmp_path, maker):
    folder = maker(tmp_path / "pkg", [adult(1, phone="1"), minor(2, images={})])
    before = tree_digest(folder)
    check(folder)
    assert tree_digest(folder) == before


def test_a_damaged_image_inside_the_zip(tmp_path):
    a = adult(1)
    folder = build_package(tmp_path / "pkg", [a])
    target = zip_like_windows(folder, tmp_path / "p.zip")
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as z:
        info = z.getinfo(f"{a.id_number}.jpg")
    start = info.header_offset + 30 + len(info.filename.encode("ascii")) + 10
    for i in range(start, start + 40):
        data[i] ^= 0x5A  # garbage in the deflated bytes: a bad CRC or a broken stream
    target.write_bytes(bytes(data))
    report = check(target)
    assert found(report) == [(3, "image_damaged")] and report.readable


def test_a_photo_whose_exif_pushes_the_frame_header_past_the_first_64_kb(tmp_path):
    a = adult(1)
    plain = jpeg(358, 441)
    app1 = b"\xff\xe1" + (65_000).to_bytes(2, "big") + b"Exif\x00\x00" + b"\x00" * (65_000 - 8)
    padded = plain[:2] + app1 + app1 + plain[2:]  # two large APP1 segments, then the real header
    a.images[f"{a.id_number}.jpg"] = padded
    report = check(build_package(tmp_path / "pkg", [a]))
    assert report.problems == [] and report.all_passed


def test_problems_say_whether_they_are_about_the_package_a_row_or_files(tmp_path):
    from kiosk.batch import Scope

    a, b = adult(1, phone="1"), adult(2)
    del b.images[f"{b.id_number}.jpg"]
    folder = build_package(tmp_path / "pkg", [a, b])
    (folder / "合影.jpg").write_bytes(jpeg(10, 10))
    report = check(folder)
    assert [report.scope_of(p) for p in report.problems] == [Scope.PACKAGE, Scope.ROW, Scope.FILES]
    assert [person.row if person else None for person, _ in report.by_person()] == [None, 3, 4]


def test_a_fault_in_the_checker_is_a_message_not_a_crash(tmp_path, monkeypatch, caplog):
    from kiosk.batch import fields

    def broken(value):
        raise RuntimeError("a bug")

    monkeypatch.setattr(fields, "nation", broken)
    report = check(build_package(tmp_path / "pkg", [adult(1)]))
    unreadable(report, ProblemCode.CHECK_FAILED)
    assert "batch check failed" in caplog.text
