"""`kiosk batch template` and `kiosk batch check`, run as a technician runs them: the real
executable, exit codes 0 / 1 / 2, and the --json shape."""

import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from tests.batch.packages import adult, build_package

KIOSK = Path(sys.executable).with_name("kiosk")
REGION = ("--region", "chongqing-changshou")


def kiosk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KIOSK), *args], capture_output=True, text=True, timeout=120)


def test_check_exits_0_when_every_row_passes(tmp_path):
    run = kiosk("batch", "check", str(build_package(tmp_path / "pkg", [adult(1)])), *REGION, "--today", "2026-12-03")
    assert run.returncode == 0, run.stderr
    assert "1 人 / people, 1 通过 / passed, 0 个问题" in run.stdout


def test_check_exits_1_and_lists_problems_as_json(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1), adult(2, phone="12")])
    run = kiosk("batch", "check", str(folder), *REGION, "--today", "2026-12-03", "--json")
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert (data["rows"], data["ok"]) == (2, 1)
    assert data["problems"] == [{"row": 4, "column": "电话号码", "code": "phone_invalid", "message": data["problems"][0]["message"]}]
    assert data["problems"][0]["message"].startswith("电话号码不对")


def test_check_exits_2_when_the_package_cannot_be_read(tmp_path):
    run = kiosk("batch", "check", str(tmp_path / "missing"), *REGION, "--json")
    assert run.returncode == 2
    data = json.loads(run.stdout)
    assert data["problems"][0]["row"] is None and data["problems"][0]["code"] == "not_found"


def test_human_output_masks_names(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1, name="欧阳娜娜", phone="1")])
    run = kiosk("batch", "check", str(folder), *REGION, "--today", "2026-12-03")
    assert run.returncode == 1 and "欧阳**" in run.stdout and "欧阳娜娜" not in run.stdout


def test_a_filled_in_template_passes_the_check(tmp_path):
    out = tmp_path / "pkg" / "制卡明细表.xlsx"
    out.parent.mkdir()
    run = kiosk("batch", "template", "--kind", "new", *REGION, str(out))
    assert run.returncode == 0, run.stderr
    book = openpyxl.load_workbook(out)
    sheet = book["明细表"]
    assert "图片命名规则" in "\n".join(str(c.value) for c in book["填表说明"]["A"])
    sheet["A1"] = "重庆长寿示例制造有限公司社保卡制卡明细表（统一社会信用代码：91350100M000100Y43）"
    a = adult(1)
    for column, value in zip("BCDEFGH", [a.name, a.id_number, "汉族", a.validity, a.phone, "重庆农村商业银行", a.address]):
        sheet[f"{column}3"] = value
    book.save(out)
    for name, data in a.images.items():
        (out.parent / name).write_bytes(data)
    run = kiosk("batch", "check", str(out.parent), *REGION, "--today", "2026-12-03", "--json")
    assert run.returncode == 0, run.stdout
    data = json.loads(run.stdout)
    assert (data["rows"], data["ok"], data["employer"], data["credit_code"]) == (1, 1, "重庆长寿示例制造有限公司", "91350100M000100Y43")


def test_the_replacement_template_has_its_two_columns(tmp_path):
    out = tmp_path / "t.xlsx"
    assert kiosk("batch", "template", "--kind", "replace", *REGION, str(out)).returncode == 0
    header = [c.value for c in openpyxl.load_workbook(out)["明细表"][2]]
    assert header[-2:] == ["补换原因", "是否更换照片"]


def test_template_does_not_overwrite(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"keep me")
    run = kiosk("batch", "template", *REGION, str(out))
    assert run.returncode == 1 and out.read_bytes() == b"keep me"


def test_a_progress_bar_on_a_terminal_and_none_in_a_pipe(tmp_path):
    import os
    import pty

    folder = build_package(tmp_path / "pkg", [adult(1), adult(2), adult(3)])
    master, terminal = pty.openpty()
    try:
        run = subprocess.run([str(KIOSK), "batch", "check", str(folder), *REGION, "--today", "2026-12-03"],
                             stdout=subprocess.PIPE, stderr=terminal, timeout=120)
        bar = os.read(master, 65536).decode()
    finally:
        os.close(terminal)
        os.close(master)
    assert run.returncode == 0
    assert "[" + "#" * 30 + "] 3/3" in bar and "1/3" in bar
    piped = kiosk("batch", "check", str(folder), *REGION, "--today", "2026-12-03")
    assert "#" not in piped.stderr


def test_check_writes_the_marked_copy_when_asked(tmp_path):
    folder = build_package(tmp_path / "pkg", [adult(1, phone="12")])
    run = kiosk("batch", "check", str(folder), *REGION, "--today", "2026-12-03", "--json", "--marked-copy", str(tmp_path))
    assert run.returncode == 1
    copy = Path(json.loads(run.stdout)["marked_copy"])
    assert copy.parent == tmp_path and copy.exists()
    clean = build_package(tmp_path / "clean", [adult(2)])
    run = kiosk("batch", "check", str(clean), *REGION, "--today", "2026-12-03", "--json", "--marked-copy", str(tmp_path))
    assert run.returncode == 0 and "marked_copy" not in json.loads(run.stdout)
