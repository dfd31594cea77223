"""One cell of the details sheet, read the way the HR clerk meant it.

Each reader takes the raw cell value (text, number, date) and gives back the clean value or
a ProblemCode. They fold what office PCs do to text (full-width digits, stray spaces, a
lowercase x) but never guess: an ID number Excel turned into a number has lost digits and
is flagged, not repaired.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from kiosk.batch.problems import ProblemCode
from kiosk.batch.sheet import cell_text
from kiosk.domain.nations import Nation, nation_by_name
from kiosk.domain.policy import Bank
from kiosk.domain.replacement import Reason

LONG_TERM = "长期"


def fold(value: object) -> str:
    """Full-width folded (NFKC), surrounding and inner spaces dropped."""
    return "".join(unicodedata.normalize("NFKC", cell_text(value)).split())


def text(value: object) -> str:
    """Free text (a name, an address): folded, with inner runs of spaces kept as one."""
    return " ".join(unicodedata.normalize("NFKC", cell_text(value)).split())


# --- ID number -----------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?E\+?\d+", re.IGNORECASE)


def id_number_text(value: object) -> str | ProblemCode:
    """The ID number as typed (capital X), or ID_STORED_AS_NUMBER / ID_MISSING."""
    if isinstance(value, bool):
        return ProblemCode.ID_INVALID
    if isinstance(value, (int, float)):
        return ProblemCode.ID_STORED_AS_NUMBER  # an 18-digit number has lost its last digits
    folded = fold(value).upper()
    if not folded:
        return ProblemCode.ID_MISSING
    if _SCIENTIFIC.fullmatch(folded):  # the number's display, saved as text (a CSV from Excel)
        return ProblemCode.ID_STORED_AS_NUMBER
    return folded.lstrip("'")


# --- nation --------------------------------------------------------------------------------

def nation(value: object) -> Nation | ProblemCode:
    name = fold(value)
    found = nation_by_name(name) if name else None
    return found if found is not None else ProblemCode.NATION_UNKNOWN


# --- validity ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Validity:
    start: date
    end: date | None  # None: 长期 (long-term)

    def expired_on(self, day: date) -> bool:
        return self.end is not None and self.end < day

    def __str__(self) -> str:
        end = LONG_TERM if self.end is None else self.end.strftime("%Y.%m.%d")
        return f"{self.start.strftime('%Y.%m.%d')}-{end}"


_DATE = re.compile(r"(\d{4})[.\-/年](\d{1,2})[.\-/月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})")


def _dates_in(value: object) -> list[date | None] | None:
    """The dates (None for 长期) written in a cell, in order; None if something is not a date."""
    if isinstance(value, datetime):
        return [value.date()]
    if isinstance(value, date):
        return [value]
    if isinstance(value, (int, float)):
        value = cell_text(value)  # 20150301 typed as a number
    folded = fold(value)
    found: list[date | None] = []
    leftover, pos = [], 0
    for match in re.finditer(rf"{_DATE.pattern}|{LONG_TERM}", folded):
        leftover.append(folded[pos : match.start()])
        pos = match.end()
        if match.group(0) == LONG_TERM:
            found.append(None)
            continue
        y, m, d = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
        try:
            found.append(date(int(y), int(m), int(d)))
        except ValueError:
            return None
    leftover.append(folded[pos:])
    if "".join(leftover).strip("-–—－~～至到"):
        return None
    return found


def validity(one: object = None, start: object = None, end: object = None) -> Validity | ProblemCode:
    """From one "起–止" cell, or from two cells; 长期 as the end."""
    if one is not None:
        if not fold(one):
            return ProblemCode.VALIDITY_MISSING
        dates = _dates_in(one)
    else:
        if not fold(start) and not fold(end):
            return ProblemCode.VALIDITY_MISSING
        first, second = _dates_in(start), _dates_in(end)
        dates = None if first is None or second is None else first + second
    if not dates or len(dates) != 2 or dates[0] is None:
        return ProblemCode.VALIDITY_INVALID
    begin, until = dates
    if until is not None and until <= begin:
        return ProblemCode.VALIDITY_INVALID
    return Validity(begin, until)


# --- phone ---------------------------------------------------------------------------------

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?[1-9]\d{6,7}")


def phone(value: object) -> str | ProblemCode:
    """An 11-digit mobile number, or a landline with its area code (023-40250850)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    folded = fold(value).replace("—", "-").replace("(", "").replace(")", "-")
    folded = re.sub(r"^(?:\+?86)-?(?=1\d{10}$)", "", folded)
    if _MOBILE.fullmatch(folded) or _LANDLINE.fullmatch(folded):
        return folded
    if _MOBILE.fullmatch(folded.replace("-", "")):
        return folded.replace("-", "")
    return ProblemCode.PHONE_INVALID


# --- bank ----------------------------------------------------------------------------------

_BRANCH = re.compile(r".*(?:支行|分行|营业部|分理处|储蓄所|网点)$")


def _bank_key(name: str) -> str:
    return fold(name).upper()


_BANK_NAMES: dict[int, tuple[tuple[Bank, ...], tuple[tuple[str, Bank], ...]]] = {}


def _bank_names(banks: tuple[Bank, ...]) -> tuple[tuple[str, Bank], ...]:
    """Every name of every bank, longest first (so 中国工商银行 is tried before 中国银行 would be).
    Kept per policy's bank tuple by identity: hashing the banks for every row costs more."""
    cached = _BANK_NAMES.get(id(banks))
    if cached is None or cached[0] is not banks:
        names = tuple(sorted(((_bank_key(n), b) for b in banks for n in (b.name.zh, *b.aliases)), key=lambda nb: -len(nb[0])))
        cached = _BANK_NAMES[id(banks)] = (banks, names)
    return cached[1]


def bank(value: object, banks: tuple[Bank, ...]) -> Bank | ProblemCode:
    """The partner bank a cell names: its policy name, an alias, or either with a branch after it."""
    written = _bank_key(value)
    if not written:
        return ProblemCode.BANK_UNKNOWN
    names = _bank_names(banks)
    for key, found in names:
        if written == key:
            return found
    for key, found in names:  # "工商银行长寿支行": the longest name that starts it, then a branch
        if written.startswith(key) and _BRANCH.fullmatch(written[len(key) :]):
            return found
    return ProblemCode.BANK_UNKNOWN


# --- replacement columns -------------------------------------------------------------------

_REASON_WORDS: tuple[tuple[Reason, tuple[str, ...]], ...] = (
    (Reason.NEW_GENERATION, ("换发", "换代", "升级", "第三代", "三代")),
    (Reason.LOST, ("遗失", "丢失", "挂失", "补领", "丢", "遗")),
    (Reason.DAMAGED, ("损坏", "损毁", "坏", "换领", "消磁", "芯片")),
    (Reason.EXPIRED, ("过期", "到期", "有效期满", "期满")),
)
_YES = frozenset({"是", "换", "更换", "需要", "要", "Y", "YES", "1", "TRUE", "√"})
_NO = frozenset({"否", "不", "不换", "不更换", "不需要", "不要", "N", "NO", "0", "FALSE", "×"})


def reason(value: object) -> Reason | ProblemCode:
    written = fold(value)
    for found, words in _REASON_WORDS:
        if any(w in written for w in words):
            return found
    return ProblemCode.REASON_UNKNOWN


def photo_change(value: object) -> bool | ProblemCode:
    if isinstance(value, bool):
        return value
    written = fold(value).upper()
    if written in _YES:
        return True
    if written in _NO:
        return False
    return ProblemCode.PHOTO_CHANGE_UNCLEAR
