"""The title row above the header: the employer's name and unified social credit code, and
which sheet it is, as clerks write them."""

import pytest

from kiosk.batch import BatchKind
from kiosk.batch.columns import read_title
from kiosk.batch.sheet import Cell, SheetRow

CODE = "91350100M000100Y43"


def title(*texts):
    return read_title([SheetRow(1, {i: Cell(t) for i, t in enumerate(texts, start=1)})])


@pytest.mark.parametrize(
    "texts, name",
    [
        ((f"重庆某某科技有限公司社保卡制卡明细表（统一社会信用代码：{CODE}）",), "重庆某某科技有限公司"),
        ((f"单位名称：重庆某某科技有限公司  统一社会信用代码：{CODE}",), "重庆某某科技有限公司"),
        (("单位名称：", "重庆某某科技有限公司", f"统一社会信用代码：{CODE.lower()}"), "重庆某某科技有限公司"),  # cells apart
        ((f"《重庆某某科技有限公司第三代社会保障卡批量制卡明细表》 {CODE}",), "重庆某某科技有限公司"),
    ],
)
def test_employer_and_code_from_the_title(texts, name):
    found = title(*texts)
    assert (found.employer_name, found.credit_code) == (name, CODE)
    assert found.kind is (BatchKind.NEW if "制卡" in "".join(texts) else None)


def test_a_code_with_a_wrong_check_character_is_not_read():
    assert title(f"某公司制卡明细表 {CODE[:-1]}0").credit_code is None


def test_the_templates_unfilled_title_names_no_employer():
    found = title("（单位名称）社保卡补换卡明细表（统一社会信用代码：                  ）")
    assert (found.employer_name, found.credit_code, found.kind) == (None, None, BatchKind.REPLACE)
