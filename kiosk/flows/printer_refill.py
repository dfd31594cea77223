"""「已加纸 / I refilled the paper」: staff put a new roll in; the kiosk asks the printer
again (its real status, not the kiosk's last word) and prints a signed test voucher
(kiosk/printing/test_voucher.py) so staff see the paper run through."""

from __future__ import annotations

import logging

from kiosk.drivers.printer.driver import refusal
from kiosk.drivers.status import Completion, DeviceStatus
from kiosk.flows.device_wording import describe
from kiosk.flows.port import FlowPort
from kiosk.flows.printout import PRINTER_PROBLEMS, PRINTER_TROUBLE
from kiosk.flows.steps import OK_OPTION
from kiosk.flows.wording import fill
from kiosk.i18n import bi
from kiosk.printing.test_voucher import issue_test_voucher
from kiosk.printing.voucher_layout import voucher_job

log = logging.getLogger(__name__)

CHECKING = bi("正在检查打印机", "Checking the printer")
CHECKING_BODY = bi("请稍等。", "One moment.")
STILL_OUT = bi("打印机仍然不能打印", "The printer still cannot print")
STILL_OUT_BODY = bi(
    "{problem}打印机现在的状态：{state}。请检查纸卷是否装好、盖子是否关紧，再按「已加纸」。",
    "{problem}The printer now says: {state}. Check the roll is seated and the cover shut, then press “I refilled the paper” again.",
)
PRINTING_TEST = bi("正在打印测试凭证", "Printing a test voucher")
PRINTING_TEST_BODY = bi("测试凭证不属于任何居民，可以丢弃。", "The test voucher belongs to nobody and may be thrown away.")
TEST_PRINTED = bi("测试凭证已打印", "The test voucher has printed")
TEST_PRINTED_BODY = bi(
    "打印机恢复正常（{state}）。测试凭证号 {serial}。",
    "The printer works again ({state}). Test voucher {serial}.",
)
TEST_NOT_PRINTED = bi("测试凭证没有打印出来", "The test voucher did not print")


async def paper_refilled(port: FlowPort) -> Completion[DeviceStatus]:
    """Re-read the printer; if it can print, print a test voucher. How it ended, said on screen."""
    services = port.services
    printer = services.printer
    await port.show("wait", title=CHECKING, body=CHECKING_BODY, picture="printer")
    asked = await port.device(printer.refresh_status)
    status = printer.status()
    refused = refusal(status) if asked.ok else asked
    if refused is not None:
        log.info("maintenance: paper refilled, but the printer still refuses: %s", refused.reason)
        problem = PRINTER_PROBLEMS.get(refused.code, PRINTER_TROUBLE)
        body = fill(STILL_OUT_BODY, problem=problem, state=describe(status))
        await port.ask("notice", title=STILL_OUT, body=body, tone="error", actions=[OK_OPTION])
        return refused
    voucher = issue_test_voucher(services.config, now=services.now())
    printable = voucher_job(voucher, services.key, services.config.printer)
    await port.show("wait", title=PRINTING_TEST, body=PRINTING_TEST_BODY, picture="printer")
    done = await port.device(printer.print_job, printable.job)
    if not done.ok:
        log.warning("maintenance: the test voucher did not print: %s %s", done.code, done.reason)
        body = fill(STILL_OUT_BODY, problem=PRINTER_PROBLEMS.get(done.code, PRINTER_TROUBLE), state=describe(printer.status()))
        await port.ask("notice", title=TEST_NOT_PRINTED, body=body, tone="error", actions=[OK_OPTION])
        return Completion(done.code, None, done.reason, done.recovery, done.detail)
    log.info("maintenance: test voucher %s printed after a paper refill", voucher.serial)
    body = fill(TEST_PRINTED_BODY, state=describe(printer.status()), serial=voucher.serial)
    await port.ask("notice", title=TEST_PRINTED, body=body, tone="info", actions=[OK_OPTION])
    return Completion.success(printer.status())
