"""申领: applying for a new card at the kiosk, as seed 003 section 1.1 describes it.

Who is applying, their documents, the 1-inch photo, the bank, how to collect the card, a
mobile number, a last look at everything (masked), a signature; then the application is
stored, sent when the centre can be reached, and the voucher printed. Back goes one step
back; Home, the idle timeout or leaving end the flow, and everything the resident gave is
wiped (the Application's images are overwritten in `finally`).
"""

from __future__ import annotations

import logging
from typing import Awaitable, Callable

from kiosk.domain.application import (
    ON_SITE,
    OUTLET,
    POST,
    AddressSource,
    Application,
    InvalidPhone,
    Pickup,
    Position,
    Role,
    Source,
    helper_position,
    parse_mobile_phone,
)
from kiosk.domain.masking import mask_phone
from kiosk.domain.services import service as service_named
from kiosk.domain.postal_address import PostalAddress
from kiosk.drivers.status import ResultCode
from kiosk.flows.address_entry import ask_postal_address
from kiosk.flows.identify import BACK_OPTION, Purpose, identify
from kiosk.flows.plan import Stage, StepKind, progress_at, stage, stages
from kiosk.flows.port import FlowPort
from kiosk.flows.review import ROLE_LABELS, Revisit, Row, ask_review, role_label, shown_document, shown_name
from kiosk.flows.result import TAKE_ID_AND_VOUCHER, Finished, after_card_application, title
from kiosk.flows.steps import BACK, CONFIRM, ENDED, HOME, LEAVING, OK_OPTION, RETRY, RETRY_OPTION, SKIP, Option
from kiosk.flows.submission import Outcome, submit_and_print
from kiosk.flows.wording import fill
from kiosk.domain import glossary
from kiosk.i18n import Bilingual, bi

log = logging.getLogger(__name__)

NEXT = "next"  # a step is done: on to the following one
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

WHO = bi("给谁办卡？", "Who is the card for?")
ROLES = [
    Option(Role.SELF.value, glossary.FOR_MYSELF, bi("年满16周岁，本人带证件", "16 or older, with my own document")),
    Option(Role.MINOR.value, Bilingual(f"{glossary.FOR_MY_CHILD.zh}（不满16周岁）", f"{glossary.FOR_MY_CHILD.en} (under 16)"),
           bi("监护人带自己的身份证，和孩子的身份证或户口簿", "The guardian brings their ID card and the child's ID card or household register")),
    Option(Role.PROXY.value, Bilingual(f"{glossary.FOR_ANOTHER_ADULT.zh}（成年人）", glossary.FOR_ANOTHER_ADULT.en),
           bi("带上您的身份证和办卡人的证件", "Bring your ID card and the applicant's document")),
]  # fmt: skip
ROLE_NAMES = {Role(o.code): o.label for o in ROLES}

OUT_OF_SERVICE = bi("本机暂时不能办理", "This kiosk cannot take applications just now")
OUT_OF_SERVICE_BODY = bi("请到服务窗口办理。", "Please go to a service window.")

PHOTO_TITLE = bi("拍一张1寸照片", "Take a 1-inch photo")
PHOTO_OPTIONAL_TITLE = bi("给孩子拍1寸照片（可以不拍）", "A 1-inch photo of the child (you may skip it)")
CAMERA_GONE = bi("相机暂时不能用", "The camera is not working")
CAMERA_GONE_BODY = bi(
    "请找工作人员帮忙，或到服务窗口办理。", "Please ask the staff for help, or go to a service window."
)
SKIP_PHOTO = Option(SKIP, bi("不拍照片", "No photo"))

