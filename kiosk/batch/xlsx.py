"""A streaming `.xlsx` reader for the details sheet: the values, which rows are hidden, which
cells are formulas, and nothing else.

Why not openpyxl's read-only mode: it does not say which rows are hidden, and it spends
most of a batch check's time building an object per shared string and per cell
(bench/bench_batch.py measured it at about twice the time of reading every image of a
2,000-person package). This reader feeds the worksheet's XML to expat in 64 KB pieces and
keeps only the values; openpyxl is still used for what it is good at: number formats that
are dates (`is_date_format`, `from_excel`), the marked copy and the template.

Office Open XML (ECMA-376 part 1): the package's `_rels/.rels` names the workbook, the
workbook's relationships name its worksheets, shared strings and styles; a cell's `t` is its
type (`s` shared string, `inlineStr`, `str` a formula's text, `b`, `e`, `d`, else a number);
its `s` indexes `cellXfs`, whose `numFmtId` says whether the number is a date. A document
type declaration is refused (no XML entity tricks), and expat itself limits entity expansion.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from datetime import datetime
from typing import Callable, Iterator
from xml.parsers import expat

from kiosk.batch.sheet import Cell, SheetError, SheetFault, SheetRow

CHUNK = 64 * 1024
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Built-in number formats that are dates (ECMA-376 18.8.30, and the East Asian ids 27-36, 50-58).
_BUILTIN_DATES = frozenset({*range(14, 23), *range(27, 37), *range(50, 59)})


_LOCAL_NAMES: dict[str, str] = {}  # "namespace tag" -> "tag", filled as names are met


def _local(name: str) -> str:
    local = _LOCAL_NAMES.get(name)
    if local is None:
        local = _LOCAL_NAMES.setdefault(name, name.rpartition(" ")[2]) if len(_LOCAL_NAMES) < 4096 else name.rpartition(" ")[2]
    return local


def _parse(data: bytes | Iterator[bytes], start: Callable, end: Callable | None = None, text: Callable | None = None) -> None:
    """Run expat over `data` (bytes, or pieces of it) with namespace-qualified names."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
        parser.buffer_text = True

    def refuse_doctype(*_args: object) -> None:
        raise SheetError(SheetFault.UNREADABLE, "a document type declaration in the workbook's XML")

    parser.StartDoctypeDeclHandler = refuse_doctype
    try:
        if isinstance(data, bytes):
            parser.Parse(data, True)
        else:
            for piece in data:
                parser.Parse(piece, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SheetError(SheetFault.UNREADABLE, f"XML: {expat.errors.messages.get(exc.code, exc.code)}") from None


class Workbook:
    """An `.xlsx` opened for streaming: its worksheets by name, in the workbook's order."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
            raise SheetError(SheetFault.UNREADABLE, "not an .xlsx workbook") from None
        self._names = set(self._zip.namelist())
        book = self._target(self._relations("_rels/.rels", ""), "/officeDocument") or "xl/workbook.xml"
        rels = self._relations(posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels"), posixpath.dirname(book))
        self.sheets: list[tuple[str, str]] = []  # (name, member)
        self.date1904 = False

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "sheet":
                target = rels.get(attrs.get(f"{_REL} id", ""), ("", ""))[1]
                self.sheets.append((attrs.get("name", ""), target))
            elif tag == "workbookPr":
                self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

        _parse(self._read(book), start)
        self._shared_target = self._target(rels, "/sharedStrings")
        self._styles_target = self._target(rels, "/styles")
        self._strings: list[str] | None = None
        self._dates: frozenset[int] | None = None

    # --- package parts ---------------------------------------------------------------------

    def _read(self, member: str) -> bytes:
        if member not in self._names:
            raise SheetError(SheetFault.UNREADABLE, f"the workbook lacks {member}")
        try:
            return self._zip.read(member)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError) as exc:
            raise SheetError(SheetFault.UNREADABLE, type(exc).__name__) from None

    def _relations(self, member: str, base: str) -> dict[str, tuple[str, str]]:
        """Id -> (type, member path) of a relationships part; {} if there is none."""
        if member not in self._names:
            return {}
        found: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

        _parse(self._read(member), start)
        return found

    @staticmethod
    def _target(rels: dict[str, tuple[str, str]], type_suffix: str) -> str | None:
        return next((path for kind, path in rels.values() if kind.endswith(type_suffix)), None)

    @property
    def strings(self) -> list[str]:
        if self._strings is None:
            self._strings = self._shared_strings()
        return self._strings

    @property
    def date_styles(self) -> frozenset[int]:
        if self._dates is None:
            self._dates = self._date_styles()
        return self._dates

    def _shared_strings(self) -> list[str]:
        if not self._shared_target or self._shared_target not in self._names:
            return []
        strings: list[str] = []
        parts: list[str] = []
        state = {"in_t": False, "phonetic": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "si":
                parts.clear()
            elif tag == "rPh":
                state["phonetic"] += 1
            elif tag == "t":
                state["in_t"] = True

        def end(name: str) -> None:
            tag = _local(name)
            if tag == "si":
                strings.append("".join(parts))
            elif tag == "rPh":
                state["phonetic"] -= 1
            elif tag == "t":
                state["in_t"] = False

        def text(data: str) -> None:
            if state["in_t"] and not state["phonetic"]:
                parts.append(data)

        _parse(self._read(self._shared_target), start, end, text)
        return strings

    def _date_styles(self) -> frozenset[int]:
        from openpyxl.styles.numbers import is_date_format

        if not self._styles_target or self._styles_target not in self._names:
            return frozenset()
        custom: dict[int, str] = {}
        formats: list[int] = []
        depth = {"cellXfs": False}

        def start(name: str, attrs: dict[str, str]) -> None:
            tag = _local(name)
            if tag == "numFmt":
                custom[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
            elif tag == "cellXfs":
                depth["cellXfs"] = True
            elif tag == "xf" and depth["cellXfs"]:
                formats.append(_int(attrs.get("numFmtId")))

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                depth["cellXfs"] = False

        _parse(self._read(self._styles_target), start, end)
        return frozenset(
            i for i, fmt in enumerate(formats)
            if (fmt in custom and is_date_format(custom[fmt])) or (fmt not in custom and fmt in _BUILTIN_DATES)
        )

    # --- a worksheet -------------------------------------------------------------------------

    def rows(self, member: str, max_rows: int) -> Iterator[SheetRow]:
        """The worksheet's rows that hold a value or are hidden, streamed."""
        if member not in self._names:
            raise SheetError(SheetFault.UNREADABLE, f"the workbook lacks {member}")
        reader = _RowReader(self.strings, self.date_styles, self.date1904)
        try:
            with self._zip.open(member) as f:
                pieces = iter(lambda: f.read(CHUNK), b"")
                parser = expat.ParserCreate(namespace_separator=" ")
                reader.attach(parser)
                for piece in pieces:
                    parser.Parse(piece, False)
                    yield from reader.take(max_rows)
                    if reader.past(max_rows):
                        return
                parser.Parse(b"", True)
                yield from reader.take(max_rows)
        except expat.ExpatError as exc:
            raise SheetError(SheetFault.UNREADABLE, f"XML: {expat.errors.messages.get(exc.code, exc.code)}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError) as exc:
            raise SheetError(SheetFault.UNREADABLE, type(exc).__name__) from None

    def close(self) -> None:
        self._zip.close()


class _RowReader:
    """expat handlers that turn `<row>`/`<c>` elements into SheetRows."""

    def __init__(self, strings: list[str], date_styles: frozenset[int], date1904: bool) -> None:
        self.strings = strings
        self.date_styles = date_styles
        self.date1904 = date1904
        self.ready: list[SheetRow] = []
        self.last_row = 0
        self._row = 0
        self._hidden = False
        self._cells: dict[int, Cell] = {}
        self._column = 0
        self._cell: dict[str, str] = {}
        self._formula = False
        self._text: list[str] = []
        self._collect = False
        self._inline: list[str] = []
        self._phonetic = 0
        self._in_inline = False

    def attach(self, parser: expat.XMLParserType) -> None:
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.buffer_text = True

        def refuse_doctype(*_args: object) -> None:
            raise SheetError(SheetFault.UNREADABLE, "a document type declaration in the worksheet")

        parser.StartDoctypeDeclHandler = refuse_doctype

    def take(self, max_rows: int) -> list[SheetRow]:
        out = [r for r in self.ready if r.number <= max_rows]
        self.ready = []
        return out

    def past(self, max_rows: int) -> bool:
        return self.last_row > max_rows

    def start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _LOCAL_NAMES.get(name) or _local(name)
        if tag == "c":
            self._column = _column_of(attrs.get("r"), self._column + 1)
            self._cell = attrs
            self._formula = False
            self._text = []
            self._inline = []
        elif tag == "v":
            self._collect = True
        elif tag == "f":
            self._formula = True
        elif tag == "is":
            self._in_inline = True
        elif tag == "rPh":
            self._phonetic += 1
        elif tag == "t" and self._in_inline:
            self._collect = True
        elif tag == "row":
            self._row = _int(attrs.get("r"), self._row + 1)
            self._hidden = attrs.get("hidden", "").lower() in ("1", "true")
            self._cells = {}
            self._column = 0

    def end(self, name: str) -> None:
        tag = _LOCAL_NAMES.get(name) or _local(name)
        if tag in ("v", "t"):
            self._collect = False
        elif tag == "is":
            self._in_inline = False
        elif tag == "rPh":
            self._phonetic -= 1
        elif tag == "c":
            value = self._value()
            if value is not None or self._formula:
                self._cells[self._column] = Cell(value, self._formula)
        elif tag == "row":
            self.last_row = self._row
            if self._cells or self._hidden:
                self.ready.append(SheetRow(self._row, self._cells, self._hidden))

    def text(self, data: str) -> None:
        if self._collect and not self._phonetic:
            (self._inline if self._in_inline else self._text).append(data)

    def _value(self) -> object:
        kind = self._cell.get("t", "n")
        if kind == "inlineStr":
            return "".join(self._inline) or None
        raw = "".join(self._text)
        if not raw:
            return None
        if kind == "s":
            index = _int(raw, -1)
            return self.strings[index] if 0 <= index < len(self.strings) else None
        if kind in ("str", "e"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return datetime.fromisoformat(raw.strip().rstrip("Z"))
            except ValueError:
                return raw
        number = _number(raw)
        if number is None:
            return raw
        if _int(self._cell.get("s"), 0) in self.date_styles and isinstance(number, (int, float)):
            return _excel_date(number, self.date1904)
        return number


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _number(text: str) -> int | float | None:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _excel_date(serial: int | float, date1904: bool) -> object:
    from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

    try:
        return from_excel(serial, MAC_EPOCH if date1904 else WINDOWS_EPOCH)
    except (OverflowError, ValueError):
        return serial


_COLUMNS: dict[str, int] = {}  # "B" -> 2, filled as letters are met


def _column_of(reference: str | None, default: int) -> int:
    """B7 -> 2; a missing or odd reference counts on from the previous cell."""
    if not reference:
        return default
    letters = reference.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None:
        column = 0
        for ch in letters.upper():
            if not "A" <= ch <= "Z":
                return default
            column = column * 26 + ord(ch) - 64
        if len(letters) <= 3:
            _COLUMNS[letters] = column
    return column if 0 < column <= 16384 else default
