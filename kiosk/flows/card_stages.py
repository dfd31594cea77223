"""The named steps the card services share, for their plans (kiosk.flows.plan): the card in
the reader, an ID card on its reader, a PIN, a new PIN, a last look before it is done."""

from __future__ import annotations

from kiosk.flows.plan import Stage, StepKind
from kiosk.i18n import bi

CARD = Stage(bi("插卡", "Your card"), StepKind.DOCUMENT)
ID_CARD = Stage(bi("身份证", "ID card"), StepKind.DOCUMENT)
PIN = Stage(bi("密码", "PIN"), StepKind.TYPING)
OLD_PIN = Stage(bi("原密码", "Current PIN"), StepKind.TYPING)
NEW_PIN = Stage(bi("新密码", "New PIN"), StepKind.TYPING)
CONFIRM = Stage(bi("确认", "Confirm"), StepKind.CHECK)
WHICH_CARD = Stage(bi("哪张卡", "Which card"), StepKind.CHOICE)
HOW = Stage(bi("查询方式", "How"), StepKind.CHOICE)
