"""Everything that can be wrong with an employer's batch package, in words an HR clerk fixes.

Each problem has a code (a closed set), the sheet row as Excel numbers it (None for the
package as a whole), the column as the sheet heads it, and a message in plain Chinese first,
English second. The messages name the fix, not the rule; none repeats an ID number, because
a problem list is shown, printed and written to the drive.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kiosk.i18n import Bilingual, bi


class Scope(StrEnum):
    """What a problem is about: the package stops a check, a row or a person's files do not."""

    PACKAGE = "package"
    ROW = "row"
    FILES = "files"


class ProblemCode(StrEnum):
    # the package cannot be read at all (PackageReport.readable is False)
    NOT_FOUND = "not_found"
    NOT_A_PACKAGE = "not_a_package"
    NO_SHEET = "no_sheet"
    SEVERAL_SHEET_FILES = "several_sheet_files"
    ZIP_DAMAGED = "zip_damaged"
    ZIP_ENCRYPTED = "zip_encrypted"
    ZIP_BOMB = "zip_bomb"
    TOO_MANY_FILES = "too_many_files"
    SHEET_UNREADABLE = "sheet_unreadable"
    SHEET_TOO_LARGE = "sheet_too_large"
    MACROS = "macros"
    NO_HEADER = "no_header"
    MISSING_COLUMN = "missing_column"
    KIND_MISMATCH = "kind_mismatch"  # the clerk chose one service, the sheet is the other's
    TOO_MANY_PEOPLE = "too_many_people"
    SOURCE_LOST = "source_lost"
    CANCELLED = "cancelled"
    CHECK_FAILED = "check_failed"  # a fault in the kiosk's own code: logged, never the clerk's fault
    # the package can be read; these are reported beside the people
    NO_PEOPLE = "no_people"
    UNSAFE_NAME = "unsafe_name"
    SYMLINK = "symlink"
    SECOND_SHEET = "second_sheet"
    HIDDEN_ROW = "hidden_row"
    FORMULA = "formula"
    UNMATCHED_IMAGE = "unmatched_image"
    DUPLICATE_IMAGE = "duplicate_image"
    # a row
    ID_MISSING = "id_missing"
    ID_STORED_AS_NUMBER = "id_stored_as_number"
    ID_INVALID = "id_invalid"
    ID_DUPLICATE = "id_duplicate"
    NAME_MISSING = "name_missing"
    NATION_UNKNOWN = "nation_unknown"
    VALIDITY_MISSING = "validity_missing"
    VALIDITY_INVALID = "validity_invalid"
    VALIDITY_EXPIRED = "validity_expired"
    PHONE_INVALID = "phone_invalid"
    BANK_UNKNOWN = "bank_unknown"
    ADDRESS_MISSING = "address_missing"
    REASON_UNKNOWN = "reason_unknown"
    PHOTO_CHANGE_UNCLEAR = "photo_change_unclear"
    # a person's files
    PHOTO_MISSING = "photo_missing"
    ID_SCAN_MISSING = "id_scan_missing"
    HOUSEHOLD_PAGE_MISSING = "household_page_missing"
    IMAGE_NOT_JPEG = "image_not_jpeg"
    IMAGE_DAMAGED = "image_damaged"
    IMAGE_TOO_LARGE = "image_too_large"
    PHOTO_SIZE = "photo_size"

    @property
    def stops_reading(self) -> bool:
        """Whether the package as a whole cannot be read (nobody can be checked or submitted)."""
        return self in _UNREADABLE


_UNREADABLE = frozenset(
    {
        ProblemCode.NOT_FOUND,
        ProblemCode.NOT_A_PACKAGE,
        ProblemCode.NO_SHEET,
        ProblemCode.SEVERAL_SHEET_FILES,
        ProblemCode.ZIP_DAMAGED,
        ProblemCode.ZIP_ENCRYPTED,
        ProblemCode.ZIP_BOMB,
        ProblemCode.TOO_MANY_FILES,
        ProblemCode.SHEET_UNREADABLE,
        ProblemCode.SHEET_TOO_LARGE,
        ProblemCode.MACROS,
        ProblemCode.NO_HEADER,
        ProblemCode.MISSING_COLUMN,
        ProblemCode.KIND_MISMATCH,
        ProblemCode.TOO_MANY_PEOPLE,
        ProblemCode.SOURCE_LOST,
        ProblemCode.CANCELLED,
        ProblemCode.CHECK_FAILED,
    }
)

