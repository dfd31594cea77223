"""批量新办 · 批量补换: an employer's handler submits a package of people from a USB drive, as
seed 003 sections 1.2 and 3.2 describe it ("fill in and upload, then the card production
follows; keep the voucher for pickup").

The handler inserts the drive; the kiosk copies the package off it and checks every row,
with a count on screen. Every problem is shown at once, grouped by person, printed as a slip
on request, and written back to the drive as a marked-up copy of the sheet, so the clerk
fixes it at the office. Then the handler shows who they are (ID card, or social security
card and PIN), the employer is named (from the sheet's title, or its code typed), the
employer's letter (单位介绍信) is photographed, and the handler submits the people who passed,
or nobody. Everything is kept together, sent while the handler waits where the centre answers,
and the batch voucher printed: the batch serial, the employer, the handler (masked), how many
were submitted and left out, the date the cards are ready, pickup here with the handler's ID
card (or the employer's letter if the handler changes), and the 96 hours after pickup.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable

from kiosk.batch import BatchKind, PackageReport, check_package, write_marked_copy
from kiosk.batch.marked_copy import NothingToMark
from kiosk.domain.application import Identity, Position, Role, Source
from kiosk.domain.documents import DocumentKind
from kiosk.domain.employer import Employer, InvalidCreditCode, mask_credit_code, parse_credit_code
from kiosk.drivers.status import Detail, ResultCode
from kiosk.flows import apply_card
from kiosk.flows.apply_card import NEXT, walk
from kiosk.flows.batch_submission import BatchNotKept, EmployerBatch, HandlerProof, SentBatch, keep_batch, send_batch
from kiosk.flows.card_in_reader import insert_card
from kiosk.flows.identify import BACK_OPTION, Purpose, read_id_card
from kiosk.flows.pin_entry import verified_pin
from kiosk.flows.plan import Stage, StepKind, stage
from kiosk.flows.port import FlowPort
from kiosk.flows.printout import print_until_done
from kiosk.flows.record import print_voucher
from kiosk.flows.steps import BACK, CONFIRM, ENDED, HOME, HOME_OPTION, LEAVING, OK, OK_OPTION, RETRY, RETRY_OPTION, Option
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.database import StorageFull, StoreError
from kiosk.photo.document import document_jpeg
from kiosk.printing.batch_problems import problems_slip_job
from kiosk.printing.batch_voucher import batch_voucher_job

log = logging.getLogger(__name__)

# --- words -------------------------------------------------------------------------------------

INSERT = bi("请插入单位的U盘", "Please insert the employer's USB drive")
INSERT_BODY = bi(
    "把U盘插到屏幕下方的USB口。U盘里放报盘文件夹或压缩包（明细表和照片、身份证图片）。",
    "Put the drive into the USB port below the screen. It holds the package folder or .zip (the details sheet, photos and ID card images).",
)
NO_DRIVE = bi("没有等到U盘", "No drive was inserted")
NO_DRIVE_BODY = bi("请把U盘插好，再点“再试一次”。", "Insert the drive properly, then touch “Try again”.")
PORT_GONE = bi("本机的USB口暂时不能用", "This kiosk's USB port is not working")
PORT_GONE_BODY = bi("请找工作人员，或到服务窗口提交报盘。", "Please ask the staff, or hand in the package at a service window.")
UNREADABLE_DRIVE = bi("这个U盘读不出来", "This drive cannot be read")
UNREADABLE_DRIVE_BODY = bi(
    "本机只能读FAT32格式的U盘。请拔出U盘，在电脑上把它格式化为FAT32（或换一个U盘），放好报盘后再来。",
    "This kiosk reads drives formatted as FAT32 only. Take the drive out, format it as FAT32 on a computer (or use another drive), copy the package onto it, and come back.",
)
NO_PACKAGE = bi("U盘里没有找到报盘", "No package on the drive")
NO_PACKAGE_BODY = bi(
    "U盘最外层应该有一个文件夹或.zip压缩包，里面有明细表（.xlsx、.xls或.csv）和照片、身份证图片。请拔出U盘放好后再插入。",
    "The top of the drive should hold a folder or a .zip with the details sheet (.xlsx, .xls or .csv) and the images. Take the drive out, put the package on it, and insert it again.",
)
WHICH_PACKAGE = bi("U盘里有几个报盘，这次交哪一个？", "The drive holds several packages. Which one now?")
PACKAGE_DETAIL = bi("{files}个文件", "{files} files")
ZIP_DETAIL = bi("压缩包", "zip file")

COPYING = bi("正在读取U盘", "Reading the drive")
COPYING_BODY = bi("请不要拔出U盘。已读取 {done_mb} / {total_mb} MB", "Please do not take the drive out. Read {done_mb} of {total_mb} MB")
CHECKING = bi("正在检查报盘", "Checking the package")
CHECKING_BODY = bi("已检查 {done} / {total} 人，请稍等。", "Checked {done} of {total} people. Please wait.")
PULLED_OUT = bi("U盘被拔出了", "The drive was taken out")
PULLED_OUT_BODY = bi("读取还没完成，本次没有留下任何文件。请重新插入U盘。", "It was not read completely, and nothing of it was kept. Please insert the drive again.")
KIOSK_FULL = bi("本机存储空间不足", "This kiosk's storage is full")
KIOSK_FULL_BODY = bi(
    "报盘没有读取，本机没有留下任何文件。请找工作人员清理后再试，或到服务窗口提交。",
    "The package was not read and nothing of it was kept. Please ask the staff to make room, or hand it in at a service window.",
)
READ_FAILED = bi("U盘读取出错", "The drive could not be read")
READ_FAILED_BODY = bi("请拔出U盘，重新插入后再试一次。", "Take the drive out, insert it again and try once more.")

ALL_PASSED = bi("报盘检查通过", "The package passed every check")
ALL_PASSED_BODY = bi("明细表共{rows}人，全部通过检查。", "All {rows} people in the sheet passed the checks.")
PROBLEMS = bi("报盘有问题，请核对", "The package has problems")
PROBLEMS_SUMMARY = bi(
    "明细表共{rows}人：{ok}人通过检查，{bad}人有问题。",
    "{rows} people in the sheet: {ok} passed the checks, {bad} have problems.",
)
UNREADABLE_PACKAGE = bi("报盘读不了，没有人可以提交", "The package cannot be read: nobody can be submitted")
MARKED_WRITTEN = bi(
    "U盘里已另存一份标出问题的明细表：{name}。原来的文件没有改动。",
    "A copy of the sheet with the problems marked is now on the drive: {name}. The original files are unchanged.",
)
MARKED_NOT_WRITTEN = bi(
    "标出问题的明细表没能写回U盘（{why}）。请打印问题清单带回去。",
    "The marked copy of the sheet could not be written to the drive ({why}). Please print the list of problems and take it with you.",
)
WRITE_PROTECTED = bi("U盘有写保护", "the drive is write-protected")
DRIVE_FULL = bi("U盘满了", "the drive is full")
DRIVE_GONE = bi("U盘已拔出", "the drive was taken out")
DRIVE_TROUBLE = bi("U盘写入出错", "writing to the drive failed")
NO_SHEET_TO_MARK = bi("报盘里的明细表读不了", "the package's sheet could not be read")
PACKAGE_ROW = bi("整个报盘", "The whole package")
PERSON_ROW = bi("第{row}行 {name}", "Row {row}: {name}")
PRINT_SLIP = "print"
SUBMIT_PASSED = "submit"
PRINT_OPTION = Option(PRINT_SLIP, bi("打印问题清单", "Print the list of problems"))
GO_ON_OPTION = Option(SUBMIT_PASSED, bi("继续，提交通过的人", "Go on and submit those who passed"))
FINISH_OPTION = Option(HOME, bi("结束，改好后再来", "Finish; come back once it is fixed"))
SLIP_PRINTING = bi("正在打印问题清单", "Printing the list of problems")
SLIP_PRINTING_BODY = bi("清单从下方出纸口出来，请拿好。", "The list comes out of the slot below. Please take it.")
SLIP_NOT_PRINTED = bi("问题清单没有打印出来", "The list was not printed")

HOW_IDENTIFY = bi("经办人用什么证明身份？", "How will the handler show who they are?")
BY_ID_CARD, BY_CARD = "id_card", "card"
IDENTIFY_OPTIONS = [
    Option(BY_ID_CARD, bi("经办人的身份证", "The handler's ID card"), bi("放在读卡区", "Placed on the card reader")),
    Option(BY_CARD, bi("经办人的社保卡和密码", "The handler's social security card and PIN"), bi("插入社保卡，输入密码", "Insert the card and enter its PIN")),
]  # fmt: skip
HANDLER_PURPOSE = Purpose(Role.SELF, Position.APPLICANT, whose_text=bi("经办人（您）的身份证", "your ID card (the handler)"))

EMPLOYER = bi("是这家单位吗？", "Is this the employer?")
EMPLOYER_FROM_TITLE = bi("{name}（统一社会信用代码 {code}）", "{name} (unified social credit code {code})")
THIS_EMPLOYER = "this"
OTHER_EMPLOYER = Option("other", bi("不是，输入统一社会信用代码", "No: type the unified social credit code"))
ENTER_CODE = bi("请输入单位的统一社会信用代码", "Enter the employer's unified social credit code")
ENTER_CODE_HINT = bi("18位数字和字母，在营业执照上。", "18 digits and letters, on the business licence.")

LETTER = bi("请拍单位介绍信", "Photograph the employer's letter")
LETTER_BODY = bi(
    "把盖了公章的单位介绍信正面朝上放在摄像头前，整页都在框里，再点“拍照”。",
    "Hold the letter with the official seal up to the camera, the whole page inside the frame, then touch “Take photo”.",
)
CAMERA_GONE = bi("摄像头暂时不能用", "The camera is not working")
CAMERA_GONE_BODY = bi("单位介绍信拍不了。请找工作人员，或到服务窗口提交。", "The letter cannot be photographed. Please ask the staff, or go to a service window.")

SUBMIT = bi("提交哪些人？", "Whom do you submit?")
SUBMIT_NOTE = bi(
    "单位：{employer}；经办人：{handler}。有问题的人这次不提交，改好后再来。",
    "Employer: {employer}; handler: {handler}. People with problems are not submitted now; fix them and come back.",
)
SUBMIT_ALL = bi("提交全部{ok}人", "Submit all {ok} people")
SUBMIT_SOME = bi("提交通过检查的{ok}人", "Submit the {ok} who passed")
LEAVE_OUT = bi("不提交有问题的{bad}人", "The {bad} with problems are left out")
SUBMIT_NONE = Option(HOME, bi("这次都不提交", "Submit nobody now"))

KEEPING = bi("正在保存", "Saving")
KEEPING_BODY = bi("已保存 {done} / {total} 人，请稍等。", "Saved {done} of {total} people. Please wait.")
SENDING = bi("正在上传到社保中心", "Sending to the card centre")
SENDING_BODY = bi("已上传 {done} / {total} 份，请稍等。", "Sent {done} of {total}. Please wait.")
NOT_KEPT = bi("批量申请没有保存", "The batch was not saved")
FULL_BODY = bi(
    "本机存储空间不足，这一批一个人也没有保存，也不会上传。请找工作人员清理后再提交，或到服务窗口办理。",
    "This kiosk's storage is full: nobody of this batch was kept, and nothing will be sent. Please ask the staff to make room, then submit again, or go to a service window.",
)
STORE_BODY = bi(
    "本机暂时不能保存，这一批一个人也没有保存，也不会上传。请到服务窗口办理，或稍后再来。",
    "This kiosk cannot save just now: nobody of this batch was kept, and nothing will be sent. Please go to a service window, or come back later.",
)

DONE = bi("批量申请已提交", "The batch is submitted")
DONE_BODY = bi("请拿好批量业务凭证，凭证号：{serial}", "Please take the batch voucher. Voucher number: {serial}")
DONE_NO_VOUCHER = bi("批量申请已保存。请找工作人员补打凭证，凭证号：{serial}", "The batch is saved. Ask the staff to print the voucher: number {serial}")
NOT_UPLOADED = bi("网络暂时不通，这一批已保存在本机，会自动上传。", "The network is down just now: the batch is kept here and will be sent by itself.")
TAKE_DRIVE = bi("请取走您的U盘和证件。", "Please take your drive and your documents with you.")
NOTHING_SUBMITTED = bi("这次没有提交", "Nothing was submitted")
NOTHING_SUBMITTED_BODY = bi("改好明细表后再来提交。请取走您的U盘。", "Fix the sheet and come back to submit. Please take your drive with you.")

Step = Callable[[FlowPort, EmployerBatch], Awaitable[str]]
WAIT_S = 120.0  # for the drive to be inserted
BYTES_PER_MB = 1 << 20
WORK_FOLDER = "batch-work"  # under the data dir; emptied at the end of each visit and at the start of the next
MARKED_FOLDER = ".marked"  # inside the private copy (the checker skips marked copies by name)


# --- the flow ----------------------------------------------------------------------------------


async def run(port: FlowPort) -> None:
    """The flow the home screen starts for 批量新办 (batch_new) and 批量补换 (batch_replace)."""
    if getattr(port, "services", None) is None:
        await port.ask("notice", title=apply_card.OUT_OF_SERVICE, body=apply_card.OUT_OF_SERVICE_BODY, tone="error", actions=[OK_OPTION])
        return
    batch = EmployerBatch(BatchKind.REPLACE if port.service == BatchKind.REPLACE.service_code else BatchKind.NEW)
    try:
        if not await walk(port, batch, STEPS):
            return
        sent = await keep_and_send(port, batch)
        if sent is not None:
            printed = await print_voucher(port, sent.voucher, layout=batch_voucher_job)
            await port.ask("done", title=DONE, **done_text(sent, printed))
    finally:
        batch.wipe()


async def counted(port: FlowPort, title: Bilingual, body: Bilingual, picture: str, operation: Callable[..., Any],
                  *args: Any, scale: int = 1, **kwargs: Any) -> Any:  # fmt: skip
    """`operation(*args, progress=…)` off the UI thread, with its count on the wait screen
    (`body` gets {done} and {total}, or {done_mb} and {total_mb} with `scale`)."""
    seen = [0, 0]

    def progress(done: int, total: int) -> None:
        seen[:] = [done, total]

    task = asyncio.ensure_future(port.device(operation, *args, progress=progress, **kwargs))
    shown: tuple[int, int] | None = None
    while True:
        if tuple(seen) != shown:
            shown = (seen[0], seen[1])
            values = {"done": shown[0], "total": shown[1]} if scale == 1 else {
                "done_mb": round(shown[0] / scale, 1), "total_mb": round(shown[1] / scale, 1)}  # fmt: skip
            await port.show("wait", title=title, body=fill(body, **values), picture=picture)
        finished, _ = await asyncio.wait({task}, timeout=0.25)
        if finished:
            return task.result()


def work_root(services) -> Path:
    """Where packages are copied while they are checked and submitted: the kiosk's own disk."""
    return services.config.data_dir / WORK_FOLDER


