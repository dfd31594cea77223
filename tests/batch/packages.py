"""Batch packages as an HR clerk's office PC makes them, for tests and the bench.

A `Person` is one row of the details sheet with its images; `build_package` writes the sheet
(`.xlsx` with openpyxl, `.xls` with xlwt, `.csv` in UTF-8 or GBK) and the images into a
folder; `zip_like_windows` packs a folder the way Windows' built-in compressor does: member
names in GBK without the UTF-8 flag. Tests plant one mistake at a time by changing a Person
or a file, and assert the checker finds exactly that.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from kiosk.batch.kinds import BatchKind
from kiosk.domain.employer import uscc_check_character
from kiosk.domain.identity import gb11643_check_character

TODAY = date(2026, 12, 3)
EMPLOYER = "重庆长寿示例制造有限公司"
CREDIT_CODE_BODY = "91500115MA5U7N4X2"  # made up
CREDIT_CODE = CREDIT_CODE_BODY + uscc_check_character(CREDIT_CODE_BODY)

NEW_HEADER = ["序号", "姓名", "身份证号码", "民族", "证件有效期起止时间", "电话号码", "办卡银行", "常住地址"]
REPLACE_HEADER = NEW_HEADER + ["补换原因", "是否更换照片"]


def id_number(birth: date, sequence: int, region: str = "500115") -> str:
    body = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return body + gb11643_check_character(body)


@lru_cache(maxsize=None)
def jpeg(width: int, height: int, quality: int = 60, shade: int = 200) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (shade, shade, 255)).save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


PHOTO = (358, 441)
ID_SCAN = (640, 404)


@dataclass
class Person:
    id_number: str
    name: str = "张三"
    nation: str = "汉族"
    validity: str = "2020.01.01-2040.01.01"
    phone: str = "13800138000"
    bank: str = "工商银行"
    address: str = "重庆市长寿区凤城街道桃源大道1号"
    reason: str = "换发第三代卡"
    photo_change: str = "是"
    images: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes

    def row(self, kind: BatchKind, number: int) -> list[object]:
        values: list[object] = [number, self.name, self.id_number, self.nation, self.validity, self.phone, self.bank, self.address]
        if kind is BatchKind.REPLACE:
            values += [self.reason, self.photo_change]
        return values


def adult(n: int, **changes: object) -> Person:
    """The n-th adult (born 1980 + n % 30), with a photo and both ID card sides."""
    number = id_number(date(1980 + n % 30, 1 + n % 12, 1 + n % 28), 10 + n)
    person = Person(number, name=f"职工{n}")
    person.images = {
        f"{number}.jpg": jpeg(*PHOTO),
        f"{number}-正.jpg": jpeg(*ID_SCAN),
        f"{number}-反.jpg": jpeg(*ID_SCAN, shade=180),
    }
    return replace(person, **changes) if changes else person


def minor(n: int, **changes: object) -> Person:
    """The n-th child under 16: no photo, the household register's own page."""
    number = id_number(date(2015, 1 + n % 12, 1 + n % 28), 20 + n)
    person = Person(number, name=f"子女{n}", validity="2024.01.01-2029.01.01")
    person.images = {f"{number}-户口.jpg": jpeg(*ID_SCAN)}
    return replace(person, **changes) if changes else person


def title_text(kind: BatchKind) -> str:
    return f"{EMPLOYER}社保卡{kind.sheet_title.zh}（统一社会信用代码：{CREDIT_CODE}）"