BANK = bi("选择发卡银行", "Choose the bank for your card")
BANK_NOTE = bi("社保卡同时是这家银行的银行卡。", "The card is also a bank card of this bank.")
PICKUP = bi("怎样领卡？", "How will you collect the card?")
# The three ways this flow knows, in its own words (a policy's notes on them may be about
# employer batches, e.g. Changshou's note on posting); any other method shows its policy note.
PICKUP_DETAILS = {
    ON_SITE: bi("拿凭证到窗口，现场制卡", "Take the voucher to the window: made while you wait"),
    OUTLET: bi("卡做好后，到您选的网点领", "Collect it at the outlet you choose when it is ready"),
    POST: bi("卡做好后寄给您", "Posted to you when it is ready"),
}
WHICH_OUTLET = bi("到哪个网点领卡？", "Where will you collect it?")
ADDRESS = bi("寄到哪里？", "Where should it be posted?")
ADDRESS_NOTE = bi(
    "写新地址：先选街道或乡镇，再手写或用拼音写门牌号。",
    "A new address: choose the street or town, then write the road and number by hand or in pinyin.",
)
ADDRESS_CHOICES = {
    AddressSource.ID_CARD: Option(AddressSource.ID_CARD.value, bi("用身份证上的地址", "The address on the ID card")),
    AddressSource.TYPED: Option(AddressSource.TYPED.value, bi("写一个地址", "Write an address")),
    AddressSource.AT_WINDOW: Option(AddressSource.AT_WINDOW.value, bi("到窗口告诉工作人员", "Tell the window staff")),
}

PHONE = bi("请输入手机号码", "Enter a mobile phone number")
PHONE_HINT = bi("卡做好后用它通知您。11位数字。", "We use it to tell you when the card is ready. 11 digits.")

REVIEW = bi("请核对您的信息", "Please check your details")
LABELS = {
    "service": bi("办理业务", "Service"),
    "role": bi("给谁办", "For"),
    "document": bi("证件", "Document"),
    "photo": bi("照片", "Photo"),
    "bank": bi("发卡银行", "Bank"),
    "pickup": bi("领卡方式", "Collect"),
    "phone": bi("手机号码", "Mobile"),
}
PHOTO_TAKEN = bi("已拍好", "Taken")
PHOTO_NONE = bi("不提供", "none")

SIGN = bi("请签名确认", "Please sign to confirm")
SIGN_STATEMENT = bi(
    "我确认以上信息真实，申领社会保障卡。", "I confirm that these details are true and apply for a social security card."
)
SIGN_AGAIN = bi("没有收到签名，请再签一次。", "No signature came through. Please sign again.")

DONE_BODY = bi("请拿好凭证。凭证号：{serial}", "Please take your voucher. Voucher number: {serial}")
DONE_NO_VOUCHER = bi(
    "申请已保存。请找工作人员补打凭证，凭证号：{serial}", "Your application is saved. Ask the staff to print your voucher: number {serial}"
)
TAKE_YOUR_THINGS = bi("请取走您的证件和凭证。", "Please take your documents and the voucher.")
NOT_UPLOADED = bi(
    "网络暂时不通，申请已保存在本机，会自动上传。", "The network is down just now: the application is kept here and will be sent by itself."
)

Step = Callable[[FlowPort, Application], Awaitable[str]]

# The plan the step strip shows (kiosk.flows.plan): 「第3步/共8步 · 拍照」.
STAGE_WHO = Stage(bi("给谁办", "Who for"), StepKind.CHOICE)
STAGE_DOCUMENT = Stage(bi("证件", "Document"), StepKind.DOCUMENT)
STAGE_HELPER_DOCUMENT = {
    Role.MINOR: (Stage(bi("监护人证件", "Guardian's document"), StepKind.DOCUMENT),
                 Stage(bi("孩子的证件", "Child's document"), StepKind.DOCUMENT)),
    Role.PROXY: (Stage(bi("代办人证件", "Your document"), StepKind.DOCUMENT),
                 Stage(bi("办卡人证件", "Applicant's document"), StepKind.DOCUMENT)),
}  # fmt: skip
STAGE_PHOTO = Stage(bi("拍照", "Photo"), StepKind.CAMERA)
STAGE_BANK = Stage(bi("银行", "Bank"), StepKind.CHOICE)
STAGE_PICKUP = Stage(bi("领卡方式", "Collecting"), StepKind.CHOICE)
STAGE_PHONE = Stage(bi("手机号码", "Mobile"), StepKind.TYPING)
STAGE_REVIEW = Stage(bi("核对", "Check"), StepKind.CHECK)
STAGE_SIGN = Stage(bi("签名", "Sign"), StepKind.CHECK)


