"""One planted mistake per test: the checker reports exactly that one, at the row Excel shows
and the column the sheet heads it with, in plain Chinese; everyone else still passes."""

from datetime import date

from kiosk.batch import BatchKind, ProblemCode
from tests.batch.checking import check, found
from tests.batch.packages import adult, build_package, id_number, jpeg, minor

ROW = 4  # the second person: title row 1, header row 2, first person row 3


def only(report, code, column=None, row=ROW):
    assert found(report) == [(row, str(code))]
    problem = report.problems[0]
    if column is not None:
        assert problem.column == column
    assert problem.message.zh and problem.message.en
    assert [p.passed for p in report.people] == [p.row != row for p in report.people]
    assert report.readable and report.ok == report.rows - 1
    return problem


def package(tmp_path, second, *, kind=BatchKind.NEW, fmt="xlsx", others=(adult(1), adult(3))):
    people = [others[0], second, others[1]]
    return check(build_package(tmp_path / "pkg", people, kind=kind, fmt=fmt))


def test_wrong_check_character_in_the_id_number(tmp_path):
    person = adult(2)
    bad = person.id_number[:17] + ("0" if person.id_number[17] != "0" else "1")
    person.id_number = bad
    person.images = {}
    problem = only(package(tmp_path, person), ProblemCode.ID_INVALID, "身份证号码")
    assert problem.cell == f"C{ROW}"
    assert bad not in problem.message.zh


def test_a_typo_in_the_sheet_leaves_that_persons_images_unmatched(tmp_path):
    person = adult(2)
    right = person.id_number
    person.id_number = right[:17] + ("0" if right[17] != "0" else "1")
    report = package(tmp_path, person)
    assert found(report) == [(None, "unmatched_image")] * 3 + [(ROW, "id_invalid")]
    assert {p.file for p in report.problems if p.row is None} == {f"{right}.jpg", f"{right}-正.jpg", f"{right}-反.jpg"}


def test_impossible_birth_date_in_the_id_number(tmp_path):
    body = "50011519801332001"
    from kiosk.domain.identity import gb11643_check_character

    person = adult(2, id_number=body + gb11643_check_character(body), images={})
    only(package(tmp_path, person), ProblemCode.ID_INVALID, "身份证号码")


def test_missing_id_number(tmp_path):
    only(package(tmp_path, adult(2, id_number="", images={})), ProblemCode.ID_MISSING, "身份证号码")


def test_duplicate_id_number_names_the_first_row(tmp_path):
    first = adult(1)
    twin = adult(2, id_number=first.id_number)
    twin.images = {}
    problem = only(package(tmp_path, twin), ProblemCode.ID_DUPLICATE, "身份证号码")
    assert "第3行" in problem.message.zh


def test_missing_name(tmp_path):
    only(package(tmp_path, adult(2, name="  ")), ProblemCode.NAME_MISSING, "姓名")


def test_unknown_nation(tmp_path):
    only(package(tmp_path, adult(2, nation="火星族")), ProblemCode.NATION_UNKNOWN, "民族")


def test_expired_id_card(tmp_path):
    only(package(tmp_path, adult(2, validity="2006.01.01-2026.01.01")), ProblemCode.VALIDITY_EXPIRED, "证件有效期起止时间")


def test_validity_that_cannot_be_read(tmp_path):
    only(package(tmp_path, adult(2, validity="十年")), ProblemCode.VALIDITY_INVALID, "证件有效期起止时间")


def test_validity_ending_before_it_starts(tmp_path):
    only(package(tmp_path, adult(2, validity="2030.01.01-2020.01.01")), ProblemCode.VALIDITY_INVALID)


def test_missing_validity(tmp_path):
    only(package(tmp_path, adult(2, validity="")), ProblemCode.VALIDITY_MISSING)


def test_phone_with_ten_digits(tmp_path):
    only(package(tmp_path, adult(2, phone="1380013800")), ProblemCode.PHONE_INVALID, "电话号码")


def test_landline_without_area_code(tmp_path):
    only(package(tmp_path, adult(2, phone="40250850")), ProblemCode.PHONE_INVALID, "电话号码")


def test_bank_that_is_not_a_partner(tmp_path):
    problem = only(package(tmp_path, adult(2, bank="花旗银行")), ProblemCode.BANK_UNKNOWN, "办卡银行")
    assert "工商银行" in problem.message.zh  # the message lists what can be chosen


def test_missing_address(tmp_path):
    only(package(tmp_path, adult(2, address="")), ProblemCode.ADDRESS_MISSING, "常住地址")


