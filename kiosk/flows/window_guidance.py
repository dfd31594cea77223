"""What only a service window can do, said at the kiosk: a blocked PIN (unlocking is
window-only, seed 003 section 7) and the guidance slip that tells the resident what to bring.
"""

from __future__ import annotations

import logging

from kiosk.flows.port import FlowPort
from kiosk.flows.printout import print_until_done
from kiosk.flows.steps import ENDED, HOME, HOME_OPTION, Option
from kiosk.flows.wording import fill
from kiosk.i18n import bi
from kiosk.printing.guidance_slip import guidance_slip_job

log = logging.getLogger(__name__)

PRINT = "print"
PIN_LOCKED = bi("社保卡密码已被锁定", "Your card PIN is locked")
PIN_LOCKED_BODY = bi(
    "密码输错次数太多，已经锁定。{guidance}\n也可以带身份证，在本机办理“重置密码”。",
    "The PIN was entered wrongly too many times and is now locked. {guidance}\nYou can also reset the PIN at this kiosk with your ID card.",
)
PRINT_SLIP = Option(PRINT, bi("打印办事指引", "Print what to bring"), bi("写明要带什么、到哪里办", "What to bring and where to go"))
PRINTING_SLIP = bi("正在打印办事指引", "Printing the guidance slip")
TAKE_SLIP = bi("从下方出纸口取走指引。", "Take the slip from the slot below.")
SLIP_NOT_PRINTED = bi("办事指引没有打印出来", "The slip was not printed")
SLIP_NOT_PRINTED_BODY = bi(
    "{problem}请记下：解锁要到服务窗口办理，咨询电话{hotline}。",
    "{problem}Please remember: unlocking is done at a service window. Hotline {hotline}.",
)

async def blocked_pin(port: FlowPort) -> str:
    """The PIN is blocked: what to bring to the window, and a slip that says it. ENDED or HOME."""
    services = port.services
    log.info("%s: the card's PIN is blocked", port.service)
    body = fill(PIN_LOCKED_BODY, guidance=services.policy.service("unlock").guidance)
    answer = await port.ask("notice", title=PIN_LOCKED, body=body, tone="warning", actions=[PRINT_SLIP, HOME_OPTION])
    if answer == PRINT:
        await print_guidance_slip(port, "unlock")
    return HOME if answer == HOME else ENDED


async def print_guidance_slip(port: FlowPort, service: str) -> bool:
    services = port.services
    job = guidance_slip_job(services.policy, service, services.config.outlet_id, services.now(), services.config.printer)
    hotline = services.policy.contacts.hotline
    return await print_until_done(
        port, job, PRINTING_SLIP, TAKE_SLIP, SLIP_NOT_PRINTED,
        lambda problem: fill(SLIP_NOT_PRINTED_BODY, problem=problem, hotline=hotline),
    )  # fmt: skip
