"""信息变更: the cardholder changes the postal address and/or mobile phone the card centre has
for them (seed 003 section 4: non-key data; a kiosk may offer what the window does).

Only the holder, in person (4.1 names no proxy): someone acting for another is told so. The
holder shows the ID card, or the social security card with its PIN. The centre's record is
shown masked until the holder asks to see it in full. Then what to change: the address (the
district and street picked, the rest handwritten), the phone (typed twice), or both; key
data (name, ID number, sex, birth date, nation) is the window's, and a slip says what to
bring there. A last look, a signature, and the change is kept and sent like every record
(kiosk.flows.record), with a voucher. When the centre cannot be reached the change is kept
and sent later; walking away at any step wipes what was entered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.application import Identity, Source
from kiosk.domain.contact_details import Detail, IdentifiedBy, address_parts, address_problem, mask_address, phone_problem
from kiosk.domain.documents import DocumentKind
from kiosk.domain.masking import mask_phone
from kiosk.domain.postal_address import PostalAddress
from kiosk.flows import apply_card
from kiosk.flows.address_entry import ask_postal_address
from kiosk.flows.apply_card import NEXT, walk
from kiosk.flows.plan import Stage, StepKind, stage
from kiosk.flows.result import Finished
from kiosk.flows.card_in_reader import HOLDER, insert_card
from kiosk.flows.centre_calls import ask_centre, centre_refused
from kiosk.flows.identify import BACK_OPTION, read_id_card
from kiosk.flows.on_behalf import FOR_SOMEONE, whose_card
from kiosk.flows.pin_entry import verified_pin
from kiosk.flows.port import FlowPort
from kiosk.flows.review import Revisit, Row, ask_review, shown_document, shown_name
from kiosk.flows.record import NotSaved, Record, keep_and_send, print_voucher
from kiosk.flows.steps import BACK, CONFIRM, ENDED, HOME, HOME_OPTION, LEAVING, OK, OK_OPTION, Option
from kiosk.flows.submission import Outcome
from kiosk.flows.window_guidance import PRINT, PRINT_SLIP, print_guidance_slip
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.outbox import Attachment, Kind

log = logging.getLogger(__name__)

SERVICE = "info_change"
KEY_DATA_SERVICE = "key_info_change"  # window-only: what to bring is in the region policy

# --- words ---------------------------------------------------------------------------------

HOLDER_ONLY = bi("信息变更只能本人办理", "Only the cardholder can change their details")
HOLDER_ONLY_BODY = bi(
    "按照社保卡业务经办规程（4.1），变更地址和电话要持卡人本人带社保卡或身份证来办，不能代办。请持卡人本人来本机或服务窗口办理。",
    "The card procedure (4.1) lets only the cardholder change the address or phone, with their own card or ID card; nobody can do it for them. Please ask the cardholder to come to a kiosk or a service window.",
)
HOW_IDENTIFY = bi("您用什么证明身份？", "How will you show who you are?")
IDENTIFY_OPTIONS = [
    Option(IdentifiedBy.ID_CARD.value, bi("身份证", "My ID card"), bi("放在读卡区", "Place it on the ID card reader")),
    Option(IdentifiedBy.CARD_AND_PIN.value, bi("社保卡和密码", "My social security card and its PIN"),
           bi("插入社保卡，输入密码", "Insert the card and enter its PIN")),
]  # fmt: skip

ON_RECORD = bi("社保中心登记的地址和电话", "The address and phone the card centre has")
ON_RECORD_FULL = bi("您登记的完整地址和电话", "Your full address and phone on record")
ON_RECORD_BODY = bi("地址：{address}\n手机：{phone}", "Address: {address}\nMobile: {phone}")
MASKED_NOTE = bi("为保护您的信息，部分内容用*号遮住了。", "Part of it is hidden with * to protect your details.")
NONE_ON_RECORD = bi("没有登记", "none on record")
SHOW_IN_FULL = Option("show", bi("显示完整信息", "Show it in full"), bi("请确认旁边没有别人", "Make sure nobody is looking"))
CHANGE_SOMETHING = Option(OK, bi("我要变更", "Change something"))
OFFLINE = bi("现在连不上社保中心", "The card centre cannot be reached just now")
OFFLINE_BODY = bi(
    "本机看不到您登记的地址和电话。可以继续办：变更先保存在本机，连上后自动发送。",
    "This kiosk cannot see the address and phone on record. You can go on: the change is kept here and sent by itself later.",
)
GO_ON = Option(OK, bi("继续办理", "Go on"))
NO_CARD = bi("社保中心没有您的社保卡记录", "The card centre has no card of yours")
NO_CARD_BODY = bi(
    "信息变更只能给已经办了社保卡的人办理。有疑问请到服务窗口，或拨打{hotline}。",
    "Details can only be changed for someone who has a card. If in doubt, go to a service window or call {hotline}.",
)
CENTRE_REFUSED_WHY = bi("社保中心查不到您登记的信息。", "The card centre could not show your details on record. ")

WHAT = bi("您要变更什么？", "What would you like to change?")
ADDRESS_ONLY, PHONE_ONLY, BOTH, KEY_DATA = "address", "phone", "both", "key_data"
CHOICES = {ADDRESS_ONLY: frozenset({Detail.ADDRESS}), PHONE_ONLY: frozenset({Detail.PHONE}), BOTH: frozenset(Detail)}
WHAT_OPTIONS = [
    Option(ADDRESS_ONLY, bi("通讯地址", "My postal address"), bi("选区县和街道，再手写路名门牌", "Pick the district and street, then write the rest")),
    Option(PHONE_ONLY, bi("手机号码", "My mobile phone")),
    Option(BOTH, bi("地址和手机号码都改", "Both the address and the phone")),
    Option(KEY_DATA, bi("姓名、身份证号码等", "My name, ID number or other key details"), bi("要到窗口办理", "Done at a service window")),
]  # fmt: skip
KEY_DATA_TITLE = bi("姓名等关键信息要到窗口变更", "Key details are changed at a service window")
KEY_DATA_BODY = bi("本机只能变更地址和电话。{guidance}", "This kiosk changes only the address and phone. {guidance}")
CHANGE_OTHER = Option(BACK, bi("改地址或电话", "Change the address or phone instead"))

NOTHING_CHANGED = bi("没有变化", "Nothing changed")
ADDRESS_NOT_TAKEN = bi("地址不能这样保存", "This address cannot be kept")
NEW_PHONE = bi("请输入新的手机号码", "Enter your new mobile number")
NEW_PHONE_HINT = bi("11位数字。社保中心用它通知您。", "11 digits. The card centre uses it to reach you.")
PHONE_AGAIN = bi("请再输入一次新的手机号码", "Enter the new mobile number again")
PHONE_AGAIN_HINT = bi("和刚才输入的一样，确认没有按错。", "The same as before, to be sure no key was missed.")
PHONE_NOT_TAKEN = bi("手机号码不对", "This mobile number cannot be used")
PHONES_DIFFER = bi("两次输入的号码不一样", "The two numbers are not the same")
PHONES_DIFFER_BODY = bi("请重新输入新的手机号码。", "Please enter the new number again.")

REVIEW = bi("请核对变更的信息", "Please check the change")
LABELS = {
    "holder": bi("持卡人", "Cardholder"),
    "document": bi("证件", "Document"),
    "identified": bi("身份核验", "Identified by"),
    Detail.ADDRESS: bi("新地址", "New address"),
    Detail.PHONE: bi("新手机号码", "New mobile"),
}
IDENTIFIED_WORDS = {
    IdentifiedBy.ID_CARD: bi("身份证", "ID card"),
    IdentifiedBy.CARD_AND_PIN: bi("社保卡和密码", "card and PIN"),
}
SIGN_STATEMENT = bi(
    "我是持卡人本人，确认以上变更信息真实，申请变更。", "I am the cardholder. I confirm these details are true and ask for them to be changed."
)

# The voucher and the done screen.
CHANGED_STEP = bi("变更了：{what}", "Changed: {what}")
DETAIL_WORDS = {Detail.ADDRESS: bi("通讯地址", "postal address"), Detail.PHONE: bi("手机号码", "mobile phone")}
ADDRESS_STEP = bi("新地址：{address}", "New address: {address}")
PHONE_STEP = bi("新手机号码：{phone}", "New mobile: {phone}")
IN_EFFECT = bi(
    "社保中心收到后就按新的信息联系您，不用再到窗口。", "Once the card centre has it, it uses the new details to reach you; no need to visit a window."
)
DONE = bi("变更已提交", "Your change is handed in")
NOT_SAVED = bi("变更没有保存", "The change was not saved")
NOT_SAVED_BODY = bi(
    "本机暂时不能保存，您的地址和电话没有变更，也没有留下。请到服务窗口办理，或稍后再来。",
    "This kiosk cannot save anything just now: nothing was changed and nothing of yours was kept. Please go to a service window, or come back later.",
)
NOT_ACCEPTED = bi("社保中心没有受理这次变更", "The card centre did not accept this change")
NOT_ACCEPTED_BODY = bi(
    "请带身份证和社保卡到服务窗口办理。工作人员已经收到提醒。", "Please take your ID card and card to a service window. The staff have been alerted."
)


@dataclass(frozen=True)
class OnRecord:
    """What the centre has (docs/centre-api.yaml, ContactRecord); ValueError for an answer
    that is not one."""

    address: str | None
    phone: str | None

    @classmethod
    def from_reply(cls, data: dict[str, Any]) -> OnRecord:
        address, phone = data.get("address"), data.get("phone")
        if not (address is None or (isinstance(address, str) and address.strip())):
            raise ValueError("the address on record is not text")
        if not (phone is None or (isinstance(phone, str) and phone_problem(phone) is None)):
            raise ValueError("the phone on record is not a mobile number")
        return cls(address, phone)


@dataclass(repr=False)
class ContactChange:
    """What the holder asked to change; wiped when the flow ends, however it ends."""

    holder: Identity | None = None
    identified_by: IdentifiedBy | None = None
    card_number: str | None = None  # the card that checked the PIN
    on_record: OnRecord | None = None  # None: the centre could not be asked
    details: frozenset[Detail] = frozenset()
    address: PostalAddress | None = None
    phone: str | None = None
    signature: bytearray = field(default_factory=bytearray)

    def payload(self, *, outlet_id: str, terminal_id: str) -> dict[str, Any]:
        """The body of `POST /v1/contact-changes` (docs/centre-api.yaml), the signature aside."""
        body: dict[str, Any] = {"id_number": self.holder.number, "identified_by": self.identified_by.value}
        if self.card_number:
            body["card_number"] = self.card_number
        if Detail.ADDRESS in self.details:
            body["address"] = address_parts(self.address)
        if Detail.PHONE in self.details:
            body["phone"] = self.phone
        return {**body, "outlet_id": outlet_id, "terminal_id": terminal_id}

    def wipe(self) -> None:
        self.signature[:] = bytes(len(self.signature))
        self.holder = self.on_record = self.address = self.phone = self.card_number = None
        self.details = frozenset()


# --- the flow ------------------------------------------------------------------------------


async def run(port: FlowPort) -> None:
    """The flow the home screen starts for 信息变更."""
    change = ContactChange()
    port.session.set("change", change)
    try:
        if not await walk(port, change, STEPS):
            return
        outcome = await keep_and_print(port, change)
        if outcome is not None:
            await port.ask("done", **apply_card.done_text(outcome, finished=Finished.SENT, heading=DONE))
    finally:
        change.wipe()


# The plan the step strip shows (kiosk.flows.plan).
STAGE_WHOSE = Stage(bi("谁的卡", "Whose card"), StepKind.CHOICE)
STAGE_RECORD = Stage(bi("现有信息", "On record"), StepKind.CHECK)
STAGE_WHAT = Stage(bi("改什么", "What to change"), StepKind.CHOICE)
STAGE_NEW = Stage(bi("新信息", "New details"), StepKind.TYPING)


@stage(STAGE_WHOSE)
async def holder_in_person(port: FlowPort, change: ContactChange) -> str:
    """Seed 003 4.1 names only the holder: someone acting for another is told so (Back asks again)."""
    while True:
        whose = await whose_card(port)
        if whose in LEAVING or whose != FOR_SOMEONE:
            return whose if whose in LEAVING else NEXT
        log.info("%s: a proxy was turned away (holder only)", port.service)
        answer = await port.ask("notice", title=HOLDER_ONLY, body=HOLDER_ONLY_BODY, tone="warning", actions=[OK_OPTION, BACK_OPTION])
        if answer != BACK:
            return HOME if answer == HOME else ENDED


@stage(apply_card.STAGE_DOCUMENT)
async def identify_holder(port: FlowPort, change: ContactChange) -> str:
    """The ID card on its reader, or the card in its slot with its PIN checked by the card."""
    change.card_number = None
    while True:
        how = await port.ask("choose", title=HOW_IDENTIFY, options=IDENTIFY_OPTIONS)
        if how in LEAVING:
            return how
        if how == IdentifiedBy.ID_CARD:
            holder = await read_id_card(port, HOLDER)
        else:
            holder = await _by_card_and_pin(port, change)
        if holder == HOME:
            return HOME
        if isinstance(holder, Identity):
            change.holder, change.identified_by = holder, IdentifiedBy(how)
            port.session.set("holder", holder)
            return NEXT
        if holder == ENDED:
            return ENDED


async def _by_card_and_pin(port: FlowPort, change: ContactChange) -> Identity | str:
    card = await insert_card(port)
    if isinstance(card, str):
        return card
    pin = await verified_pin(port)
    if isinstance(pin, str):
        return pin
    change.card_number = card.card_number
    return Identity(DocumentKind.RESIDENT_ID, card.social_security_number, card.name, Source.READER, birth_date=card.birth_date)


@stage(STAGE_RECORD)
async def see_record(port: FlowPort, change: ContactChange) -> str:
    """The address and phone on record, masked until the holder asks to see them."""
    reply = await ask_centre(port, port.services.centre.contact_record, change.holder.number)
    change.on_record = None
    if reply.ok:
        try:
            change.on_record = OnRecord.from_reply(reply.data)
        except ValueError as exc:
            log.warning("%s: the centre's contact record makes no sense (%s); going on as offline", port.service, exc)
    elif reply.status == 404:
        body = fill(NO_CARD_BODY, hotline=port.services.policy.contacts.hotline)
        answer = await port.ask("notice", title=NO_CARD, body=body, tone="warning", actions=[OK_OPTION])
        return HOME if answer == HOME else ENDED
    elif not reply.retryable:
        return await centre_refused(port, CENTRE_REFUSED_WHY, reply)
    if change.on_record is None:
        answer = await port.ask("notice", title=OFFLINE, body=OFFLINE_BODY, tone="warning", actions=[GO_ON, HOME_OPTION])
        return NEXT if answer == OK else HOME if answer == HOME else BACK
    masked = True
    while True:
        body = _record_text(change.on_record, masked)
        actions = [SHOW_IN_FULL, CHANGE_SOMETHING] if masked else [CHANGE_SOMETHING, BACK_OPTION]
        title = ON_RECORD if masked else ON_RECORD_FULL
        answer = await port.ask("notice", title=title, body=body, tone="info", actions=actions)
        if answer == SHOW_IN_FULL.code:
            masked = False
            continue
        return NEXT if answer == OK else answer


def _record_text(record: OnRecord, masked: bool) -> Bilingual:
    def shown(value: str | None, mask) -> Bilingual | str:
        return NONE_ON_RECORD if value is None else mask(value) if masked else value

    body = fill(ON_RECORD_BODY, address=shown(record.address, mask_address), phone=shown(record.phone, mask_phone))
    return Bilingual(f"{body.zh}\n{MASKED_NOTE.zh}", f"{body.en}\n{MASKED_NOTE.en}") if masked else body


@stage(STAGE_WHAT)
async def choose_what(port: FlowPort, change: ContactChange) -> str:
    """Address, phone or both; key data is the window's, with a slip of what to bring."""
    while True:
        answer = await port.ask("choose", title=WHAT, options=WHAT_OPTIONS)
        if answer in LEAVING:
            return answer
        if answer != KEY_DATA:
            change.details = CHOICES[answer]
            change.address = change.address if Detail.ADDRESS in change.details else None
            change.phone = change.phone if Detail.PHONE in change.details else None
            return NEXT
        guidance = port.services.policy.service(KEY_DATA_SERVICE).guidance
        body = fill(KEY_DATA_BODY, guidance=guidance)
        answer = await port.ask("notice", title=KEY_DATA_TITLE, body=body, tone="info", actions=[PRINT_SLIP, CHANGE_OTHER])
        if answer == PRINT:
            await print_guidance_slip(port, KEY_DATA_SERVICE)
            return ENDED
        if answer == HOME:
            return HOME


