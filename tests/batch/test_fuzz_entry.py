"""The fuzz entry takes any bytes and only ever returns (kiosk/batch/fuzz.py)."""

import functools
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.batch.fuzz import fuzz_sheet
from tests.batch.packages import adult, build_package


@functools.lru_cache(maxsize=1)
def real_sheets():
    """The same bytes on every call (hypothesis replays draws against them)."""
    tmp_path = Path(tempfile.mkdtemp(prefix="fuzz-sheets-"))
    folder = build_package(tmp_path / "pkg", [adult(1), adult(2)])
    xlsx = (folder / "制卡明细表.xlsx").read_bytes()
    csv = build_package(tmp_path / "c", [adult(1)], fmt="csv", encoding="gbk") / "制卡明细表.csv"
    xls = build_package(tmp_path / "x", [adult(1)], fmt="xls") / "制卡明细表.xls"
    sheets = xlsx, csv.read_bytes(), xls.read_bytes()
    shutil.rmtree(tmp_path)
    return sheets


def test_real_sheets_give_their_people():
    xlsx, csv, xls = real_sheets()
    assert (fuzz_sheet(xlsx), fuzz_sheet(csv), fuzz_sheet(xls)) == (2, 1, 1)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(data):
    assert fuzz_sheet(data) >= 0


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_damaged_real_sheets_never_raise(data):
    for sheet in real_sheets():
        at = data.draw(st.integers(0, len(sheet) - 1))
        flipped = bytes([sheet[at] ^ data.draw(st.integers(1, 255))])
        fuzz_sheet(sheet[:at] + flipped + sheet[at + 1 :])
        fuzz_sheet(sheet[: data.draw(st.integers(0, len(sheet)))])


def test_a_damaged_worksheet_xml_inside_a_valid_zip():
    xlsx, _, _ = real_sheets()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            new.writestr(info, data)
    assert fuzz_sheet(out.getvalue()) >= 0