# The message of each code; {placeholders} are filled from BatchProblem's facts (never an ID number).
MESSAGES: dict[ProblemCode, Bilingual] = {
    ProblemCode.NOT_FOUND: bi("找不到资料包，请确认U盘已插好。", "The package was not found. Please check that the USB drive is plugged in."),
    ProblemCode.NOT_A_PACKAGE: bi(
        "这不是资料包：请放一个文件夹或一个.zip压缩包，里面有明细表和图片。",
        "This is not a package: give a folder or a .zip file holding the details sheet and the images.",
    ),
    ProblemCode.NO_SHEET: bi(
        "资料包里没有明细表（.xlsx、.xls 或 .csv）。", "The package has no details sheet (.xlsx, .xls or .csv)."
    ),
    ProblemCode.SEVERAL_SHEET_FILES: bi(
        "资料包里有{count}个表格文件，只能放一个明细表：{names}。",
        "The package holds {count} sheet files; it may hold only one details sheet: {names}.",
    ),
    ProblemCode.ZIP_DAMAGED: bi(
        "压缩包已损坏，打不开。请在电脑上重新压缩。", "The .zip file is damaged. Please compress the folder again on the computer."
    ),
    ProblemCode.ZIP_ENCRYPTED: bi(
        "压缩包设了密码，自助机打不开。请压缩时不要设密码。",
        "The .zip file has a password, which the kiosk cannot open. Please compress it without a password.",
    ),
    ProblemCode.ZIP_BOMB: bi(
        "压缩包解开后太大（{detail}），不像正常的资料包，已停止读取。",
        "The .zip file unpacks to far too much ({detail}); it is not a normal package, so reading stopped.",
    ),
    ProblemCode.TOO_MANY_FILES: bi(
        "资料包里文件太多（{count}个，最多{limit}个）。请分成几批提交。",
        "The package holds too many files ({count}, at most {limit}). Please split it into several batches.",
    ),
    ProblemCode.SHEET_UNREADABLE: bi(
        "明细表打不开（文件损坏、设了密码，或不是表格）。请在电脑上用Excel打开，不设密码另存为.xlsx后再试。",
        "The details sheet cannot be opened (damaged, password-protected, or not a sheet). Open it in Excel, save it as .xlsx without a password, and try again.",
    ),
    ProblemCode.SHEET_TOO_LARGE: bi(
        "明细表文件太大（{detail}）。请删掉多余的行和格式后再试。",
        "The details sheet is too large ({detail}). Please delete the extra rows and formatting and try again.",
    ),
    ProblemCode.MACROS: bi(
        "明细表带宏（.xlsm），自助机不打开带宏的表格。请另存为普通的.xlsx。",
        "The details sheet contains macros (.xlsm), which the kiosk does not open. Please save it as a plain .xlsx.",
    ),
    ProblemCode.NO_HEADER: bi(
        "明细表里找不到表头（姓名、身份证号码等）。请使用标准模板。",
        "The details sheet has no header row (name, ID number, ...). Please use the standard template.",
    ),
    ProblemCode.MISSING_COLUMN: bi(
        "明细表缺少“{column}”列。请使用标准模板。", "The details sheet has no “{column}” column. Please use the standard template."
    ),
    ProblemCode.KIND_MISMATCH: bi(
        "这是《{sheet}》，但选择的业务要用《{chosen}》。请选对业务，或换成对应的明细表。",
        "This is a {sheet_en}, but the service chosen needs a {chosen_en}. Choose the right service, or bring the right sheet.",
    ),
    ProblemCode.NO_PEOPLE: bi("明细表里没有填人员。", "The details sheet lists nobody."),
    ProblemCode.TOO_MANY_PEOPLE: bi(
        "一批最多{limit}人，明细表里超过了。请分成几批提交。",
        "A batch holds at most {limit} people and this sheet has more. Please split it into several batches.",
    ),
    ProblemCode.SOURCE_LOST: bi(
        "读取时U盘被拔出或读不到了。资料包没有改动，请重新插好U盘再检查一次。",
        "The USB drive was removed or stopped answering while it was read. Nothing on it was changed: plug it in again and check once more.",
    ),
    ProblemCode.CANCELLED: bi("检查已取消。", "The check was cancelled."),
    ProblemCode.CHECK_FAILED: bi(
        "自助机检查资料包时出了故障，资料包没有改动。请联系工作人员，或到窗口办理。",
        "The kiosk failed while checking the package; nothing on it was changed. Please ask the staff, or go to a service window.",
    ),
    ProblemCode.UNSAFE_NAME: bi(
        "压缩包里有不安全的文件名“{file}”（指向包外），已跳过这个文件。",
        "The .zip holds an unsafe file name “{file}” (pointing outside the package); that file was skipped.",
    ),
    ProblemCode.SYMLINK: bi(
        "“{file}”是快捷方式（链接），不是文件，已跳过。请放真正的文件。",
        "“{file}” is a link, not a file, and was skipped. Please put the real file in the package.",
    ),
    ProblemCode.SECOND_SHEET: bi(
        "明细表有第二个工作表“{sheet}”，只读取了第一个“{first}”。请把人员都放在一个工作表里，删掉其他工作表。",
        "The details sheet has a second worksheet “{sheet}”; only the first, “{first}”, was read. Put everyone on one worksheet and delete the others.",
    ),
    ProblemCode.HIDDEN_ROW: bi(
        "第{row}行被隐藏了。请取消隐藏，确认这一行要不要办理。",
        "Row {row} is hidden. Please unhide it and decide whether it belongs in the batch.",
    ),
    ProblemCode.FORMULA: bi(
        "这个格子是公式，不是填写的内容。请改成直接填写的文字。",
        "This cell holds a formula, not typed content. Please type the value itself.",
    ),
    ProblemCode.UNMATCHED_IMAGE: bi(
        "图片“{file}”对不上明细表里的任何人。请检查文件名里的身份证号码。",
        "The image “{file}” matches nobody in the sheet. Please check the ID number in its name.",
    ),
    ProblemCode.DUPLICATE_IMAGE: bi(
        "同一个文件名有多个图片：“{file}”。每人每种图片只能放一张。",
        "Several images have the same name: “{file}”. Each person has one image of each kind.",
    ),
    ProblemCode.ID_MISSING: bi("没有填身份证号码。", "The ID number is missing."),
    ProblemCode.ID_STORED_AS_NUMBER: bi(
        "身份证号码被Excel存成了数字，后几位已经变了。请把这一列设成“文本”格式，再重新输入号码。",
        "Excel stored the ID number as a number and its last digits were lost. Format the column as Text and type the number again.",
    ),
    ProblemCode.ID_INVALID: bi("身份证号码不对：{reason}", "The ID number is not right: {reason_en}"),
    ProblemCode.ID_DUPLICATE: bi(
        "这个身份证号码和第{first_row}行重复了。每人只填一行。",
        "This ID number is the same as in row {first_row}. Each person has one row only.",
    ),
    ProblemCode.NAME_MISSING: bi("没有填姓名。", "The name is missing."),
    ProblemCode.NATION_UNKNOWN: bi(
        "民族填得不对。请按身份证上写的填，例如“汉”或“汉族”。",
        "The nation is not one we know. Write it as on the ID card, e.g. 汉 or 汉族.",
    ),
    ProblemCode.VALIDITY_MISSING: bi("没有填证件有效期。", "The ID card's validity period is missing."),
    ProblemCode.VALIDITY_INVALID: bi(
        "证件有效期看不懂。请按身份证背面写，例如“2015.03.01-2035.03.01”或“2015.03.01-长期”。",
        "The validity period cannot be read. Write it as on the back of the ID card, e.g. 2015.03.01-2035.03.01 or 2015.03.01-长期.",
    ),
    ProblemCode.VALIDITY_EXPIRED: bi(
        "身份证已经过期了，请先换新身份证，再按新身份证填写。",
        "The ID card has expired. Renew the ID card first, then fill in the new one's details.",
    ),
    ProblemCode.PHONE_INVALID: bi(
        "电话号码不对。请填11位手机号，或带区号的座机号（例如023-40250850）。",
        "The phone number is not right. Give an 11-digit mobile number, or a landline with its area code (e.g. 023-40250850).",
    ),
    ProblemCode.BANK_UNKNOWN: bi(
        "办卡银行不在本地的合作银行里。可以选：{banks}。",
        "The bank is not one of this region's partner banks. Choose one of: {banks}.",
    ),
    ProblemCode.ADDRESS_MISSING: bi("没有填常住地址。", "The home address is missing."),
    ProblemCode.REASON_UNKNOWN: bi(
        "补换原因请填：遗失、损坏、过期 或 换发第三代卡。",
        "The reason must be one of: 遗失 (lost), 损坏 (damaged), 过期 (expired), 换发 (3rd-generation card).",
    ),
    ProblemCode.PHOTO_CHANGE_UNCLEAR: bi(
        "“是否更换照片”请填“是”或“否”。", "“Change the photo” must be 是 (yes) or 否 (no)."
    ),
    ProblemCode.PHOTO_MISSING: bi(
        "缺少照片，文件名应为“身份证号码.jpg”。", "The photo is missing; its file name must be <ID number>.jpg."
    ),
    ProblemCode.ID_SCAN_MISSING: bi(
        "缺少身份证图片：{missing}。正反面分开的命名为“身份证号码-正.jpg”和“身份证号码-反.jpg”，在一张图上的命名为“身份证号码-全.jpg”。",
        "ID card images are missing: {missing_en}. Name separate sides <ID number>-正.jpg and <ID number>-反.jpg, or both sides in one image <ID number>-全.jpg.",
    ),
    ProblemCode.HOUSEHOLD_PAGE_MISSING: bi(
        "未满16岁：缺少户口本本人页，文件名应为“身份证号码-户口.jpg”（或者提供身份证正反面）。",
        "Under 16: the household register's own page is missing; name it <ID number>-户口.jpg (or give both sides of the ID card).",
    ),
    ProblemCode.IMAGE_NOT_JPEG: bi(
        "“{file}”不是JPG图片。请用JPG格式保存。", "“{file}” is not a JPEG image. Please save it as JPEG (.jpg)."
    ),
    ProblemCode.IMAGE_DAMAGED: bi(
        "图片“{file}”损坏或不完整，请重新扫描或拷贝。",
        "The image “{file}” is damaged or incomplete. Please scan or copy it again.",
    ),
    ProblemCode.IMAGE_TOO_LARGE: bi(
        "图片“{file}”太大（{detail}）。请缩小后再放入资料包。",
        "The image “{file}” is too large ({detail}). Please make it smaller and put it in again.",
    ),
    ProblemCode.PHOTO_SIZE: bi(
        "照片“{file}”是{width}×{height}像素，要求{want_width}×{want_height}像素（1寸白底照片）。",
        "The photo “{file}” is {width}×{height} pixels; a 1-inch photo of {want_width}×{want_height} pixels is needed.",
    ),
}


@dataclass(frozen=True)
class BatchProblem:
    """One thing to fix. `row` as Excel numbers it (None: the package), `column` as the sheet heads it."""

    code: ProblemCode
    message: Bilingual
    row: int | None = None
    column: str | None = None
    cell: str | None = None  # "C7": where the marked copy colours it
    file: str | None = None  # the member the problem is about, as the package names it

    @property
    def stops_reading(self) -> bool:
        return self.code.stops_reading

    def to_dict(self, lang: str = "zh") -> dict:
        """The --json shape: row, column, code, message (Chinese; English with lang="en")."""
        return {"row": self.row, "column": self.column, "code": str(self.code), "message": self.message.get(lang)}


def problem(code: ProblemCode, *, row: int | None = None, column: str | None = None, cell: str | None = None,
            file: str | None = None, **facts: object) -> BatchProblem:
    """A problem with its message filled from `facts` (and `file`)."""
    message = MESSAGES[code]
    if "{" in message.zh or "{" in message.en:
        message = message.format(file=file or "", row=row, column=column or "", **facts)
    return BatchProblem(code, message, row, column, cell, file)