def test_replacement_reason_not_understood(tmp_path):
    only(package(tmp_path, adult(2, reason="想换"), kind=BatchKind.REPLACE), ProblemCode.REASON_UNKNOWN, "补换原因")


def test_photo_change_neither_yes_nor_no(tmp_path):
    only(package(tmp_path, adult(2, photo_change="也许"), kind=BatchKind.REPLACE), ProblemCode.PHOTO_CHANGE_UNCLEAR, "是否更换照片")


def test_several_mistakes_in_one_row_are_all_reported(tmp_path):
    report = package(tmp_path, adult(2, nation="", phone="123", bank="某银行"))
    assert found(report) == [(ROW, "nation_unknown"), (ROW, "phone_invalid"), (ROW, "bank_unknown")]


def test_mistakes_in_different_rows_are_all_reported(tmp_path):
    people = [adult(1, phone="1"), adult(2), adult(3, address="")]
    report = check(build_package(tmp_path / "pkg", people))
    assert found(report) == [(3, "phone_invalid"), (5, "address_missing")]
    assert report.ok == 1


# --- a person's files -------------------------------------------------------------------------

def test_adult_without_photo(tmp_path):
    person = adult(2)
    del person.images[f"{person.id_number}.jpg"]
    only(package(tmp_path, person), ProblemCode.PHOTO_MISSING)


def test_adult_with_only_the_front_of_the_id_card(tmp_path):
    person = adult(2)
    del person.images[f"{person.id_number}-反.jpg"]
    problem = only(package(tmp_path, person), ProblemCode.ID_SCAN_MISSING)
    assert "反面" in problem.message.zh and "back" in problem.message.en


def test_both_sides_in_one_image_is_enough(tmp_path):
    person = adult(2)
    person.images = {f"{person.id_number}.jpg": jpeg(358, 441), f"{person.id_number}-全.jpg": jpeg(640, 808)}
    report = package(tmp_path, person)
    assert report.problems == [] and report.all_passed


def test_minor_without_household_register_page(tmp_path):
    only(package(tmp_path, minor(2, images={})), ProblemCode.HOUSEHOLD_PAGE_MISSING)


def test_minor_with_id_card_sides_instead_of_the_register_passes(tmp_path):
    child = minor(2)
    child.images = {f"{child.id_number}-正.jpg": jpeg(640, 404), f"{child.id_number}-反.jpg": jpeg(640, 404)}
    assert package(tmp_path, child).all_passed


def test_photo_of_the_wrong_size(tmp_path):
    person = adult(2)
    person.images[f"{person.id_number}.jpg"] = jpeg(300, 400)
    problem = only(package(tmp_path, person), ProblemCode.PHOTO_SIZE)
    assert "300×400" in problem.message.zh and "358×441" in problem.message.zh


def test_png_named_as_the_rule_says_but_png(tmp_path):
    person = adult(2)
    del person.images[f"{person.id_number}-正.jpg"]
    person.images[f"{person.id_number}-正.png"] = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    report = package(tmp_path, person)
    assert found(report) == [(ROW, "image_not_jpeg")]  # the image is there, just wrong: one problem


def test_jpg_name_holding_something_else(tmp_path):
    person = adult(2)
    person.images[f"{person.id_number}-反.jpg"] = b"%PDF-1.4 not a picture"
    report = package(tmp_path, person)
    assert found(report) == [(ROW, "image_not_jpeg")]  # the image is there, just wrong: one problem


def test_jpeg_cut_short_by_an_interrupted_copy(tmp_path):
    person = adult(2)
    person.images[f"{person.id_number}-正.jpg"] = jpeg(640, 404)[:-200]
    report = package(tmp_path, person)
    assert found(report) == [(ROW, "image_damaged")]


def test_replacement_without_photo_change_needs_no_photo(tmp_path):
    person = adult(2, photo_change="否")
    del person.images[f"{person.id_number}.jpg"]
    assert package(tmp_path, person, kind=BatchKind.REPLACE).all_passed


def test_replacement_with_photo_change_needs_the_photo(tmp_path):
    person = adult(2, photo_change="是")
    del person.images[f"{person.id_number}.jpg"]
    only(package(tmp_path, person, kind=BatchKind.REPLACE), ProblemCode.PHOTO_MISSING)


def test_a_row_with_a_wrong_id_number_gets_no_file_complaints(tmp_path):
    person = adult(2, id_number=id_number(date(1990, 1, 1), 5)[:17] + "Z")
    person.images = {}
    only(package(tmp_path, person), ProblemCode.ID_INVALID)