async def apply_for_card(port: FlowPort) -> None:
    """The flow the home screen starts for service "apply"."""
    if getattr(port, "services", None) is None:
        await port.ask("notice", title=OUT_OF_SERVICE, body=OUT_OF_SERVICE_BODY, tone="error", actions=[OK_OPTION])
        return
    application = Application(service=port.service)
    port.session.set("application", application)
    try:
        if not await walk(port, application, STEPS):
            return
        outcome = await submit_and_print(port, application)
        if outcome is not None:
            await port.ask("done", **done_text(outcome, application))
    finally:
        application.wipe()


async def walk(port: FlowPort, application: Application, steps: tuple[Step, ...]) -> bool:
    """Run the steps in order, one back on BACK; False when the resident leaves or a step
    ended the flow (ENDED: its own screen said why). Before each step the port learns where
    it stands in the plan the steps declare (kiosk.flows.plan). A Revisit (修改 on the review)
    runs the step it names and then the step that asked again, whether the resident changed
    something there or pressed 上一步."""
    index = 0
    try:
        while index < len(steps):
            port.progress = progress_at(steps, index, application)
            result = await steps[index](port, application)
            if isinstance(result, Revisit):
                if result.step in steps:
                    port.progress = progress_at(steps, steps.index(result.step), application)
                result = await result.step(port, application)
                if result in (HOME, ENDED):
                    return False
                continue
            if result in (HOME, ENDED):
                return False
            if result == BACK:
                if index == 0:
                    return False
                index -= 1
            else:
                index += 1
        return True
    finally:
        port.progress = None  # storing, printing and the result are not steps of the plan


# --- the steps, in the order of the procedure --------------------------------------------


@stage(STAGE_WHO)
async def choose_who(port: FlowPort, application: Application) -> str:
    answer = await port.ask("choose", title=WHO, options=ROLES)
    if answer in LEAVING:
        return answer
    application.role = Role(answer)
    return NEXT


def document_stages(application: Application) -> tuple[Stage, ...]:
    """One document for oneself; the helper's, then the applicant's, for a child or another adult."""
    return STAGE_HELPER_DOCUMENT.get(application.role, (STAGE_DOCUMENT,))


@stages(document_stages)
async def identify_people(port: FlowPort, application: Application) -> str:
    """The guardian or proxy first (the person at the kiosk), then the applicant."""
    role = application.role
    helper_at = helper_position(role)
    first = port.progress
    while True:
        port.progress = first
        helper = None
        if helper_at is not None:
            helper = await identify(port, Purpose(role, helper_at))
            if helper in LEAVING:
                return helper
            port.progress = first.next() if first is not None else None
        applicant = await identify(port, Purpose(role, Position.APPLICANT, (helper,) if helper else ()))
        if applicant == BACK and helper is not None:
            continue  # back to the helper's card
        if applicant in LEAVING:
            return applicant
        application.set_helper(helper)
        application.applicant = applicant
        return NEXT


@stage(STAGE_PHOTO)
async def take_photo(port: FlowPort, application: Application) -> str:
    services = port.services
    optional = not application.photo_required
    while True:
        with services.photo_session() as session:
            first = await port.device(session.camera.capture, services.timeouts.camera_wait_s)
            if not first.ok and first.code is not ResultCode.CANCELLED:
                log.warning("camera: %s %s", first.code, first.reason)
                actions = [RETRY_OPTION, *([SKIP_PHOTO] if optional else []), BACK_OPTION]
                answer = await port.ask("notice", title=CAMERA_GONE, body=CAMERA_GONE_BODY, tone="error", actions=actions)
                if answer == RETRY:
                    continue
                if answer != SKIP:
                    return answer
            else:
                title = PHOTO_OPTIONAL_TITLE if optional else PHOTO_TITLE
                answer = await port.ask("photo", title=title, session=session, optional=optional)
        if answer in LEAVING:
            return answer
        if answer == SKIP:
            if not optional:
                continue  # an adult's photo is required: the screen should not have offered it
            application.photo = application.scene = None
            return NEXT
        if getattr(answer, "passed", False):
            application.photo = bytearray(answer.photo_jpeg)
            application.scene = bytearray(answer.scene_jpeg)
            return NEXT


