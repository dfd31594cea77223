"""Writing Chinese at the kiosk: a name, the rest of an address, an employer's name.

Every Chinese field goes through the one input screen, `chinese_input`: a writing pad
with candidates after each stroke, a pinyin mode, a preview and a character limit. The
field says what is written, the screen's title, and how many characters it takes.

Screen (for scripted tests: `ScriptedPort([("chinese_input", "张伟"), ...])`):

| screen        | params                                                           | answer                       |
|---------------|------------------------------------------------------------------|------------------------------|
| chinese_input | title: Bilingual, hint: Bilingual | None, max_chars: int,        | the written str (may be ""   |
|               | current: str (what is already written), optional: bool,          | when optional), BACK or HOME |
|               | kind: str (a FieldKind value)                                    |                              |

The screen already refuses what this step refuses (over the limit, empty when not
optional, characters the kiosk font cannot draw); the step checks again, so a scripted
resident or a future screen cannot slip past it, and says why on a `notice`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from kiosk.flows.port import FlowPort
from kiosk.flows.steps import BACK, HOME, LEAVING, OK_OPTION
from kiosk.i18n import Bilingual, bi
from kiosk.text_input.composer import EMPTY, FULL

Back = str  # kiosk.flows.steps.BACK (one step back) or HOME (the flow ends)

SCREEN = "chinese_input"


class FieldKind(StrEnum):
    NAME = "name"  # a person's name in Chinese characters
    ADDRESS_REST = "address_rest"  # road, number, building, after the picked district and street
    EMPLOYER = "employer"  # an employer's name (batch services, later)


@dataclass(frozen=True)
class ChineseField:
    kind: FieldKind
    title: Bilingual
    max_chars: int
    hint: Bilingual | None = None
    optional: bool = False  # an empty answer is allowed (a foreigner's Chinese name)

    def limited_to(self, max_chars: int) -> ChineseField:
        return ChineseField(self.kind, self.title, max_chars, self.hint, self.optional)


# A name on a resident ID card holds at most 15 characters (GA 467 gives the name field
# 30 bytes of UCS-2); names of ethnic minorities join their parts with "·".
NAME_MAX_CHARS = 15
HOLDER_NAME = ChineseField(
    FieldKind.NAME,
    bi("请写证件持有人的中文姓名", "Write the holder's name in Chinese"),
    NAME_MAX_CHARS,
    bi("在方框里一笔一笔写，再点下面的字。", "Write in the box stroke by stroke, then tap the character below."),
)
FOREIGNER_CHINESE_NAME = ChineseField(
    FieldKind.NAME,
    bi("有中文姓名吗？有就写上（可以不写）", "A Chinese name? Write it if you have one (you may skip)"),
    NAME_MAX_CHARS,
    bi("没有中文姓名，直接点“完成”。", "No Chinese name: just tap Done."),
    optional=True,
)
ADDRESS_REST = ChineseField(
    FieldKind.ADDRESS_REST,
    bi("写上路名、门牌号、楼栋和房号", "Write the road, number, building and flat"),
    60,
    bi("例如：向阳路13号2单元3楼", "For example: 向阳路13号2单元3楼"),
)
EMPLOYER_NAME = ChineseField(FieldKind.EMPLOYER, bi("请写单位名称", "Write the employer's name"), 40)

NOT_TEXT = bi("有看不清的字符，请删掉重写。", "Some characters cannot be used. Please delete them and write again.")
CHECK_TITLE = bi("请再看一下", "Please check")
NAME_NEEDS_HAN = bi("姓名要用汉字写。", "A name is written in Chinese characters.")
NAME_JOINER = "·"  # 间隔号 in names such as 阿依古丽·买买提


def problem(field: ChineseField, text: str) -> Bilingual | None:
    """Why `text` cannot be the answer to `field`, or None if it can."""
    if not text:
        return None if field.optional else EMPTY
    if len(text) > field.max_chars:
        return FULL.format(limit=field.max_chars)
    if any(unicodedata.category(c)[0] in "CZ" and c != " " for c in text):
        return NOT_TEXT
    if field.kind is FieldKind.NAME and not all(is_han(c) or c == NAME_JOINER for c in text):
        return NAME_NEEDS_HAN
    return None


def is_han(char: str) -> bool:
    """A CJK unified ideograph (the basic block or extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def tidy(text: str) -> str:
    """What is kept of an answer: no space at the ends, runs of spaces as one."""
    return " ".join(text.split())


async def write_chinese(port: FlowPort, field: ChineseField, *, current: str = "") -> str | Back:
    """The resident writes `field`; the text, or BACK / HOME."""
    while True:
        answer = await port.ask(
            SCREEN,
            title=field.title,
            hint=field.hint,
            max_chars=field.max_chars,
            current=current,
            optional=field.optional,
            kind=field.kind.value,
        )
        if answer in LEAVING:
            return answer
        text = tidy(answer if isinstance(answer, str) else "")
        reason = problem(field, text)
        if reason is None:
            return text
        current = text[: field.max_chars]
        if await port.ask("notice", title=CHECK_TITLE, body=reason, tone="warning", actions=[OK_OPTION]) == HOME:
            return HOME


__all__ = ["BACK", "HOME", "Back", "ChineseField", "FieldKind", "write_chinese", "problem", "SCREEN"]