def build_package(
    folder: Path,
    people: list[Person],
    *,
    kind: BatchKind = BatchKind.NEW,
    fmt: str = "xlsx",
    encoding: str = "utf-8",
    title: str | None = "",
    header: list[str] | None = None,
    empty_numbered_rows: int = 3,
) -> Path:
    """A package folder: the sheet `明细表.<fmt>` and every person's images."""
    folder.mkdir(parents=True, exist_ok=True)
    header = header or (REPLACE_HEADER if kind is BatchKind.REPLACE else NEW_HEADER)
    rows: list[list[object]] = []
    if title is not None:
        rows.append([title or title_text(kind)])
    rows.append(header)
    rows += [p.row(kind, i) for i, p in enumerate(people, start=1)]
    rows += [[len(people) + i] for i in range(1, empty_numbered_rows + 1)]
    sheet = folder / f"{kind.sheet_title.zh}.{fmt.rpartition('.')[2]}"
    write_sheet(sheet, rows, fmt=fmt, encoding=encoding)
    for person in people:
        for name, data in person.images.items():
            (folder / name).write_bytes(data)
    return folder


def write_sheet(path: Path, rows: list[list[object]], *, fmt: str = "xlsx", encoding: str = "utf-8") -> Path:
    """The sheet in `fmt`: "xlsx" as Excel writes it (shared strings), "openpyxl.xlsx" as
    openpyxl writes it (inline strings), "xls" (xlwt), "csv"."""
    if fmt == "xlsx":
        path.write_bytes(excel_like_xlsx(rows))
    elif fmt == "openpyxl.xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "Sheet1"
        for row in rows:
            ws.append(row)
        book.save(path)
    elif fmt == "xls":
        import xlwt

        book = xlwt.Workbook(encoding="utf-8")
        ws = book.add_sheet("Sheet1")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write(r, c, value)
        book.save(str(path))
    elif fmt == "csv":
        with open(path, "w", encoding=encoding, newline="") as f:
            csv.writer(f).writerows(rows)
    else:
        raise ValueError(fmt)
    return path


class _WindowsName(zipfile.ZipInfo):
    """A member whose name is stored in GBK without the UTF-8 flag, as Windows' compressor does."""

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's own hook
        return self.filename.encode("gbk"), self.flag_bits & ~0x800


def zip_like_windows(folder: Path, target: Path, *, top: str | None = None, extra: tuple = ()) -> Path:
    """`folder` packed into `target` with GBK names; under a top folder `top` if given; `extra`
    members (ZipInfo or name, bytes) after them. (Appending with zipfile's "a" mode would
    rewrite the GBK names as UTF-8.)"""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in extra:
            z.writestr(info, data)
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                name = path.relative_to(folder).as_posix()
                info = _WindowsName(f"{top}/{name}" if top else name, date_time=(2026, 12, 1, 9, 30, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, path.read_bytes())
    return target


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"


def excel_like_xlsx(rows: list[list[object]], *, phonetic: bool = True) -> bytes:
    """An .xlsx the way Excel writes one: text in xl/sharedStrings.xml (the first one as rich
    text runs with a phonetic guide, which is not part of the value), dates as serial numbers
    with a date style (numFmtId 14), numbers as <v>. openpyxl writes inline strings instead,
    so the shared-strings path needs a writer of its own."""
    from datetime import datetime as _dt
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            ref = f"{get_column_letter(c)}{r}"
            if value is None or value == "":
                continue
            if isinstance(value, (_dt, date)):
                cells.append(f'<c r="{ref}" s="1"><v>{to_excel(value)}</v></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    items = []
    for i, text in enumerate(strings):
        if i == 0 and phonetic and len(text) > 2:  # rich text runs + a phonetic guide, as Excel keeps them
            items.append(f'<si><r><t>{escape(text[:2])}</t></r><r><rPr><b/></rPr><t xml:space="preserve">{escape(text[2:])}</t></r>'
                         f'<rPh sb="0" eb="1"><t>ピン</t></rPh><phoneticPr fontId="1"/></si>')
        else:
            items.append(f"<si><t>{escape(text)}</t></si>")
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{_PR}"><Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_R}"><workbookPr/><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PR}">'
        f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{_R}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": f'<styleSheet xmlns="{_MAIN}"><fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{_MAIN}" count="{len(items)}" uniqueCount="{len(items)}">{"".join(items)}</sst>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{_MAIN}" xmlns:r="{_R}"><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, _XML + xml)
    return buffer.getvalue()
