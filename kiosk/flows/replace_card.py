"""补领 · 换领 · 换发: a new card in place of one that is lost, damaged, expired, or of an older
generation, as seed 003 section 3.1 describes it.

Who the card is for, and who they are: the ID card (or a typed passport, permit or officer's
card, as for a new card), or the old card with its PIN (3.1.1); a guardian for a child under
16, an adult proxy with both people's documents. Then the situation in plain words, the old
card in the reader where there is one (its generation and number), and what the centre has
on record: the card, its bank, the photo and its date, how many third-generation cards the
person has had (the fee, seed 000 四(二)). The photo is kept or taken anew, the bank kept or
chosen, then the pickup, a phone, a last look, the signature. A lost card the centre does not
know as lost is reported lost in the same visit, kept first so that it is sent first. The
voucher says the kind, the old card, the fee, when and where the card is ready, what to bring,
and what happens once the new card is enabled (seed 000 四); the fee is paid or offset at the
window (3.1.2 2)).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from kiosk.domain.application import Application, Identity, Role, Source
from kiosk.domain.cards import REPORTABLE, CardStatus
from kiosk.domain.documents import DocumentKind
from kiosk.domain.fees import FeeDecision, card_fee
from kiosk.domain.replacement import THIRD_GENERATION, PhotoChoice, Reason, ReplacementKind, replacement_rules
from kiosk.drivers.card import CardData
from kiosk.flows import apply_card
from kiosk.flows.apply_card import NEXT, Step, choose_bank, choose_pickup, choose_who, enter_phone, take_photo, walk
from kiosk.flows.card_in_reader import HOLDER, card_named, insert_card, masked_card_number, same_number
from kiosk.flows.centre_calls import CardOnRecord, ask_centre, centre_refused
from kiosk.flows.identify import BACK_OPTION, identify
from kiosk.flows.pin_entry import verified_pin
from kiosk.flows.plan import Stage, StepKind, stage, stages
from kiosk.flows.port import FlowPort
from kiosk.flows.review import Revisit, Row, ask_review
from kiosk.flows.record import NotSaved, Record, keep_and_send, keep_without_voucher, print_voucher
from kiosk.flows.steps import BACK, CONFIRM, ENDED, HOME, HOME_OPTION, LEAVING, OK, OK_OPTION, RETRY_OPTION, Option
from kiosk.flows.submission import NOT_SAVED, NOT_SAVED_BODY, Outcome, next_steps as pickup_steps
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.database import StoreError
from kiosk.offline.outbox import Attachment, ItemState, Kind

log = logging.getLogger(__name__)

# --- words ---------------------------------------------------------------------------------

HOW_IDENTIFY = bi("您用什么证明身份？", "How will you show who you are?")
BY_DOCUMENT, BY_CARD = "document", "card"
IDENTIFY_OPTIONS = [
    Option(BY_DOCUMENT, bi("身份证或其他证件", "ID card or another document"),
           bi("身份证、居住证、护照、通行证或军官证", "ID card, residence permit, passport, travel permit or officer's card")),
    Option(BY_CARD, bi("旧社保卡和密码", "My old card and its PIN"), bi("插入旧社保卡，输入密码", "Insert the old card and enter its PIN")),
]  # fmt: skip
SITUATION = bi("您的社保卡怎么了？", "What has happened to your card?")
SITUATION_NOTES = {
    Reason.LOST: bi("补领：先挂失，再补办新卡", "Reissue: the card is reported lost, then a new one is made"),
    Reason.DAMAGED: bi("换领：换一张新卡", "Replacement: a new card for the old one"),
    Reason.EXPIRED: bi("换领：换一张新卡", "Replacement: a new card for the old one"),
    Reason.NEW_GENERATION: bi("换发：第一代、第二代卡换成第三代卡", "Upgrade: a 1st- or 2nd-generation card for a 3rd-generation one"),
}
AT_WINDOW = bi("这项业务请到窗口办理", "Please go to a service window for this")

OLD_CARD = bi("旧社保卡在身边吗？", "Do you have the old card with you?")
INSERT_OLD, NO_OLD = "insert", "none"
OLD_CARD_OPTIONS = [
    Option(INSERT_OLD, bi("插入旧卡", "Insert the old card"), bi("本机读出卡号和第几代卡", "The kiosk reads its number and generation")),
    Option(NO_OLD, bi("旧卡读不了，或没带", "It cannot be read, or I do not have it"), bi("用身份证信息办理", "We go on with the ID document")),
]
INSERT_OLD_CARD = bi("请插入旧社保卡", "Please insert the old card")
NOT_THEIR_CARD = bi("这张社保卡不是办卡人的", "This card is not the applicant's")
NOT_THEIR_CARD_BODY = bi(
    "插入的社保卡和刚才的证件不是同一个人。请插入{whose}的旧社保卡。",
    "The card and the document shown belong to different people. Please insert {whose}'s old card.",
)

NO_CARD_ON_RECORD = bi("社保中心没有这个人的社保卡", "The card centre has no card for this person")
NO_CARD_ON_RECORD_BODY = bi(
    "没有可以补换的卡。没有办过社保卡的，请办理“申领社保卡”。有疑问请到服务窗口，或拨打{hotline}。",
    "There is no card to reissue or replace. Someone who never had a card applies for a new one. If in doubt, go to a service window or call {hotline}.",
)
CENTRE_REFUSED_WHY = bi("社保中心查不到补换卡需要的信息。", "The card centre could not give what a new card needs. ")
OFFLINE = bi("现在连不上社保中心", "The card centre cannot be reached just now")
OFFLINE_BODY = bi(
    "本机查不到您的卡、照片和办过几张第三代社保卡。可以继续办：申请先保存在本机，连上后自动发送。是否收费由服务窗口确定。",
    "This kiosk cannot see your card, your photo on record or how many 3rd-generation cards you had. You can go on: the application is kept here and sent by itself later. The service window decides about any fee.",
)
GO_ON = Option(OK, bi("继续办理", "Go on"))

ALREADY_THIRD = bi("您的卡已经是第三代社保卡", "Your card is a 3rd-generation card already")
ALREADY_THIRD_BODY = bi(
    "{card}已经是第三代社保卡，不用换发。卡坏了或过期了，可以换新卡；卡能正常使用，就不用办了。",
    "{card} is a 3rd-generation card already: there is nothing to upgrade. If it is damaged or expired you can replace it; if it works, there is nothing to do.",
)
REPLACE_INSTEAD = Option(BACK, bi("卡坏了或过期了，换新卡", "It is damaged or expired: replace it"))
NOTHING = Option(HOME, bi("不用办了", "Nothing, thank you"))

NOT_YET_LOST = bi("这张卡还没有挂失", "This card is not reported lost yet")
NOT_YET_LOST_BODY = bi(
    "社保中心的记录里，{holder}的{card}还在使用。补办新卡前要先挂失，别人就不能再用它。确认后，本机先挂失，再申请补领新卡。",
    "The card centre still has {card} of {holder} as in use. Before a new card is made it is reported lost, so that nobody can use it. Once you confirm, this kiosk reports it lost, then applies for the new card.",
)
REPORT_AND_REISSUE = Option(CONFIRM, bi("确认挂失，补办新卡", "Report it lost and get a new card"))
DECLINE_LOSS = Option("decline", bi("不挂失", "Do not report it lost"))
CARD_IN_USE = bi("正在使用的社保卡", "the card in use now")
NOT_REPORTED_STOP = bi("没有挂失，不能补办", "Without a loss report there is no new card")
NOT_REPORTED_STOP_BODY = bi(
    "社保中心的记录里这张卡还在正常使用。不挂失，就不能补办新卡。卡找到了可以继续使用；卡坏了，可以办理“卡坏了，换新卡”。本次没有保存任何信息。",
    "The card centre has this card as in use. Without reporting it lost, no new card can be made. If you find the card you can go on using it; if it is damaged, choose “Card damaged: get a new one”. Nothing was kept.",
)

PHOTO = bi("新卡用哪张照片？", "Which photo for the new card?")
KEEP_PHOTO = bi("用社保中心存的照片", "The photo the card centre has")
KEEP_PHOTO_DETAIL = bi("{day}拍的", "taken on {day}")
NEW_PHOTO = Option(PhotoChoice.NEW.value, bi("在本机拍一张新照片", "Take a new photo here"), bi("1寸白底免冠照", "1-inch, white background, bare head"))

BANK = bi("新卡的银行", "The new card's bank")
KEEP_BANK = bi("还用{bank}", "Keep {bank}")
KEEP_BANK_DETAIL = bi("和旧卡一样", "as on the old card")
CHANGE_BANK = Option("change", bi("换一家银行", "Choose another bank"))

REVIEW = bi("请核对补换卡信息", "Please check the details")
LABELS = {
    "situation": bi("情况", "Situation"),
    "old_card": bi("要换的卡", "Card replaced"),
    "loss": bi("挂失", "Loss report"),
    "fee": bi("费用", "Fee"),
}
OLD_CARD_TEXT = bi("第{generation}代社保卡 {number}", "Generation {generation} card {number}")
OLD_CARD_UNKNOWN = bi("本机没有查到，由窗口核对", "not known here: the window checks it")
LOSS_IN_VISIT = bi("本次先挂失", "Reported lost first, in this visit")
PHOTO_WORDS = {
    PhotoChoice.ON_RECORD: bi("用社保中心存的照片", "The photo on record"),
    PhotoChoice.NEW: apply_card.PHOTO_TAKEN,
    PhotoChoice.NONE: apply_card.PHOTO_NONE,
}
SIGN_STATEMENT = bi(
    "我确认以上信息真实，申请{kind}社会保障卡。", "I confirm that these details are true and apply for a {kind} of my social security card."
)

# The voucher and the done screen.
KIND_STEP = bi("业务：{kind}（{situation}）", "Service: {kind} ({situation})")
OLD_CARD_STEP = bi("被替换的卡：{card}", "Card replaced: {card}")
LOSS_STEP = bi("{card}已在本次办理中挂失，挂失后这张卡暂停使用。", "{card} was reported lost in this visit and is blocked.")
CALL_NOW = bi(
    "挂失还没送到社保中心。为了马上生效，请现在拨打{hotline}电话挂失。",
    "The loss report has not reached the card centre yet. To block the card at once, call {hotline} now.",
)
BRING = bi("到窗口请带：本凭证、{document}原件{old_card}。", "At the window bring: this voucher, your original {document}{old_card}.")
BRING_OLD_CARD = bi("、旧社保卡", ", the old card")
DOCUMENT_WORDS = bi("身份证件", "identity document")
LOSS_KEPT_ONLY = bi(
    "挂失已经保存，会第一个送到社保中心；补领申请没有保存下来。请现在拨打{hotline}电话挂失，再到服务窗口补领新卡。",
    "The loss report is saved and goes to the card centre first, but the reissue could not be saved. Please call {hotline} now, then go to a service window for the new card.",
)


@dataclass(frozen=True)
class OnRecord:
    """What the centre has for the person (docs/centre-api.yaml, ReplacementRecord)."""

    card: CardOnRecord | None
    bank: str | None
    photo_taken_on: date | None
    third_generation_cards: int

    @classmethod
    def from_reply(cls, data: dict[str, Any]) -> OnRecord:
        card = data.get("card")
        photo = data.get("photo_on_record")
        return cls(
            card=CardOnRecord.from_reply(card) if card else None,
            bank=card.get("bank") if card else None,
            photo_taken_on=date.fromisoformat(photo["taken_on"]) if photo else None,
            third_generation_cards=int(data.get("third_generation_cards", 0)),
        )


@dataclass(repr=False)
class Replacement(Application):
    """An application for a new card in place of an old one; `service` is the kind's code."""

    reason: Reason | None = None
    card_read: CardData | None = None  # the old card, read in the reader
    on_record: OnRecord | None = None  # None: the centre could not be asked
    photo_choice: PhotoChoice | None = None
    loss_report_in_visit: bool = False
    fee: FeeDecision | None = None

    @property
    def kind(self) -> ReplacementKind:
        return self.reason.kind

    @property
    def old_card_number(self) -> str | None:
        if self.on_record is not None and self.on_record.card is not None:
            return self.on_record.card.card_number
        return self.card_read.card_number if self.card_read else None

    @property
    def old_generation(self) -> int | None:
        if self.card_read is not None:
            return self.card_read.generation
        if self.on_record is not None and self.on_record.card is not None:
            return self.on_record.card.generation
        return None

    def missing(self) -> list[str]:
        missing = [name for name in super().missing() if name != "photo"]
        if self.reason is None:
            missing.append("reason")
        if self.photo_choice is None or (self.photo_choice is PhotoChoice.NEW and not self.photo):
            missing.append("photo")
        return missing

    def payload(self, *, outlet_id: str, terminal_id: str, voucher_serial: str) -> dict[str, Any]:
        """The body of `POST /v1/replacements` (docs/centre-api.yaml), attachments aside."""
        body = super().payload(outlet_id=outlet_id, terminal_id=terminal_id, voucher_serial=voucher_serial)
        del body["service"]
        body.update(kind=self.kind.value, reason=self.reason.value, photo=self.photo_choice.value)
        if self.old_card_number:
            body["card_number"] = self.old_card_number
        if self.loss_report_in_visit:
            body["loss_report_in_visit"] = True  # the centre waits for it rather than refusing
        return body

    def wipe(self) -> None:
        super().wipe()
        self.card_read = None
        self.on_record = None