def clear_leftovers(root: Path, cancel=None) -> None:
    """Copies a crash or a power cut left behind (one flow runs at a time: none is in use)."""
    if root.is_dir():
        for left in root.iterdir():
            shutil.rmtree(left, ignore_errors=True) if left.is_dir() else left.unlink(missing_ok=True)


async def notice(port: FlowPort, title: Bilingual, body: Bilingual, tone: str, actions: list[Option]) -> str:
    return await port.ask("notice", title=title, body=body, tone=tone, actions=actions)


# --- the steps, in the order of the procedure ----------------------------------------------------


# The plan the step strip shows (kiosk.flows.plan); copying and checking are waits, no step.
STAGE_DRIVE = Stage(bi("插入U盘", "USB drive"), StepKind.DOCUMENT)
STAGE_PROBLEMS = Stage(bi("检查结果", "Check result"), StepKind.CHECK)
STAGE_HANDLER = Stage(bi("经办人证件", "Your document"), StepKind.DOCUMENT)
STAGE_EMPLOYER = Stage(bi("单位", "Employer"), StepKind.TYPING)
STAGE_LETTER = Stage(bi("单位证明", "Employer's letter"), StepKind.CAMERA)
STAGE_SUBMIT = Stage(bi("提交", "Submit"), StepKind.CHOICE)


