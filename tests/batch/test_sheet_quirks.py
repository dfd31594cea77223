"""What office PCs do to a sheet, read the way the clerk meant it (or flagged, never guessed)."""

from datetime import date, datetime

from kiosk.batch import BatchKind
from tests.batch.checking import check, found
from tests.batch.packages import adult, build_package, id_number, jpeg, write_sheet


def id_ending_in_x() -> str:
    for seq in range(1000):
        number = id_number(date(1985, 5, 5), seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check character in 1000 sequence numbers")


def images_for(folder, number, *, photo_name=None):
    (folder / (photo_name or f"{number}.jpg")).write_bytes(jpeg(358, 441))
    (folder / f"{number}-正.jpg").write_bytes(jpeg(640, 404))
    (folder / f"{number}-反.jpg").write_bytes(jpeg(640, 404))


def test_columns_found_by_variant_names_in_any_order(tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    a = adult(1)
    header = ["常住地（必填）", "联系电话", "*公民身份号码", "开户银行", "姓 名", "民族", "证件有效期"]
    write_sheet(folder / "表.xlsx", [header, [a.address, a.phone, a.id_number, "中国工商银行", a.name, "汉", a.validity]])
    images_for(folder, a.id_number)
    report = check(folder)
    assert report.problems == [] and report.people[0].row == 2


def test_template_rows_numbered_but_empty_are_not_people(tmp_path):
    report = check(build_package(tmp_path / "pkg", [adult(1), adult(2)], empty_numbered_rows=200))
    assert (report.rows, report.ok, report.problems) == (2, 2, [])


def test_full_width_digits_stray_spaces_and_lowercase_x_are_what_was_meant(tmp_path):
    number = id_ending_in_x()
    typed = " " + number[:6].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + " " + number[6:-1] + "x "
    person = adult(1, id_number=typed, phone=" 138 0013 8000 ", nation=" 汉 ")
    person.images = {}
    folder = build_package(tmp_path / "pkg", [person])
    images_for(folder, number)
    report = check(folder)
    assert report.problems == []
    assert (report.people[0].id_number, report.people[0].phone) == (number, "13800138000")


def test_id_number_excel_stored_as_a_number_is_flagged_not_guessed(tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    a = adult(1)
    lost = int(a.id_number[:15] + "000") if a.id_number[-1] != "X" else 500115198001010000
    write_sheet(folder / "表.xlsx", [["姓名", "身份证号码", "民族", "证件有效期", "电话号码", "办卡银行", "常住地址"],
                                    [a.name, lost, "汉", a.validity, a.phone, "工商银行", a.address]])
    images_for(folder, a.id_number)
    report = check(folder)
    assert found(report)[-1] == (2, "id_stored_as_number")
    assert report.people[0].id_number == ""  # nothing made up


def test_id_number_saved_in_scientific_notation_by_a_csv_export(tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    write_sheet(folder / "表.csv", [["姓名", "身份证号码", "民族", "证件有效期", "电话号码", "办卡银行", "常住地址"],
                                   ["张三", "5.00115E+17", "汉", "2020.01.01-2040.01.01", "13800138000", "工商银行", "长寿区"]], fmt="csv", encoding="gbk")
    assert found(check(folder)) == [(2, "id_stored_as_number")]


def test_validity_in_two_columns_with_excel_dates_and_long_term(tmp_path):
    folder = tmp_path / "pkg"
    folder.mkdir()
    a, b = adult(1), adult(2)
    header = ["姓名", "身份证号码", "民族", "有效期开始日期", "有效期截止日期", "电话号码", "办卡银行", "常住地址"]
    write_sheet(folder / "表.xlsx", [
        header,
        [a.name, a.id_number, "汉", datetime(2019, 3, 1), datetime(2039, 3, 1), a.phone, "工行", a.address],
        [b.name, b.id_number, "土家", "2001.07.01", "长期", b.phone, "建设银行长寿支行", b.address],
    ])
    images_for(folder, a.id_number)
    images_for(folder, b.id_number)
    report = check(folder)
    assert report.problems == []
    assert [(p.validity_start, p.validity_end, p.long_term) for p in report.people] == [
        (date(2019, 3, 1), date(2039, 3, 1), False), (date(2001, 7, 1), None, True),
    ]
    assert [p.bank_code for p in report.people] == ["icbc", "ccb"]
    assert [p.nation for p in report.people] == ["汉", "土家"]


def test_validity_written_in_the_ways_people_write_it(tmp_path):
    people = [
        adult(1, validity="2015.03.01-2035.03.01"),
        adult(2, validity="20150301-20350301"),
        adult(3, validity="2015年3月1日至2035年3月1日"),
        adult(4, validity="2015-03-01～长期"),
        adult(5, validity="2015/3/1 — 2035/3/1"),
    ]
    report = check(build_package(tmp_path / "pkg", people))
    assert report.problems == []


def test_bank_names_long_short_and_with_a_branch(tmp_path):
    people = [adult(1, bank="中国工商银行"), adult(2, bank="农商行"), adult(3, bank="中国邮政储蓄银行长寿区支行"),
              adult(4, bank="重庆三峡银行"), adult(5, bank="中国银行")]
    report = check(build_package(tmp_path / "pkg", people))
    assert report.problems == []
    assert [p.bank_code for p in report.people] == ["icbc", "cqrcb", "psbc", "cqtgb", "boc"]


def test_capital_jpg_and_jpeg_extensions_and_subfolders(tmp_path):
    a = adult(1)
    a.images = {}
    folder = build_package(tmp_path / "pkg", [a])
    (folder / "照片").mkdir()
    (folder / "身份证").mkdir()
    (folder / "照片" / f"{a.id_number}.JPG").write_bytes(jpeg(358, 441))
    (folder / "身份证" / f"{a.id_number}-正.jpeg").write_bytes(jpeg(640, 404))
    (folder / "身份证" / f"{a.id_number}－反.JPG").write_bytes(jpeg(640, 404))  # a full-width hyphen
    report = check(folder)
    assert report.problems == []


def test_office_clutter_is_ignored(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    (folder / "Thumbs.db").write_bytes(b"\x00" * 100)
    (folder / "~$制卡明细表.xlsx").write_bytes(b"lock")
    (folder / "说明.txt").write_text("给窗口的说明")
    assert check(folder).problems == []


def test_phone_numbers_as_people_write_them(tmp_path):
    people = [adult(1, phone="023-40250850"), adult(2, phone="(023)40250850"), adult(3, phone="+86 138 0013 8000"),
              adult(4, phone="02340250850")]
    assert check(build_package(tmp_path / "pkg", people)).problems == []


def test_a_replacement_sheet_is_recognised_by_its_columns(tmp_path):
    report = check(build_package(tmp_path / "pkg", [adult(1)], kind=BatchKind.REPLACE, title=None))
    assert report.kind is BatchKind.REPLACE and report.problems == []


def test_a_replacement_title_without_its_columns_names_the_missing_columns(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)], title="某公司补换卡明细表")
    report = check(folder)
    assert found(report) == [(None, "missing_column")] and not report.readable
    assert "补换原因" in report.problems[0].message.zh


def test_an_old_xls_saved_under_an_xlsx_name(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)], fmt="xls")
    (folder / "制卡明细表.xls").rename(folder / "制卡明细表.xlsx")
    assert check(folder).problems == []


def test_a_password_protected_workbook_cannot_be_read(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)])
    # An encrypted .xlsx is an OLE compound file holding the encrypted package, not a zip.
    (folder / "制卡明细表.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000)
    report = check(folder)
    assert found(report) == [(None, "sheet_unreadable")] and not report.readable


def test_a_replacement_sheet_brought_for_new_cards(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)], kind=BatchKind.REPLACE)
    report = check(folder, kind=BatchKind.NEW)
    assert found(report) == [(None, "kind_mismatch")] and not report.readable
    assert "补换卡明细表" in report.problems[0].message.zh


def test_a_sheet_that_does_not_say_which_it_is_takes_the_chosen_kind(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1)], title=None)
    assert check(folder, kind=BatchKind.NEW).all_passed