@stage(STAGE_NEW)
async def enter_new_values(port: FlowPort, change: ContactChange) -> str:
    """The new address, then the new phone, as chosen; Back from the phone goes to the address."""
    asks = [ask for detail, ask in ((Detail.ADDRESS, _new_address), (Detail.PHONE, _new_phone)) if detail in change.details]
    index = 0
    while index < len(asks):
        result = await asks[index](port, change)
        if result == HOME:
            return HOME
        if result == BACK:
            if index == 0:
                return BACK
            index -= 1
        else:
            index += 1
    return NEXT


async def _new_address(port: FlowPort, change: ContactChange) -> str:
    on_record = change.on_record.address if change.on_record else None
    while True:
        address = await ask_postal_address(port, current=change.address)
        if address in LEAVING:
            return address
        problem = address_problem(address, on_record)
        if problem is None:
            change.address = address
            return NEXT
        title = NOTHING_CHANGED if address.text() == on_record else ADDRESS_NOT_TAKEN
        change.address = address  # offered again to correct
        if await port.ask("notice", title=title, body=problem, tone="warning", actions=[OK_OPTION]) == HOME:
            return HOME


async def _new_phone(port: FlowPort, change: ContactChange) -> str:
    """Typed twice; too short, not a mobile number, made up or the one on record is refused."""
    on_record = change.on_record.phone if change.on_record else None

    def problem(text: str) -> Bilingual | None:
        return phone_problem(text, on_record)

    while True:
        first = await port.ask("keypad", title=NEW_PHONE, keypad="phone", hint=NEW_PHONE_HINT, max_length=11, validate=problem)
        if first in LEAVING:
            return first
        digits = "".join(first.split())
        reason = problem(digits)
        if reason is not None:
            title = NOTHING_CHANGED if digits == on_record else PHONE_NOT_TAKEN
            if await port.ask("notice", title=title, body=reason, tone="warning", actions=[OK_OPTION]) == HOME:
                return HOME
            continue
        second = await port.ask("keypad", title=PHONE_AGAIN, keypad="phone", hint=PHONE_AGAIN_HINT, max_length=11)
        if second == HOME:
            return HOME
        if second == BACK:
            continue
        if "".join(second.split()) == digits:
            change.phone = digits
            return NEXT
        log.info("%s: the two phone numbers differ", port.service)
        if await port.ask("notice", title=PHONES_DIFFER, body=PHONES_DIFFER_BODY, tone="warning", actions=[OK_OPTION]) == HOME:
            return HOME