@stage(STAGE_DRIVE)
async def insert_drive(port: FlowPort, batch: EmployerBatch) -> str:
    """The drive in, and the package on it chosen."""
    drive = port.services.usb_drive
    batch.forget_package()
    await port.device(clear_leftovers, work_root(port.services))
    if drive is None:  # a terminal without the drive fitted
        await notice(port, PORT_GONE, PORT_GONE_BODY, "error", [OK_OPTION])
        return ENDED
    while True:
        await port.show("wait", title=INSERT, body=INSERT_BODY, picture="usb_drive")
        waited = await port.device(drive.wait_for_drive, timeout=WAIT_S)
        if waited.code is ResultCode.CANCELLED:
            return HOME
        if not waited.ok:
            log.info("%s: no drive: %s %s", port.service, waited.code, waited.reason)
            if waited.code is ResultCode.NO_DEVICE:
                await notice(port, PORT_GONE, PORT_GONE_BODY, "error", [OK_OPTION])
                return ENDED
            title, body = (UNREADABLE_DRIVE, UNREADABLE_DRIVE_BODY) if waited.code is ResultCode.INVALID_DATA else (NO_DRIVE, NO_DRIVE_BODY)
            if waited.code is ResultCode.INVALID_DATA:
                await port.device(drive.wait_for_removal)  # the same drive would only be refused again
            if await notice(port, title, body, "warning", [RETRY_OPTION, HOME_OPTION]) != RETRY:
                return HOME
            continue
        listed = await port.device(drive.packages)
        packages = listed.value if listed.ok else []
        if len(packages) == 1:
            batch.package = packages[0]
            return NEXT
        if len(packages) > 1:
            options = [Option(p.path, bi(p.name, p.name), ZIP_DETAIL if p.is_zip else fill(PACKAGE_DETAIL, files=p.files)) for p in packages]
            chosen = await port.ask("choose", title=WHICH_PACKAGE, options=options)
            if chosen in LEAVING:
                return chosen
            batch.package = next(p for p in packages if p.path == chosen)
            return NEXT
        log.info("%s: no package on the drive (%s)", port.service, listed.reason or "none found")
        await port.device(drive.wait_for_removal)
        if await notice(port, NO_PACKAGE, NO_PACKAGE_BODY, "warning", [RETRY_OPTION, HOME_OPTION]) != RETRY:
            return HOME