# --- the flow ------------------------------------------------------------------------------


# The plan's own steps (kiosk.flows.plan); the rest are the apply flow's.
STAGE_SITUATION = Stage(bi("原因", "Reason"), StepKind.CHOICE)
STAGE_OLD_CARD = Stage(bi("旧卡", "Old card"), StepKind.DOCUMENT)


async def run(port: FlowPort) -> None:
    """The flow the home screen starts for the 补领 · 换领 · 换发 group."""
    if getattr(port, "services", None) is None:
        await port.ask("notice", title=apply_card.OUT_OF_SERVICE, body=apply_card.OUT_OF_SERVICE_BODY, tone="error", actions=[OK_OPTION])
        return
    application = Replacement(service=ReplacementKind.UPGRADE.value)
    port.session.set("application", application)
    try:
        if not await walk(port, application, STEPS):
            return
        outcome = await keep_and_print(port, application)
        if outcome is not None:
            await port.ask("done", **apply_card.done_text(outcome, application))
    finally:
        application.wipe()


@stages(apply_card.document_stages)
async def identify_people(port: FlowPort, application: Replacement) -> str:
    """The holder in person may show the old card and its PIN instead of a document."""
    application.card_read = None
    if application.role is not Role.SELF:
        return await apply_card.identify_people(port, application)
    while True:
        how = await port.ask("choose", title=HOW_IDENTIFY, options=IDENTIFY_OPTIONS)
        if how in LEAVING:
            return how
        if how == BY_DOCUMENT:
            answer = await apply_card.identify_people(port, application)
        else:
            answer = await _by_card_and_pin(port, application)
        if answer != BACK:
            return answer


