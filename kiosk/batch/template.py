"""The standard details sheet an employer fills in (seed 003 1.2.1: 标准模板可从办理窗口获取).

One worksheet for the people, with the title row the checker reads the employer from, the
header in the seed's words, numbered empty rows with the ID number column formatted as text
(so Excel keeps all 18 characters), and a second worksheet, 填表说明, with the rules and the
image naming rule of the region. The checker skips that worksheet by its name.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.batch.columns import Column
from kiosk.batch.kinds import BatchKind
from kiosk.batch.sheet import INSTRUCTIONS_SHEET
from kiosk.domain.policy import ImageKind, RegionPolicy

TEMPLATE_ROWS = 200
NEW_COLUMNS = (
    Column.SEQUENCE, Column.NAME, Column.ID_NUMBER, Column.NATION, Column.VALIDITY,
    Column.PHONE, Column.BANK, Column.ADDRESS,
)
REPLACE_COLUMNS = NEW_COLUMNS + (Column.REASON, Column.PHOTO_CHANGE)
_WIDTHS = {Column.SEQUENCE: 6, Column.NAME: 12, Column.ID_NUMBER: 22, Column.NATION: 8, Column.VALIDITY: 26,
           Column.PHONE: 16, Column.BANK: 18, Column.ADDRESS: 40, Column.REASON: 14, Column.PHOTO_CHANGE: 14}


def columns_of(kind: BatchKind) -> tuple[Column, ...]:
    return REPLACE_COLUMNS if kind is BatchKind.REPLACE else NEW_COLUMNS


def instructions(kind: BatchKind, policy: RegionPolicy) -> list[str]:
    """The rules as the instructions sheet states them, one paragraph a line."""
    rules = policy.batch
    if rules is None:
        raise ValueError(f"region {policy.code} has no [batch] rules")
    example = "500115198001010012"

    def name(image: ImageKind) -> str:
        return rules.image_name(image, "身份证号码")

    lines = [
        f"《{kind.sheet_title.zh}》填表说明",
        f"1. 第一行写单位名称和统一社会信用代码（18位），例如：某某有限公司社保卡{kind.sheet_title.zh}（统一社会信用代码：9150……）。",
        "2. 每人填一行，从表头下面一行开始。不要合并单元格，不要隐藏行，不要用公式，只用这一个工作表。",
        f"3. 身份证号码：填18位号码，最后一位是X的写大写X。这一列已设为“文本”格式，请不要改成数字，否则后几位会变成0。例如 {example}。",
        "4. 民族：按身份证填写，写“汉”或“汉族”都可以。",
        "5. 证件有效期：按身份证背面填写，例如 2015.03.01-2035.03.01；长期有效的写 2015.03.01-长期。",
        "6. 电话号码：11位手机号，或带区号的座机号（例如 023-40250850）。",
        "7. 办卡银行：从以下合作银行中选一家：" + "、".join(b.name.zh for b in policy.banks) + "。",
        "8. 常住地址：写到门牌号。",
    ]
    if kind is BatchKind.REPLACE:
        lines += [
            "9. 补换原因：填 遗失、损坏、过期 或 换发（换第三代卡）。",
            "10. 是否更换照片：填 是 或 否。填“是”的要提供照片。",
        ]
    lines += [
        "",
        "图片命名规则（图片都用JPG格式）：",
        f"· 身份证正反面分开的：{name(ImageKind.ID_FRONT)} 和 {name(ImageKind.ID_BACK)}；正反面在一张图上的：{name(ImageKind.ID_BOTH)}。",
        f"· 照片：{name(ImageKind.PHOTO)}，1寸白底免冠照片，{rules.photo_width_px}×{rules.photo_height_px}像素。"
        + ("" if kind is BatchKind.NEW else "只有“是否更换照片”填“是”的人需要。"),
        f"· 未满16周岁的：照片可以不提供；提供户口本本人页 {name(ImageKind.HOUSEHOLD_OWN)}，"
        f"有增减页的再提供 {name(ImageKind.HOUSEHOLD_CHANGE)}（有身份证的也可以提供身份证正反面）。",
        f"· 文件名里的身份证号码就是这个人在表里的号码，例如 {rules.image_name(ImageKind.ID_FRONT, example)}。",
        "",
        "明细表和所有图片放在一个文件夹里（可以分子文件夹），可以直接拷到U盘，也可以压缩成一个.zip文件（不要设密码）。",
        "U盘里只放一份明细表。自助机检查后会把标出问题的副本（文件名带“-问题标注”）写回U盘，改好后再来提交。",
    ]
    return lines


def write_template(path: Path, kind: BatchKind, policy: RegionPolicy, rows: int = TEMPLATE_ROWS) -> Path:
    """The template at `path` (.xlsx); an existing file is not overwritten (FileExistsError)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "明细表"
    columns = columns_of(kind)
    sheet.append([f"（单位名称）社保卡{kind.sheet_title.zh}（统一社会信用代码：                  ）"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([c.title for c in columns])
    for i, column in enumerate(columns, start=1):
        sheet.cell(2, i).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(i)].width = _WIDTHS[column]
    id_col = columns.index(Column.ID_NUMBER) + 1
    phone_col = columns.index(Column.PHONE) + 1
    for n in range(1, rows + 1):
        sheet.cell(2 + n, 1, n)
        sheet.cell(2 + n, id_col).number_format = "@"
        sheet.cell(2 + n, phone_col).number_format = "@"
    sheet.freeze_panes = "A3"

    notes = book.create_sheet(INSTRUCTIONS_SHEET)
    notes.column_dimensions["A"].width = 120
    for line in instructions(kind, policy):
        notes.append([line])
        notes.cell(notes.max_row, 1).alignment = Alignment(wrap_text=True)
    notes["A1"].font = Font(bold=True, size=14)

    path = Path(path)
    with open(path, "xb") as f:
        book.save(f)
    return path
