"""The sheet's columns, found by their header text in any order, and the title row above them.

Seed 000 附件3 names the columns (姓名、身份证号码、民族、证件有效期起止时间、电话号码、办卡银行、
常住地址); sheets made from older templates or by hand use other common words for the same
thing. A header cell is normalised (full-width folded, spaces, asterisks and bracketed notes
such as （必填） dropped) and looked up among the variants below. The header row is the first
row in which at least three cells are known columns; rows above it are the title, where the
employer's name and unified social credit code may be written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from kiosk.batch.kinds import BatchKind
from kiosk.batch.sheet import SheetRow, cell_text
from kiosk.domain.employer import InvalidCreditCode, USCC_ALPHABET, parse_credit_code

HEADER_SEARCH_ROWS = 20  # the header is within the first rows that hold anything
MIN_HEADER_MATCHES = 3


class Column(StrEnum):
    SEQUENCE = "sequence"
    NAME = "name"
    ID_NUMBER = "id_number"
    NATION = "nation"
    VALIDITY = "validity"  # one "起–止" field
    VALID_FROM = "valid_from"  # or two fields
    VALID_TO = "valid_to"
    PHONE = "phone"
    BANK = "bank"
    ADDRESS = "address"
    REASON = "reason"  # 批量补换 only
    PHOTO_CHANGE = "photo_change"  # 批量补换 only

    @property
    def title(self) -> str:
        """The template's header text (seed 000 附件3's words where it names the column)."""
        return _TITLES[self]


_TITLES = {
    Column.SEQUENCE: "序号",
    Column.NAME: "姓名",
    Column.ID_NUMBER: "身份证号码",
    Column.NATION: "民族",
    Column.VALIDITY: "证件有效期起止时间",
    Column.VALID_FROM: "证件有效期起",
    Column.VALID_TO: "证件有效期止",
    Column.PHONE: "电话号码",
    Column.BANK: "办卡银行",
    Column.ADDRESS: "常住地址",
    Column.REASON: "补换原因",
    Column.PHOTO_CHANGE: "是否更换照片",
}

VARIANTS: dict[Column, tuple[str, ...]] = {
    Column.SEQUENCE: ("序号", "编号", "行号", "序"),
    Column.NAME: ("姓名", "名字", "申请人姓名", "人员姓名", "职工姓名", "员工姓名", "持卡人姓名", "制卡人姓名", "参保人姓名"),
    Column.ID_NUMBER: (
        "身份证号码", "身份证号", "公民身份号码", "公民身份证号码", "证件号码", "证件号", "身份证件号码",
        "社会保障号码", "社会保障号", "社保号码", "身份证",
    ),
    Column.NATION: ("民族", "民族名称"),
    Column.VALIDITY: (
        "证件有效期起止时间", "证件有效期起止", "证件有效期起止日期", "证件有效期", "证件有效期限", "身份证有效期",
        "身份证有效期限", "有效期起止", "有效期起止时间", "有效期起止日期", "有效期限", "有效期",
    ),
    Column.VALID_FROM: (
        "证件有效期起", "证件有效期起始日期", "证件有效期开始日期", "证件有效期开始", "有效期起", "有效期开始",
        "有效期开始日期", "有效期起始日期", "签发日期", "发证日期", "起始日期",
    ),
    Column.VALID_TO: (
        "证件有效期止", "证件有效期截止日期", "证件有效期结束日期", "证件有效期结束", "证件有效期至", "有效期止",
        "有效期至", "有效期截止", "有效期截止日期", "有效期结束", "有效期结束日期", "截止日期", "到期日期", "失效日期",
    ),
    Column.PHONE: ("电话号码", "联系电话", "手机号码", "手机号", "电话", "手机", "联系方式", "移动电话"),
    Column.BANK: ("办卡银行", "银行", "开户银行", "合作银行", "发卡银行", "选择银行", "银行名称", "开户行", "服务银行"),
    Column.ADDRESS: ("常住地址", "地址", "居住地址", "联系地址", "通讯地址", "家庭住址", "现住址", "常住地", "住址"),
    Column.REASON: ("补换原因", "补换卡原因", "补换类型", "原因", "申请原因", "补卡原因", "换卡原因"),
    Column.PHOTO_CHANGE: ("是否更换照片", "更换照片", "是否换照片", "换照片", "是否更换头像", "更换头像", "是否换照"),
}

# What every sheet needs; a replacement sheet needs its two columns too.
REQUIRED = (Column.NAME, Column.ID_NUMBER, Column.NATION, Column.PHONE, Column.BANK, Column.ADDRESS)
REPLACEMENT_ONLY = (Column.REASON, Column.PHOTO_CHANGE)

_LOOKUP = {variant: column for column, variants in VARIANTS.items() for variant in variants}
_NOTES = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")


def normalise_header(text: object) -> str:
    folded = unicodedata.normalize("NFKC", cell_text(text))
    folded = _NOTES.sub("", folded)
    return "".join(c for c in folded if not c.isspace() and c not in "*:：")


def column_of(text: object) -> Column | None:
    return _LOOKUP.get(normalise_header(text))


@dataclass(frozen=True)
class Header:
    """The header row: where each column is, and its text as the sheet writes it."""

    row: int
    positions: dict[Column, int]  # column -> column number (from 1)
    texts: dict[Column, str]
    width: int  # the rightmost column number the header uses

    def has(self, column: Column) -> bool:
        return column in self.positions

    def validity_split(self) -> bool:
        return Column.VALID_FROM in self.positions or Column.VALID_TO in self.positions

    def holds_person(self, row: SheetRow) -> bool:
        """Whether a row below the header is a person: anything in a column other than the
        sequence number (the template's numbered empty rows at the end are not people)."""
        sequence = self.positions.get(Column.SEQUENCE)
        return any(n != sequence and cell_text(c.value).strip() for n, c in row.cells.items())

    def missing(self, kind: BatchKind) -> list[Column]:
        needed = list(REQUIRED) + (list(REPLACEMENT_ONLY) if kind is BatchKind.REPLACE else [])
        gone = [c for c in needed if c not in self.positions]
        if not self.has(Column.VALIDITY) and not (self.has(Column.VALID_FROM) and self.has(Column.VALID_TO)):
            gone.insert(3, Column.VALIDITY)
        return gone


def find_header(row: SheetRow) -> Header | None:
    """The header if `row` is one (at least three known column names), else None."""
    positions: dict[Column, int] = {}
    texts: dict[Column, str] = {}
    for number in sorted(row.cells):
        column = column_of(row.cells[number].value)
        if column is not None and column not in positions:
            positions[column] = number
            texts[column] = cell_text(row.cells[number].value).strip()
    if len(positions) < MIN_HEADER_MATCHES:
        return None
    return Header(row.number, positions, texts, max(positions.values()))


# --- the title above the header ------------------------------------------------------------

_USCC_LOOSE = re.compile(rf"(?<![0-9A-Z])[{USCC_ALPHABET}]{{18}}(?![0-9A-Z])")
_NAME_LABEL = re.compile(r"(?:单位名称|单位全称|用人单位|企业名称|单位)[:：]\s*(?P<name>[^\s,，;；|｜]+)")
_NAME_BEFORE_TITLE = re.compile(r"^(?P<name>.+?)(?:第三代)?(?:社保卡|社会保障卡)?(?:批量)?(?:制卡|补换卡|补换|新办卡?)明细表")


_PLACEHOLDERS = frozenset({"", "单位名称", "单位", "某某有限公司", "XX单位", "XXX"})


@dataclass(frozen=True)
class Title:
    text: str
    kind: BatchKind | None
    employer_name: str | None
    credit_code: str | None  # checked (GB 32100); a wrong one is not read


def read_title(rows: list[SheetRow]) -> Title:
    text = " ".join(cell_text(c.value).strip() for r in rows for _, c in sorted(r.cells.items()) if cell_text(c.value).strip())
    folded = unicodedata.normalize("NFKC", text)
    kind = BatchKind.REPLACE if "补换" in folded else BatchKind.NEW if "制卡" in folded or "新办" in folded else None
    code = None
    for candidate in _USCC_LOOSE.findall(folded.upper()):
        try:
            code = parse_credit_code(candidate)
            break
        except InvalidCreditCode:
            continue
    name = None
    labelled = _NAME_LABEL.search(folded)
    if labelled:
        name = labelled.group("name")
    else:
        before = _NAME_BEFORE_TITLE.search(folded)
        if before:
            name = before.group("name").strip(" 《》\"“”")
    if name and code and code in name:
        name = name.replace(code, "").strip() or None
    if name and name.strip("（）()【】[] ") in _PLACEHOLDERS:
        name = None  # the template's title, not filled in
    return Title(text, kind, name or None, code)


def kind_of_sheet(header: Header, title: Title) -> BatchKind | None:
    """Which sheet it says it is: one with the replacement columns is a replacement sheet;
    else its title says (补换卡明细表, 制卡明细表); None when nothing says."""
    if any(header.has(c) for c in REPLACEMENT_ONLY):
        return BatchKind.REPLACE
    return title.kind
