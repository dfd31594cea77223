"""The details sheet's rows, streamed from `.xlsx`, old `.xls` or `.csv` bytes.

Every reader yields the same thing: `SheetRow`s with the row number Excel shows, the cells by
column number, whether the row is hidden and which cells are formulas, so the checks never
care which program wrote the file. Nothing here knows what the columns mean.

- `.xlsx`: kiosk/batch/xlsx.py streams the worksheet's XML through expat, so a sheet of
  100,000 formatted empty rows costs time, not memory (its docstring says why not openpyxl's
  read-only mode). The workbook's own zip is checked for size and macros (`vbaProject.bin`)
  first.
- `.xls`: xlrd with formatting (hidden rows). xlrd does not keep formulas, only their
  results, so a formula in an `.xls` cannot be flagged (docs/batch-package.md says so).
- `.csv`: UTF-8 (with or without BOM), else GB 18030, which covers the GBK a Chinese
  Excel writes. A CSV has no hidden rows and no formulas.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Iterator, NamedTuple

INSTRUCTIONS_SHEET = "填表说明"  # the template's instructions worksheet: never a second sheet


class SheetFormat(StrEnum):
    XLSX = "xlsx"
    XLSM = "xlsm"
    XLS = "xls"
    CSV = "csv"

    @classmethod
    def of(cls, name: str) -> "SheetFormat | None":
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        return {"xlsx": cls.XLSX, "xlsm": cls.XLSM, "xltm": cls.XLSM, "xls": cls.XLS, "csv": cls.CSV}.get(suffix)


class Cell(NamedTuple):
    """One cell (a tuple: a sheet has thousands and a frozen dataclass is slow to build)."""

    value: object  # str, int, float, datetime, bool or None
    formula: bool = False


@dataclass(frozen=True)
class SheetRow:
    number: int  # as Excel shows it, from 1
    cells: dict[int, Cell]  # column number (from 1) -> cell; empty cells left out
    hidden: bool = False

    def value(self, column: int) -> object:
        cell = self.cells.get(column)
        return None if cell is None else cell.value

    @property
    def empty(self) -> bool:
        return all(_blank(c.value) for c in self.cells.values())


@dataclass
class SheetReading:
    """A sheet being read: `rows` is a generator, the rest is known before the first row."""

    format: SheetFormat
    sheet_name: str | None
    other_sheets: list[str] = field(default_factory=list)  # non-empty sheets besides the one read
    rows: Iterator[SheetRow] = field(default_factory=lambda: iter(()))


class SheetFault(StrEnum):
    """Why a sheet cannot be read."""

    UNREADABLE = "unreadable"  # damaged, encrypted, not a sheet at all
    TOO_LARGE = "too_large"
    MACROS = "macros"


class SheetError(Exception):
    """The sheet cannot be read: `.kind` says why, `.detail` is for technicians (no content)."""

    def __init__(self, kind: SheetFault, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(f"{kind}: {detail}")


def read_sheet(data: bytes, name: str, *, max_unpacked: int = 64 * 1024 * 1024, max_rows: int = 1_048_576) -> SheetReading:
    """The rows of the sheet file `name` whose bytes are `data`; SheetError if it cannot be read."""
    fmt = SheetFormat.of(name)
    if fmt is SheetFormat.XLSM:
        raise SheetError(SheetFault.MACROS, "macro-enabled workbook")
    if fmt in (SheetFormat.XLSX, SheetFormat.XLS):
        fmt = _sniff(data, fmt)  # an old workbook saved under .xlsx, or the other way round
    if fmt is SheetFormat.XLSX:
        return _read_xlsx(data, max_unpacked, max_rows)
    if fmt is SheetFormat.XLS:
        return _read_xls(data, max_rows)
    if fmt is SheetFormat.CSV:
        return _read_csv(data, max_rows)
    raise SheetError(SheetFault.UNREADABLE, f"not a sheet file: {name.rsplit('.', 1)[-1]}")


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003, and a password-protected .xlsx


def _sniff(data: bytes, named: SheetFormat) -> SheetFormat:
    """What the bytes are, whatever the name says: a zip is .xlsx, an OLE file is .xls (a
    password-protected .xlsx is an OLE file too, and xlrd then says it cannot read it)."""
    if data.startswith(ZIP_MAGIC):
        return SheetFormat.XLSX
    if data.startswith(OLE_MAGIC):
        return SheetFormat.XLS
    return named


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- .xlsx ---------------------------------------------------------------------------------

def _read_xlsx(data: bytes, max_unpacked: int, max_rows: int) -> SheetReading:
    from kiosk.batch.xlsx import Workbook

    _check_workbook_zip(data, max_unpacked)
    try:
        book = Workbook(data)
        sheets = [(name, member) for name, member in book.sheets if name != INSTRUCTIONS_SHEET]
        if not sheets:
            raise SheetError(SheetFault.UNREADABLE, "the workbook has no worksheet")
        (first, member), rest = sheets[0], sheets[1:]
        others = [name for name, other in rest if _has_content(book.rows(other, HAS_CONTENT_ROWS))]
    except SheetError:
        raise
    except Exception as exc:  # a damaged workbook part: unreadable, whatever the parser tripped on
        raise SheetError(SheetFault.UNREADABLE, type(exc).__name__) from None

    def rows() -> Iterator[SheetRow]:
        try:
            yield from book.rows(member, max_rows)
        except SheetError:
            raise
        except Exception as exc:  # anything else a damaged worksheet provokes: the sheet is unreadable
            raise SheetError(SheetFault.UNREADABLE, type(exc).__name__) from None
        finally:
            book.close()

    return SheetReading(SheetFormat.XLSX, first, others, rows())


def _check_workbook_zip(data: bytes, max_unpacked: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        raise SheetError(SheetFault.UNREADABLE, "not an .xlsx workbook") from None
    if any(i.flag_bits & 0x1 for i in infos):
        raise SheetError(SheetFault.UNREADABLE, "the workbook is password-protected")
    if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
        raise SheetError(SheetFault.MACROS, "the workbook carries macros")
    total = sum(i.file_size for i in infos)
    if total > max_unpacked:
        raise SheetError(SheetFault.TOO_LARGE, f"{total // (1024 * 1024)} MB unpacked")


HAS_CONTENT_ROWS = 200  # a second worksheet is looked at this far for anything written in it


def _has_content(rows: Iterator[SheetRow]) -> bool:
    """Whether a worksheet holds anything (Excel's default empty Sheet2/Sheet3 do not)."""
    return any(not row.empty for row in rows)


# --- .xls ----------------------------------------------------------------------------------

def _read_xls(data: bytes, max_rows: int) -> SheetReading:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises XLRDError, CompDocError, struct errors …
        raise SheetError(SheetFault.UNREADABLE, type(exc).__name__) from None
    names = [n for n in book.sheet_names() if n != INSTRUCTIONS_SHEET]
    if not names:
        raise SheetError(SheetFault.UNREADABLE, "the workbook has no worksheet")
    try:
        sheets = [book.sheet_by_name(n) for n in names]
    except Exception as exc:
        raise SheetError(SheetFault.UNREADABLE, type(exc).__name__) from None
    first = sheets[0]
    others = [s.name for s in sheets[1:] if any(not _blank(v) for r in range(min(s.nrows, HAS_CONTENT_ROWS)) for v in s.row_values(r))]

    def rows() -> Iterator[SheetRow]:
        for r in range(min(first.nrows, max_rows)):
            info = first.rowinfo_map.get(r)
            hidden = bool(info and info.hidden)
            cells = {}
            for c, cell in enumerate(first.row(r), start=1):
                value = _xls_value(cell, book.datemode)
                if not _blank(value):
                    cells[c] = Cell(value)
            if cells or hidden:
                yield SheetRow(r + 1, cells, hidden)

    return SheetReading(SheetFormat.XLS, first.name, others, rows())


def _xls_value(cell: object, datemode: int) -> object:
    import xlrd

    ctype, value = cell.ctype, cell.value  # type: ignore[attr-defined]
    if ctype == xlrd.XL_CELL_NUMBER:
        return int(value) if float(value).is_integer() and abs(value) < 2**53 else value
    if ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(value, datemode)
        except Exception:
            return value
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#ERR")
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return value


# --- .csv ----------------------------------------------------------------------------------

def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), else GB 18030; the encoding a Chinese Excel's "CSV" uses."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise SheetError(SheetFault.UNREADABLE, "the text is neither UTF-8 nor GBK") from None


def _read_csv(data: bytes, max_rows: int) -> SheetReading:
    text = decode_text(data)
    if "\x00" in text:
        raise SheetError(SheetFault.UNREADABLE, "binary content in a .csv")

    def rows() -> Iterator[SheetRow]:
        reader = csv.reader(io.StringIO(text, newline=""))
        try:
            for number, values in enumerate(reader, start=1):
                if number > max_rows:
                    break
                cells = {c: Cell(v) for c, v in enumerate(values, start=1) if not _blank(v)}
                if cells:
                    yield SheetRow(number, cells)
        except csv.Error as exc:
            raise SheetError(SheetFault.UNREADABLE, f"csv: {exc}") from None

    return SheetReading(SheetFormat.CSV, None, [], rows())


def cell_text(value: object) -> str:
    """A cell's value as the clerk typed it, for messages and the marked copy."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