async def check_the_package(port: FlowPort, batch: EmployerBatch) -> str:
    """Copied off the drive into the kiosk's private folder, then checked row by row."""
    services = port.services
    drive = services.usb_drive
    work = work_root(services) / uuid.uuid4().hex
    copied = await counted(port, COPYING, COPYING_BODY, "usb_drive", drive.copy_package, batch.package, work, scale=BYTES_PER_MB)
    if copied.code is ResultCode.CANCELLED:
        return HOME
    if not copied.ok:
        log.info("%s: package not copied: %s %s", port.service, copied.code, copied.reason)
        if copied.detail.get(Detail.DISK_FULL):
            await notice(port, KIOSK_FULL, KIOSK_FULL_BODY, "error", [OK_OPTION])
            return ENDED
        title, body = (PULLED_OUT, PULLED_OUT_BODY) if copied.code is ResultCode.MEDIA_REMOVED else (READ_FAILED, READ_FAILED_BODY)
        answer = await notice(port, title, body, "warning", [RETRY_OPTION, HOME_OPTION])
        return BACK if answer == RETRY else HOME  # back to inserting the drive
    batch.work_dir = work
    report: PackageReport = await counted(
        port, CHECKING, CHECKING_BODY, "usb_drive", check_package, copied.value,
        kind=batch.kind, policy=services.policy, today=services.now().date(),
    )  # fmt: skip
    batch.report = report
    log.info("%s: package checked: %d rows, %d passed, %d problems", port.service, report.rows, report.ok, len(report.problems))
    return NEXT