async def _by_card_and_pin(port: FlowPort, application: Replacement) -> str:
    card = await insert_card(port, INSERT_OLD_CARD)
    if isinstance(card, str):
        return card
    pin = await verified_pin(port)
    if isinstance(pin, str):
        return pin
    application.applicant = Identity(
        DocumentKind.RESIDENT_ID, card.social_security_number, card.name, Source.READER, birth_date=card.birth_date
    )
    application.card_read = card
    return NEXT


@stage(STAGE_SITUATION)
async def choose_situation(port: FlowPort, application: Replacement) -> str:
    reasons = [r for r in Reason if not (r is Reason.LOST and application.card_read is not None)]  # a card in hand is not lost
    reasons.sort(key=lambda r: r.kind.value != port.service)  # the menu's choice first
    options = [Option(r.value, r.words, SITUATION_NOTES[r]) for r in reasons]
    answer = await port.ask("choose", title=SITUATION, options=options)
    if answer in LEAVING:
        return answer
    reason = Reason(answer)
    rule = port.services.policy.service(reason.kind.value)
    if not rule.at_kiosk:  # Beijing: lost and damaged cards go to the issuing bank's instant outlet
        done = await port.ask("notice", title=AT_WINDOW, body=rule.guidance, tone="info", actions=[OK_OPTION, BACK_OPTION])
        return BACK if done == BACK else HOME if done == HOME else ENDED
    application.reason = reason
    application.service = reason.kind.value
    return NEXT


