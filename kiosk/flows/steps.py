"""The vocabulary flows and step screens share: options to choose from, and the answers
every question may get besides its own.

The step screens (`kiosk/screens/<name>.py`) and what each takes and answers:

| screen    | params                                                                 | answer                                  |
|-----------|------------------------------------------------------------------------|-----------------------------------------|
| choose    | title, options: list[Option], note=None                                | an option's code, BACK or HOME          |
| notice    | title, body, tone="info"/"warning"/"error", actions=[OK_OPTION]        | an action's code, BACK or HOME          |
| wait      | title, body, picture="id_card"/"card"/"printer"/"network"/"camera"/    | (shown with port.show; no answer)       |
|           | "usb_drive"                                                            |                                         |
| keypad    | title, keypad="digits"/"phone"/"id_number"/"text", hint=None,          | the typed str, BACK or HOME             |
|           | max_length=40, validate=None (str -> Bilingual error or None)          |                                         |
| pin_pad   | title, hint=None, length=6                                             | a bytearray of ASCII digits (the flow   |
|           |                                                                        | wipes it), BACK or HOME; keys shuffled  |
| review    | title, rows: list[tuple[Bilingual, Bilingual/str/bytes]] (values       | CONFIRM, BACK, HOME or Change(label)    |
|           | already masked; bytes: the photo's JPEG), changes=() (labels of the    |                                         |
|           | rows that get 「修改」; kiosk.flows.review)                            |                                         |
| sign      | title, statement                                                       | PNG bytes of the signature, BACK, HOME  |
| photo     | title, session (kiosk.photo.session.PhotoSession), optional=False      | the accepted Attempt, SKIP, BACK, HOME  |
| done      | title, body, extra=()                                                  | OK                                      |
| batch_problems | title, summary, note, groups: list[(Bilingual, list[Bilingual])], | an action's code, BACK or HOME          |
|           | actions: list[Option]                                                  |                                         |
| document_photo | title, body, session (PhotoSession): a page, not mirrored         | "take", BACK or HOME                    |
| chinese_input | title, max_chars, hint=None, current="", optional=False, kind       | the written str ("" if optional), BACK, |
|           | (kiosk.flows.chinese_entry: handwriting pad, pinyin keys, candidates)  | HOME                                    |

`title`, `body`, `note`, `hint`, `statement` and each `extra` item are Bilingual.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain import glossary
from kiosk.i18n import Bilingual, bi

BACK = "back"  # 上一步 / Back
HOME = "home"  # 返回首页 / Home: the flow ends
OK = "ok"
CONFIRM = "confirm"
SKIP = "skip"
RETRY = "retry"

LEAVING = (BACK, HOME)
# A step's answer when the flow is over and the step's own screen already said why. Steps
# return their value, or one of BACK, HOME, ENDED: flows end on any `str`.
ENDED = "ended"


@dataclass(frozen=True)
class Option:
    code: str
    label: Bilingual
    detail: Bilingual | None = None  # a second, smaller line: an outlet's address, a bank's note


OK_OPTION = Option(OK, bi("确定", "OK"))
RETRY_OPTION = Option(RETRY, glossary.TRY_AGAIN)
HOME_OPTION = Option(HOME, glossary.BACK_TO_START)


@dataclass(frozen=True)
class Change:
    """The review's answer when the resident touches 「修改」 beside a row: that row's label."""

    label: Bilingual
