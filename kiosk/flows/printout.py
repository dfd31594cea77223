"""Printing while the resident waits: a voucher or a slip, and a plain word on what went
wrong with the printer, with the choice to try again."""

from __future__ import annotations

import logging
from typing import Callable

from kiosk.drivers.status import ResultCode
from kiosk.flows.port import FlowPort
from kiosk.flows.steps import OK, RETRY, RETRY_OPTION, Option
from kiosk.i18n import Bilingual, bi

log = logging.getLogger(__name__)

PRINTER_PROBLEMS: dict[ResultCode, Bilingual] = {
    ResultCode.NO_MEDIA: bi("打印机没有纸了。", "The printer has run out of paper. "),
    ResultCode.REFUSED: bi("打印机的盖子开着。", "The printer's cover is open. "),
    ResultCode.NO_DEVICE: bi("打印机没有连接好。", "The printer is not connected. "),
}
PRINTER_TROUBLE = bi("打印机出了故障。", "The printer has a fault. ")
ASK_STAFF = Option(OK, bi("好的，我去找工作人员", "OK, I will ask the staff"))


async def print_until_done(
    port: FlowPort,
    job: bytes,
    title: Bilingual,
    body: Bilingual,
    failed_title: Bilingual,
    failed_body: Callable[[Bilingual], Bilingual],
) -> bool:
    """Print `job`; on a printer problem say which and offer to try again. True once printed."""
    printer = port.services.printer
    while True:
        await port.show("wait", title=title, body=body, picture="printer")
        done = await port.device(printer.print_job, job)
        if done.ok:
            return True
        log.warning("%s: printing failed: %s %s", port.service, done.code, done.reason)
        problem = PRINTER_PROBLEMS.get(done.code, PRINTER_TROUBLE)
        answer = await port.ask(
            "notice", title=failed_title, body=failed_body(problem), tone="error", actions=[RETRY_OPTION, ASK_STAFF]
        )
        if answer != RETRY:
            return False