def review_rows(change: ContactChange) -> list[Row]:
    """The holder masked (a typed name in full), the new address in full (handwriting is
    checked here), the phone masked (it was typed twice)."""
    holder = change.holder
    rows: list[Row] = [
        (LABELS["holder"], shown_name(holder)),
        (LABELS["document"], shown_document(holder)),
        (LABELS["identified"], IDENTIFIED_WORDS[change.identified_by]),
    ]
    if Detail.ADDRESS in change.details:
        rows.append((LABELS[Detail.ADDRESS], change.address.text()))
    if Detail.PHONE in change.details:
        rows.append((LABELS[Detail.PHONE], mask_phone(change.phone)))
    return rows


@stage(apply_card.STAGE_REVIEW)
async def review(port: FlowPort, change: ContactChange) -> str | Revisit:
    changes = {LABELS[Detail.ADDRESS]: _new_address, LABELS[Detail.PHONE]: _new_phone}
    answer = await ask_review(port, REVIEW, review_rows(change), changes)
    return NEXT if answer == CONFIRM else answer


STEPS = (holder_in_person, identify_holder, see_record, choose_what, enter_new_values, review, apply_card.signing(SIGN_STATEMENT))


# --- kept, sent, printed -------------------------------------------------------------------


def voucher_steps(change: ContactChange) -> tuple[Bilingual, ...]:
    """What changed, masked as on every voucher, and when it takes effect."""
    what = [DETAIL_WORDS[d] for d in Detail if d in change.details]
    steps = [fill(CHANGED_STEP, what=Bilingual("、".join(w.zh for w in what), ", ".join(w.en for w in what)))]
    if Detail.ADDRESS in change.details:
        steps.append(fill(ADDRESS_STEP, address=mask_address(change.address.text())))
    if Detail.PHONE in change.details:
        steps.append(fill(PHONE_STEP, phone=mask_phone(change.phone)))
    steps.append(IN_EFFECT)
    return tuple(steps)


def change_record(services, change: ContactChange) -> Record:
    config = services.config
    return Record(
        service=SERVICE,
        kind=Kind.CONTACT_CHANGE,
        payload=change.payload(outlet_id=config.outlet_id, terminal_id=config.terminal_id),
        holder_name=change.holder.name,
        holder_number=change.holder.number,
        next_steps=voucher_steps(change),
        serial_field="voucher_serial",
        attachments=(Attachment("signature", bytes(change.signature), "image/png"),),
    )


async def keep_and_print(port: FlowPort, change: ContactChange) -> Outcome | None:
    """Kept, one try to send it, the voucher; None when nothing could be kept or the centre
    refused it (the resident was told where to go)."""
    sent = await keep_and_send(port, change_record(port.services, change), NotSaved(NOT_SAVED, NOT_SAVED_BODY))
    if sent is None:
        return None
    if sent.refused:
        await port.ask("notice", title=NOT_ACCEPTED, body=NOT_ACCEPTED_BODY, tone="error", actions=[OK_OPTION])
        return None
    return Outcome(sent, await print_voucher(port, sent.voucher))