@stage(STAGE_PROBLEMS)
async def show_problems(port: FlowPort, batch: EmployerBatch) -> str:
    """Every problem at once, grouped by person; the marked-up sheet written back to the drive;
    the slip printed on request. Nobody passed: the visit ends here."""
    report = batch.report
    if report.all_passed:
        answer = await notice(port, ALL_PASSED, fill(ALL_PASSED_BODY, rows=report.rows), "info", [Option(OK, GO_ON_OPTION.label), HOME_OPTION])
        return NEXT if answer == OK else answer
    written = await write_back(port, batch)
    bad = report.rows - report.ok
    summary = fill(PROBLEMS_SUMMARY, rows=report.rows, ok=report.ok, bad=bad) if report.readable else UNREADABLE_PACKAGE
    actions = [PRINT_OPTION, *([GO_ON_OPTION] if report.ok else []), FINISH_OPTION]
    while True:
        answer = await port.ask("batch_problems", title=PROBLEMS, summary=summary, note=written,
                                groups=problem_groups(report), actions=actions)  # fmt: skip
        if answer == PRINT_SLIP:
            await print_slip(port, batch)
            continue
        if answer == SUBMIT_PASSED:
            return NEXT
        if answer == BACK:
            return BACK
        return ENDED if answer == HOME and report.ok == 0 else HOME