def old_card_stages(application: Replacement) -> tuple[Stage, ...]:
    """The old card is asked about unless it was read already or is lost."""
    skipped = application.card_read is not None or (application.reason is not None and application.kind is ReplacementKind.REISSUE)
    return () if skipped else (STAGE_OLD_CARD,)


@stages(old_card_stages)
async def read_old_card(port: FlowPort, application: Replacement) -> str:
    """The old card's generation and number from the chip, where the card is here and readable."""
    if application.card_read is not None or application.kind is ReplacementKind.REISSUE:
        return NEXT
    while True:
        answer = await port.ask("choose", title=OLD_CARD, options=OLD_CARD_OPTIONS)
        if answer in LEAVING or answer == NO_OLD:
            return NEXT if answer == NO_OLD else answer
        card = await insert_card(port, INSERT_OLD_CARD)
        if card == HOME:
            return HOME
        if isinstance(card, str):
            continue  # back to the question
        if same_number(card.social_security_number, application.applicant.number):
            application.card_read = card
            return NEXT
        log.info("%s: the card in the reader is not the applicant's", port.service)
        whose = application.applicant.masked_name
        body = fill(NOT_THEIR_CARD_BODY, whose=whose)
        answer = await port.ask("notice", title=NOT_THEIR_CARD, body=body, tone="warning", actions=[RETRY_OPTION, BACK_OPTION])
        if answer in LEAVING:
            return answer