@stage(STAGE_BANK)
async def choose_bank(port: FlowPort, application: Application) -> str:
    banks = port.services.policy.banks
    answer = await port.ask("choose", title=BANK, options=[Option(b.code, b.name) for b in banks], note=BANK_NOTE)
    if answer in LEAVING:
        return answer
    application.bank = answer
    return NEXT


@stage(STAGE_PICKUP)
async def choose_pickup(port: FlowPort, application: Application) -> str:
    policy = port.services.policy
    while True:
        options = [Option(m.code, m.name, PICKUP_DETAILS.get(m.code, m.note)) for m in policy.pickup_methods]
        method = await port.ask("choose", title=PICKUP, options=options)
        if method in LEAVING:
            return method
        if method == OUTLET and policy.outlets:
            pickup = await _choose_outlet(port)
        elif method == POST:
            pickup = await _postal_address(port, application)
        else:
            pickup = Pickup(method)
        if pickup == HOME:
            return HOME
        if pickup == BACK:
            continue
        application.pickup = pickup
        return NEXT


async def _choose_outlet(port: FlowPort) -> Pickup | str:
    policy = port.services.policy
    options = [Option(o.id, o.title(policy.name), Bilingual(o.address, o.address)) for o in policy.outlets]
    answer = await port.ask("choose", title=WHICH_OUTLET, options=options)
    return answer if answer in LEAVING else Pickup(OUTLET, outlet_id=answer)


async def _postal_address(port: FlowPort, application: Application) -> Pickup | str:
    on_card = application.applicant.address if application.applicant else None
    while True:
        choices = [c for source, c in ADDRESS_CHOICES.items() if source is not AddressSource.ID_CARD or on_card]
        answer = await port.ask("choose", title=ADDRESS, options=choices, note=ADDRESS_NOTE)
        if answer in LEAVING:
            return answer
        source = AddressSource(answer)
        if source is AddressSource.ID_CARD:
            return Pickup(POST, address=on_card, address_source=source)
        if source is AddressSource.AT_WINDOW:
            return Pickup(POST, address_source=source)
        written = await ask_postal_address(port)
        if written == HOME:
            return HOME
        if isinstance(written, PostalAddress):
            return Pickup(POST, address=written.text(), address_source=source)


@stage(STAGE_PHONE)
async def enter_phone(port: FlowPort, application: Application) -> str:
    def problem(text: str) -> Bilingual | None:
        try:
            parse_mobile_phone(text)
        except InvalidPhone as exc:
            return exc.reason
        return None

    while True:
        text = await port.ask("keypad", title=PHONE, keypad="phone", hint=PHONE_HINT, max_length=11, validate=problem)
        if text in LEAVING:
            return text
        try:
            application.phone = parse_mobile_phone(text)
            return NEXT
        except InvalidPhone as exc:
            answer = await port.ask("notice", title=PHONE, body=exc.reason, tone="warning", actions=[OK_OPTION])
            if answer == HOME:
                return HOME


def review_rows(port: FlowPort, application: Application) -> list[Row]:
    """What the resident checks, in the session's language: names read from a chip, the
    numbers and the phone masked; a typed name in full; the photo as a thumbnail; the
    holder and the person at the kiosk named by their roles."""
    policy = port.services.policy
    applicant, role = application.applicant, application.role
    rows: list[Row] = [
        (LABELS["service"], service_named(application.service).title),
        (LABELS["role"], ROLE_NAMES[role]),
        (role_label(role, Position.APPLICANT), shown_name(applicant)),
        (LABELS["document"], shown_document(applicant)),
    ]
    for position, helper in ((Position.GUARDIAN, application.guardian), (Position.PROXY, application.proxy)):
        if helper is not None:
            rows.append((role_label(role, position), f"{shown_name(helper)} {helper.masked_number}"))
    rows.append((LABELS["photo"], application.photo or PHOTO_NONE))  # the JPEG: a thumbnail
    rows.append((LABELS["bank"], policy.bank(application.bank).name))
    rows.append((LABELS["pickup"], pickup_text(policy, application.pickup)))
    rows.append((LABELS["phone"], mask_phone(application.phone)))
    return rows