def problem_groups(report: PackageReport) -> list[tuple[Bilingual, list[Bilingual]]]:
    """(heading, messages) per person in row order, the package's own first; names masked."""
    groups = []
    for person, problems in report.by_person():
        heading = PACKAGE_ROW if person is None else fill(PERSON_ROW, row=person.row, name=masked_name(person.name))
        groups.append((heading, [_with_column(p) for p in problems]))
    return groups


def masked_name(name: str) -> str:
    from kiosk.domain.masking import mask_name

    return mask_name(name) if name else "—"


def _with_column(found) -> Bilingual:
    if not found.column:
        return found.message
    return Bilingual(f"【{found.column}】{found.message.zh}", f"[{found.column}] {found.message.en}")


async def write_back(port: FlowPort, batch: EmployerBatch) -> Bilingual:
    """The marked-up copy beside the package on the drive; what to tell the handler about it."""
    drive = port.services.usb_drive
    try:
        local = await port.device(_marked_copy, batch)
    except NothingToMark:  # the package could not be read as far as its sheet: nothing to mark
        return fill(MARKED_NOT_WRITTEN, why=NO_SHEET_TO_MARK)
    written = await port.device(drive.put_back, local, batch.package)
    if written.ok:
        batch.marked_copy = written.value
        log.info("%s: marked copy written back to the drive", port.service)
        return fill(MARKED_WRITTEN, name=written.value.rsplit("/", 1)[-1])
    log.info("%s: marked copy not written back: %s %s", port.service, written.code, written.reason)
    if written.detail.get(Detail.WRITE_PROTECTED):
        why = WRITE_PROTECTED
    elif written.detail.get(Detail.DISK_FULL):
        why = DRIVE_FULL
    elif written.code in (ResultCode.MEDIA_REMOVED, ResultCode.NO_MEDIA):
        why = DRIVE_GONE
    else:
        why = DRIVE_TROUBLE
    return fill(MARKED_NOT_WRITTEN, why=why)


def _marked_copy(batch: EmployerBatch, cancel=None):
    """Written inside the private copy's folder, which goes with it at the end of the visit."""
    folder = batch.work_dir / MARKED_FOLDER
    folder.mkdir(exist_ok=True)
    return write_marked_copy(batch.report, folder)


async def print_slip(port: FlowPort, batch: EmployerBatch) -> bool:
    services = port.services
    job = problems_slip_job(batch.package.name, batch.report, problem_groups(batch.report), services.now(), services.config.printer)
    return await print_until_done(port, job, SLIP_PRINTING, SLIP_PRINTING_BODY, SLIP_NOT_PRINTED, lambda problem: problem)


@stage(STAGE_HANDLER)
async def identify_handler(port: FlowPort, batch: EmployerBatch) -> str:
    """The handler's ID card, or their social security card and its PIN (seed 003 1.2.1)."""
    while True:
        how = await port.ask("choose", title=HOW_IDENTIFY, options=IDENTIFY_OPTIONS)
        if how in LEAVING:
            return how
        if how == BY_ID_CARD:
            handler = await read_id_card(port, HANDLER_PURPOSE)
            proof = HandlerProof.ID_CARD
        else:
            handler = await _card_and_pin(port)
            proof = HandlerProof.SOCIAL_SECURITY_CARD
        if handler == HOME:
            return HOME
        if isinstance(handler, Identity):
            batch.handler, batch.handler_proof = handler, proof
            return NEXT


async def _card_and_pin(port: FlowPort) -> Identity | str:
    card = await insert_card(port)
    if isinstance(card, str):
        return card
    pin = await verified_pin(port)
    if isinstance(pin, str):
        return pin
    return Identity(DocumentKind.RESIDENT_ID, card.social_security_number, card.name, Source.READER, birth_date=card.birth_date)