async def card_on_record(port: FlowPort, application: Replacement) -> str:
    """What the centre has; offline, the application goes on and the window decides the rest."""
    services = port.services
    hotline = services.policy.contacts.hotline
    application.loss_report_in_visit = False
    reply = await ask_centre(port, services.centre.replacement_record, application.applicant.number)
    if reply.retryable:
        log.info("%s: the centre cannot be reached (%s); the application goes on offline", port.service, reply.reason)
        application.on_record = None
        answer = await port.ask("notice", title=OFFLINE, body=OFFLINE_BODY, tone="warning", actions=[GO_ON, HOME_OPTION])
        if answer != OK:
            return HOME if answer == HOME else BACK
    elif reply.status == 404:
        body = fill(NO_CARD_ON_RECORD_BODY, hotline=hotline)
        answer = await port.ask("notice", title=NO_CARD_ON_RECORD, body=body, tone="warning", actions=[OK_OPTION])
        return HOME if answer == HOME else ENDED
    elif not reply.ok:
        return await centre_refused(port, CENTRE_REFUSED_WHY, reply)
    else:
        application.on_record = OnRecord.from_reply(reply.data)
        if application.on_record.card is None:  # every card of theirs is replaced or cancelled
            body = fill(NO_CARD_ON_RECORD_BODY, hotline=hotline)
            answer = await port.ask("notice", title=NO_CARD_ON_RECORD, body=body, tone="warning", actions=[OK_OPTION])
            return HOME if answer == HOME else ENDED
    counted = application.on_record.third_generation_cards if application.on_record else None
    application.fee = card_fee(services.policy.fees, counted)
    if application.kind is ReplacementKind.UPGRADE and application.old_generation == THIRD_GENERATION:
        return await _already_third_generation(port, application)
    if application.kind is ReplacementKind.REISSUE:
        return await _loss_report_first(port, application)
    return NEXT


async def _already_third_generation(port: FlowPort, application: Replacement) -> str:
    card = card_named(application.old_card_number) if application.old_card_number else CARD_IN_USE
    answer = await port.ask(
        "notice", title=ALREADY_THIRD, body=fill(ALREADY_THIRD_BODY, card=card), tone="info", actions=[REPLACE_INSTEAD, NOTHING]
    )
    return BACK if answer == BACK else HOME


