"""A fuzz entry for the details-sheet parser: `fuzz_sheet(data)` takes any bytes.

It runs the bytes through every sheet reader (.xlsx, .xls, .csv), the header search and the
cell readers, as `check_package` would. The only outcome that is not a bug is a return;
`SheetError` is how a reader says "not a sheet" and is swallowed here. Any other exception
is a finding. Memory and time stay bounded by the same limits as a real check (the bytes
are capped at `MAX_INPUT`). Example (atheris or a loop over a corpus):

    from kiosk.batch.fuzz import fuzz_sheet
    fuzz_sheet(open("crash-1", "rb").read())
"""

from __future__ import annotations

from kiosk.batch import fields
from kiosk.batch.columns import HEADER_SEARCH_ROWS, Column, find_header, read_title
from kiosk.batch.sheet import SheetError, read_sheet

MAX_INPUT = 1024 * 1024
FORMATS = ("fuzz.xlsx", "fuzz.xls", "fuzz.csv")
_MAX_ROWS = 2_000  # rows read per format: enough to reach every reader, bounded for a fuzzer


def fuzz_sheet(data: bytes) -> int:
    """Parse `data` under each sheet file name; the most person rows any reading found."""
    data = data[:MAX_INPUT]
    people = 0
    for name in FORMATS:
        try:
            people = max(people, _read(data, name))
        except SheetError:
            continue
    return people


def _read(data: bytes, name: str) -> int:
    reading = read_sheet(data, name, max_unpacked=64 * 1024 * 1024, max_rows=_MAX_ROWS)
    title, header, people = [], None, 0
    for row in reading.rows:
        if header is None:
            header = find_header(row)
            if header is None:
                title.append(row)
                if len(title) >= HEADER_SEARCH_ROWS:
                    break
            continue
        if not header.holds_person(row):
            continue
        people += 1
        value = lambda column: row.value(header.positions[column]) if column in header.positions else None  # noqa: E731
        fields.id_number_text(value(Column.ID_NUMBER))
        fields.nation(value(Column.NATION))
        fields.validity(one=value(Column.VALIDITY) or "", start=value(Column.VALID_FROM), end=value(Column.VALID_TO))
        fields.phone(value(Column.PHONE))
        fields.reason(value(Column.REASON))
        fields.photo_change(value(Column.PHOTO_CHANGE))
    read_title(title)
    return people