@stage(STAGE_EMPLOYER)
async def name_the_employer(port: FlowPort, batch: EmployerBatch) -> str:
    """The employer from the sheet's title, confirmed; else its code typed (the name then comes
    from the centre's register: the screen keyboard types no Chinese)."""
    report = batch.report
    if report.employer_credit_code:
        name = report.employer_name or ""
        shown = fill(EMPLOYER_FROM_TITLE, name=name or "—", code=mask_credit_code(report.employer_credit_code))
        answer = await port.ask("choose", title=EMPLOYER, options=[Option(THIS_EMPLOYER, shown), OTHER_EMPLOYER])
        if answer in LEAVING:
            return answer
        if answer == THIS_EMPLOYER:
            batch.employer = Employer(name, report.employer_credit_code)
            return NEXT
    while True:
        typed = await port.ask("keypad", title=ENTER_CODE, keypad="text", hint=ENTER_CODE_HINT, max_length=24, validate=_code_problem)
        if typed in LEAVING:
            return typed
        try:
            batch.employer = Employer("", parse_credit_code(typed))
            return NEXT
        except InvalidCreditCode as exc:
            if await notice(port, ENTER_CODE, exc.reason, "warning", [OK_OPTION]) == HOME:
                return HOME


def _code_problem(text: str) -> Bilingual | None:
    try:
        parse_credit_code(text)
    except InvalidCreditCode as exc:
        return exc.reason
    return None


@stage(STAGE_LETTER)
async def photograph_letter(port: FlowPort, batch: EmployerBatch) -> str:
    """The employer's letter (单位介绍信) through the camera, as it is: no face checks."""
    services = port.services
    while True:
        with services.photo_session() as session:
            answer = await port.ask("document_photo", title=LETTER, body=LETTER_BODY, session=session)
            if answer in LEAVING:
                return answer
            frame = await port.device(session.camera.capture, services.timeouts.camera_wait_s)
        if frame.ok:
            batch.letter = bytearray(document_jpeg(frame.value.image))
            return NEXT
        log.warning("%s: camera: %s %s", port.service, frame.code, frame.reason)
        if await notice(port, CAMERA_GONE, CAMERA_GONE_BODY, "error", [RETRY_OPTION, BACK_OPTION]) != RETRY:
            return BACK


@stage(STAGE_SUBMIT)
async def choose_whom_to_submit(port: FlowPort, batch: EmployerBatch) -> str:
    report = batch.report
    bad = report.rows - report.ok
    employer = batch.employer.name or batch.employer.masked_code
    note = fill(SUBMIT_NOTE, employer=employer, handler=batch.handler.masked_name)
    go = Option(CONFIRM, fill(SUBMIT_SOME if bad else SUBMIT_ALL, ok=report.ok), fill(LEAVE_OUT, bad=bad) if bad else None)
    answer = await port.ask("choose", title=SUBMIT, options=[go, SUBMIT_NONE], note=note)
    if answer == CONFIRM:
        return NEXT
    if answer == HOME:
        await notice(port, NOTHING_SUBMITTED, NOTHING_SUBMITTED_BODY, "info", [OK_OPTION])
        return ENDED
    return answer


STEPS: tuple[Step, ...] = (
    insert_drive, check_the_package, show_problems, identify_handler, name_the_employer,
    photograph_letter, choose_whom_to_submit,
)  # fmt: skip


# --- kept, sent, printed -------------------------------------------------------------------------


async def keep_and_send(port: FlowPort, batch: EmployerBatch) -> SentBatch | None:
    """Everyone kept together, then sent while the handler waits; None when nothing was kept
    (the handler was told why)."""
    services = port.services
    people = len(batch.passed)
    try:
        kept = await counted(port, KEEPING, KEEPING_BODY, "network", keep_batch, services, batch)
    except BatchNotKept as exc:
        log.error("%s: batch not kept: %s", port.service, exc)
        await notice(port, NOT_KEPT, exc.reason, "error", [OK_OPTION])
        return None
    except StoreError as exc:
        log.error("%s: batch of %d not kept: %s", port.service, people, exc)
        await notice(port, NOT_KEPT, FULL_BODY if isinstance(exc, StorageFull) else STORE_BODY, "error", [OK_OPTION])
        return None
    sent = await counted(port, SENDING, SENDING_BODY, "network", send_batch, services, kept)
    log.info("%s: batch %s kept (%d items), %d sent now", port.service, kept.serial, len(kept.items), sent.sent)
    return sent


def done_text(sent: SentBatch, printed: bool) -> dict:
    voucher = sent.voucher
    body = fill(DONE_BODY if printed else DONE_NO_VOUCHER, serial=voucher.serial)
    extra = [TAKE_DRIVE, *voucher.next_steps]
    if not sent.uploaded:
        extra.append(NOT_UPLOADED)
    return {"body": body, "extra": tuple(extra)}