async def _loss_report_first(port: FlowPort, application: Replacement) -> str:
    """A lost card the centre does not have as lost is reported lost first (one confirmation);
    declined, nothing is kept and the flow ends with why."""
    record = application.on_record
    if record is not None and record.card is not None and record.card.status not in REPORTABLE:
        return NEXT  # reported lost already: nothing more to block
    card = card_named(application.old_card_number) if application.old_card_number else CARD_IN_USE
    body = fill(NOT_YET_LOST_BODY, card=card, holder=application.applicant.masked_name)
    answer = await port.ask("notice", title=NOT_YET_LOST, body=body, tone="warning", actions=[REPORT_AND_REISSUE, DECLINE_LOSS])
    if answer == CONFIRM:
        application.loss_report_in_visit = True
        return NEXT
    if answer in LEAVING:
        return answer
    log.info("%s: the resident declined the loss report; nothing kept", port.service)
    done = await port.ask("notice", title=NOT_REPORTED_STOP, body=NOT_REPORTED_STOP_BODY, tone="info", actions=[OK_OPTION])
    return HOME if done == HOME else ENDED


@stage(apply_card.STAGE_PHOTO)
async def choose_photo(port: FlowPort, application: Replacement) -> str:
    """Keep the photo on record, or take one; a child's is optional, and one is required when none is on record."""
    record = application.on_record
    while True:
        if record is not None and record.photo_taken_on is not None:
            keep = Option(PhotoChoice.ON_RECORD.value, KEEP_PHOTO, fill(KEEP_PHOTO_DETAIL, day=record.photo_taken_on.isoformat()))
            answer = await port.ask("choose", title=PHOTO, options=[keep, NEW_PHOTO])
            if answer in LEAVING:
                return answer
            if answer == PhotoChoice.ON_RECORD:
                application.photo = application.scene = None
                application.photo_choice = PhotoChoice.ON_RECORD
                return NEXT
            taken = await take_photo(port, application)
            if taken == BACK:
                continue
        else:
            taken = await take_photo(port, application)
        if taken == NEXT:
            application.photo_choice = PhotoChoice.NEW if application.photo else PhotoChoice.NONE
        return taken


@stage(apply_card.STAGE_BANK)
async def keep_or_choose_bank(port: FlowPort, application: Replacement) -> str:
    """An old card with a bank keeps it or changes it; without one (a 1st-generation card), one is chosen."""
    policy = port.services.policy
    bank = application.on_record.bank if application.on_record else None
    if bank not in {b.code for b in policy.banks}:
        return await choose_bank(port, application)
    while True:
        keep = Option(bank, fill(KEEP_BANK, bank=policy.bank(bank).name), KEEP_BANK_DETAIL)
        answer = await port.ask("choose", title=BANK, options=[keep, CHANGE_BANK])
        if answer in LEAVING:
            return answer
        if answer == bank:
            application.bank = bank
            return NEXT
        chosen = await choose_bank(port, application)
        if chosen != BACK:
            return chosen


def old_card_text(application: Replacement) -> Bilingual:
    number, generation = application.old_card_number, application.old_generation
    if number is None or generation is None:
        return OLD_CARD_UNKNOWN
    return fill(OLD_CARD_TEXT, generation=generation, number=masked_card_number(number))


def review_rows(port: FlowPort, application: Replacement) -> list[Row]:
    """The new-card application's rows, with the kind, the old card, the photo choice and the fee."""
    rows = apply_card.review_rows(port, application)
    if application.photo_choice is not PhotoChoice.NEW:  # a new photo stays a thumbnail
        rows = [(label, PHOTO_WORDS[application.photo_choice]) if label is apply_card.LABELS["photo"] else (label, value)
                for label, value in rows]  # fmt: skip
    rows.insert(1, (LABELS["situation"], application.reason.words))
    at = next(i for i, (label, _v) in enumerate(rows) if label is apply_card.LABELS["document"])
    rows.insert(at + 1, (LABELS["old_card"], old_card_text(application)))
    if application.loss_report_in_visit:
        rows.insert(at + 2, (LABELS["loss"], LOSS_IN_VISIT))
    rows.append((LABELS["fee"], application.fee.line))
    return rows


# 「修改」 on the review: the person, the old card and the fee follow from the centre's record,
# so only what the resident chose here may be changed.
CHANGES = {
    apply_card.LABELS["photo"]: choose_photo,
    apply_card.LABELS["bank"]: keep_or_choose_bank,
    apply_card.LABELS["pickup"]: choose_pickup,
    apply_card.LABELS["phone"]: enter_phone,
}