def pickup_text(policy, pickup: Pickup) -> Bilingual:
    """The way of collecting, with the outlet's name (in Chinese, as on its sign) or where
    the address comes from."""
    where = policy.pickup_method(pickup.method).name
    if pickup.outlet_id:
        name = policy.outlet(pickup.outlet_id).name
        where = Bilingual(f"{where.zh}：{name}", f"{where.en}: {name}")
    if pickup.address_source is not None:
        source = ADDRESS_CHOICES[pickup.address_source].label
        where = Bilingual(f"{where.zh}：{source.zh}", f"{where.en}: {source.en}")
    return where


def review_changes(application: Application) -> dict[Bilingual, Step]:
    """The rows 「修改」 may change, and the step that asks for each. The role is not one of
    them: another role asks for other people (上一步 goes there)."""
    people = {role_label(application.role, position): identify_people for position in Position
              if (application.role, position) in ROLE_LABELS}  # fmt: skip
    return {**people, LABELS["document"]: identify_people, LABELS["photo"]: take_photo,
            LABELS["bank"]: choose_bank, LABELS["pickup"]: choose_pickup, LABELS["phone"]: enter_phone}  # fmt: skip


@stage(STAGE_REVIEW)
async def review(port: FlowPort, application: Application) -> str | Revisit:
    answer = await ask_review(port, REVIEW, review_rows(port, application), review_changes(application))
    return NEXT if answer == CONFIRM else answer


def signing(statement: Bilingual) -> Step:
    """The signature step, under the statement the resident signs (each service has its own)."""

    @stage(STAGE_SIGN)
    async def sign(port: FlowPort, application: Application) -> str:
        while True:
            answer = await port.ask("sign", title=SIGN, statement=statement)
            if answer in LEAVING:
                return answer
            if isinstance(answer, (bytes, bytearray)) and bytes(answer[:8]) == PNG_SIGNATURE:
                application.signature = bytearray(answer)
                return NEXT
            if await port.ask("notice", title=SIGN, body=SIGN_AGAIN, tone="warning", actions=[OK_OPTION]) == HOME:
                return HOME

    return sign


sign = signing(SIGN_STATEMENT)


STEPS: tuple[Step, ...] = (choose_who, identify_people, take_photo, choose_bank, choose_pickup, enter_phone, review, sign)


def done_text(
    outcome: Outcome, application: Application | None = None, finished: Finished | None = None, heading: Bilingual | None = None
) -> dict:
    """The result screen's words: how far it got (kiosk.flows.result; a card application by
    the way the card is collected, unless `finished` says), the next action, the voucher
    number, what to take; `heading` instead of the title that says how far it got."""
    voucher = outcome.sent.voucher
    next_action = None
    if finished is None:
        finished, next_action = after_card_application(application.pickup.method if application and application.pickup else None)
    body = fill(DONE_BODY if outcome.printed else DONE_NO_VOUCHER, serial=voucher.serial)
    extra = [take_away(application), *([voucher.fee] if voucher.fee else []), *voucher.next_steps]
    if not outcome.uploaded:
        extra.append(NOT_UPLOADED)
    return {"title": heading or title(finished), "next_action": next_action, "body": body, "extra": tuple(extra)}


def take_away(application: Application | None) -> Bilingual:
    """「请取走身份证和凭证」 when an ID card was read, else the documents in general."""
    read = application is not None and any(
        person is not None and person.source is Source.READER for person in (application.applicant, application.helper)
    )
    return TAKE_ID_AND_VOUCHER if read else TAKE_YOUR_THINGS
