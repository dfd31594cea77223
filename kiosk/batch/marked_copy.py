"""The clerk's copy of the sheet with what to fix: a problems column and the bad cells coloured.

Written as a new `.xlsx` beside the package (the package itself is never changed, and an
existing file is never overwritten). An `.xlsx` sheet keeps its own formatting; an `.xls` or
`.csv` sheet is copied cell by cell into a plain workbook. The copy's name ends in
`MARK_SUFFIX`, which the checker skips, so a copy left inside the package folder is not
taken for a second sheet.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path, PurePosixPath

from kiosk.batch.problems import BatchProblem
from kiosk.batch.report import PackageReport
from kiosk.batch.sheet import INSTRUCTIONS_SHEET, SheetFormat, read_sheet
from kiosk.batch.source import open_source

MARK_SUFFIX = "-问题标注"
PROBLEMS_HEADER = "问题（改好后删除本列）"
BAD_FILL = "FFC7CE"  # Excel's own "bad" red
BAD_FONT = "9C0006"


class NothingToMark(ValueError):
    """The report has no sheet to copy (the package could not be read that far)."""


def write_marked_copy(report: PackageReport, destination_dir: Path) -> Path:
    """A new `.xlsx` in `destination_dir`: the sheet, a problems column, bad cells in red."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    if not report.sheet_name or report.header_row is None:
        raise NothingToMark("the package was not read as far as its header row")
    with open_source(report.source, report.limits) as package:
        member = next((m for m in package.members if m.name == report.sheet_name), None)
        if member is None:
            raise NothingToMark("the sheet is no longer in the package")
        data = package.read(member, report.limits.max_sheet_bytes)
    book = _workbook(data, report.sheet_name)
    sheet = next(ws for ws in book.worksheets if ws.title != INSTRUCTIONS_SHEET)

    by_row: dict[int, list[BatchProblem]] = defaultdict(list)
    for found in report.problems:
        if found.row is not None:
            by_row[found.row].append(found)
    column = max(sheet.max_column or 1, max(report.columns.values(), default=1)) + 1
    fill = PatternFill("solid", start_color=BAD_FILL, end_color=BAD_FILL)
    font = Font(color=BAD_FONT)

    head = sheet.cell(report.header_row, column, PROBLEMS_HEADER)
    head.font = Font(bold=True, color=BAD_FONT)
    package_level = [p.message.zh for p in report.package_problems()]
    if package_level:
        head.comment = Comment("\n".join(package_level), "自助机 kiosk")
    for row, problems in sorted(by_row.items()):
        text = "；".join(dict.fromkeys(p.message.zh for p in problems))
        cell = sheet.cell(row, column, text)
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for found in problems:
            if found.cell:
                bad = sheet[found.cell]
                bad.fill = fill
                bad.font = font
    sheet.column_dimensions[_letter(column)].width = 60

    destination_dir = Path(destination_dir)
    target = _free_name(destination_dir, PurePosixPath(report.sheet_name).stem + MARK_SUFFIX)
    buffer = io.BytesIO()
    book.save(buffer)
    with open(target, "xb") as f:  # "x": never overwrite a file that is already there
        f.write(buffer.getvalue())
    return target


def is_marked_copy(member_name: str) -> bool:
    """Whether a sheet file is a copy this module wrote (`明细表-问题标注.xlsx`, `…(2).xlsx`)."""
    stem = PurePosixPath(member_name).stem
    return stem.endswith(MARK_SUFFIX) or (stem.endswith(")") and MARK_SUFFIX + "(" in stem)


def _workbook(data: bytes, name: str):
    import openpyxl

    if SheetFormat.of(name) is SheetFormat.XLSX:
        return openpyxl.load_workbook(io.BytesIO(data))
    book = openpyxl.Workbook()
    sheet = book.active
    reading = read_sheet(data, name)
    sheet.title = (reading.sheet_name or "明细表")[:31]
    for row in reading.rows:
        for column, cell in row.cells.items():
            sheet.cell(row.number, column, cell.value)
    return book


def _free_name(folder: Path, stem: str) -> Path:
    candidate = folder / f"{stem}.xlsx"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem}({n}).xlsx"
        n += 1
    return candidate


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