@stage(apply_card.STAGE_REVIEW)
async def review(port: FlowPort, application: Replacement) -> str | Revisit:
    answer = await ask_review(port, REVIEW, review_rows(port, application), CHANGES)
    return NEXT if answer == CONFIRM else answer


@stage(apply_card.STAGE_SIGN)
async def sign(port: FlowPort, application: Replacement) -> str:
    return await apply_card.signing(fill(SIGN_STATEMENT, kind=application.kind.term))(port, application)


STEPS: tuple[Step, ...] = (
    choose_who, identify_people, choose_situation, read_old_card, card_on_record, choose_photo,
    keep_or_choose_bank, choose_pickup, enter_phone, review, sign,
)  # fmt: skip


# --- kept, sent, printed -------------------------------------------------------------------


def voucher_steps(services, application: Replacement) -> tuple[Bilingual, ...]:
    """What to do first (the pickup, what to bring), then the kind, the old card and what
    happens once the new card is enabled; the fee has its own line on the voucher."""
    rules = replacement_rules(services.policy)
    steps = list(pickup_steps(services, application))
    hand_in = rules.old_card_handed_in and application.kind is not ReplacementKind.REISSUE
    steps.append(fill(BRING, document=DOCUMENT_WORDS, old_card=BRING_OLD_CARD if hand_in else ""))
    steps += [fill(KIND_STEP, kind=application.kind.term, situation=application.reason.words), fill(OLD_CARD_STEP, card=old_card_text(application))]
    if application.loss_report_in_visit and application.old_card_number:
        steps.append(fill(LOSS_STEP, card=card_named(application.old_card_number)))
    steps.extend(rules.after_new_card)
    return tuple(steps)


def replacement_record(services, application: Replacement) -> Record:
    config = services.config
    payload = application.payload(outlet_id=config.outlet_id, terminal_id=config.terminal_id, voucher_serial="")
    return Record(
        service=application.kind.value,
        kind=Kind.REPLACEMENT,
        payload=payload,
        holder_name=application.applicant.name,
        holder_number=application.applicant.number,
        proxy=application.helper,
        next_steps=voucher_steps(services, application),
        pickup_method=application.pickup.method,
        bank=application.bank,
        fee=application.fee.line,
        serial_field="voucher_serial",
        attachments=tuple(Attachment(name, data, content_type) for name, data, content_type in application.images()),
    )


def loss_report_payload(application: Replacement) -> dict[str, Any]:
    """As the loss report flow sends it: the holder, the card when known, the guardian or proxy."""
    payload: dict[str, Any] = {"id_number": application.applicant.number}
    if application.old_card_number:
        payload["card_number"] = application.old_card_number
    if application.helper is not None:
        payload["proxy"] = application.helper.to_person()
    return payload


async def keep_and_print(port: FlowPort, application: Replacement) -> Outcome | None:
    """The loss report of this visit first (the outbox sends it first), then the application;
    one try to send both, then the voucher. None when nothing could be kept."""
    services = port.services
    hotline = services.policy.contacts.hotline
    loss_item = None
    if application.loss_report_in_visit:
        try:
            loss_item = await port.device(
                keep_without_voucher, services, Kind.LOSS_REPORT, loss_report_payload(application), service=port.service
            )
        except StoreError as exc:
            log.error("the loss report of a reissue was not stored: %s", exc)
            await port.ask("notice", title=NOT_SAVED, body=NOT_SAVED_BODY, tone="error", actions=[OK_OPTION])
            return None
    not_saved = NotSaved(NOT_SAVED, fill(LOSS_KEPT_ONLY, hotline=hotline) if loss_item is not None else NOT_SAVED_BODY)
    sent = await keep_and_send(port, replacement_record(services, application), not_saved)
    if sent is None:
        return None
    voucher = sent.voucher
    if loss_item is not None and services.outbox.item(loss_item).state is not ItemState.SENT:
        voucher = dataclasses.replace(voucher, next_steps=(fill(CALL_NOW, hotline=hotline), *voucher.next_steps))
        sent = dataclasses.replace(sent, kept=dataclasses.replace(sent.kept, voucher=voucher))
    return Outcome(sent, await print_voucher(port, voucher))
