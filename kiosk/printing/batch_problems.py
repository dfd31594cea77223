"""The list of what is wrong with an employer's batch package, on 80 mm paper, for the clerk
to take back to the office (the same list the screen shows, grouped by person).

Rows are named by their number as Excel shows it and the person's masked name: the slip
leaves the kiosk, so it carries no ID number (the checker's messages name none either).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.config import PrinterSettings
from kiosk.i18n import Bilingual, bi
from kiosk.printing.receipt import Receipt

TITLE = bi("报盘问题清单", "Package problems")
PACKAGE = bi("报盘", "Package")
TIME = bi("检查时间", "Checked")
COUNTS = bi("共{rows}人，通过{ok}人，有问题{bad}人", "{rows} people: {ok} passed, {bad} with problems")
FIX = bi(
    "请按清单改好明细表和图片（U盘里另有一份标出问题的明细表），再来提交。",
    "Fix the sheet and the images as listed (the drive also holds a copy of the sheet with the problems marked), then come back to submit.",
)


def problems_slip_job(package_name: str, report: Any, groups: list[tuple[Bilingual, list[Bilingual]]], now: datetime,
                      settings: PrinterSettings | None = None) -> bytes:  # fmt: skip
    """`groups` as the screen shows them: (heading, messages) per person, the package's first;
    `package_name` as the drive shows it (the folder or the .zip)."""
    receipt = Receipt(settings or PrinterSettings())
    receipt.title(TITLE.zh)
    receipt.centred(TITLE.en)
    receipt.rule()
    receipt.field(PACKAGE, package_name)
    receipt.field(TIME, f"{now:%Y-%m-%d %H:%M}")
    bad = report.rows - report.ok
    receipt.paragraph(COUNTS.zh.format(rows=report.rows, ok=report.ok, bad=bad), bold=True)
    receipt.paragraph(COUNTS.en.format(rows=report.rows, ok=report.ok, bad=bad))
    for heading, messages in groups:
        receipt.rule()
        receipt.paragraph(heading.both(" / "), bold=True)
        for message in messages:
            receipt.paragraph(f"- {message.zh}", hanging=2)
            receipt.paragraph(message.en, indent=2)
    receipt.rule("=")
    receipt.bilingual(FIX)
    return receipt.finish()
