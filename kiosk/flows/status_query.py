"""应用状态查询: what state the resident's cards and applications are in (seed 003 section 8).

By card or by ID card (8.1). The centre says what each card on record is (in use, reported
lost, not activated, ...) and where each application stands (received, being made, ready
for pickup and where, collected); a card in the reader adds what only the card knows: a
blocked PIN and its expiry. Every answer is kept (sealed) in the kiosk's status cache, so
when the centre cannot be reached the last known state is shown, clearly marked with when
it was true. An application made at this kiosk that is still waiting in the outbox is shown
too (the centre cannot know it yet), so nobody who applied while the network was down is
told "no application" and applies twice.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from kiosk.domain import services as service_catalogue
from kiosk.domain.cards import CardStatus
from kiosk.drivers.card import CardData
from kiosk.flows.card_in_reader import HOLDER, card_tail, insert_card, same_number
from kiosk.flows.centre_calls import ask_centre, call_centre, centre_refused, centre_unreachable
from kiosk.flows.identify import read_id_card
from kiosk.flows.port import FlowPort
from kiosk.flows import card_stages as at
from kiosk.flows.plan import at_stage
from kiosk.flows.steps import LEAVING, OK_OPTION, Option
from kiosk.flows.wording import fill
from kiosk.i18n import Bilingual, bi
from kiosk.offline.database import StoreError
from kiosk.offline.outbox import NEEDS_STAFF, Kind, Outbox, OutboxItem
from kiosk.offline.status_cache import CachedAnswer, StatusCache

log = logging.getLogger(__name__)

BY_CARD, BY_ID_CARD = "card", "id_card"
WHAT = bi("查询", "A status query")
HOW = bi("用什么查询？", "What do you have with you?")
WAYS = [
    Option(BY_CARD, bi("社保卡", "My social security card"), bi("插进插卡口", "Insert it into the card slot")),
    Option(BY_ID_CARD, bi("身份证", "My ID card"), bi("放在读卡区", "Place it on the ID card reader")),
]
RESULT = bi("查询结果", "Your card and application status")
RESULT_BODY = bi("这是社保中心现在的记录（{time}）。", "This is what the card centre has now ({time}).")
OLD_RESULT = bi("连不上社保中心：这是以前查到的情况", "The card centre cannot be reached: this is an earlier answer")
OLD_RESULT_BODY = bi(
    "下面是{time}查到的情况，现在可能已经变了。请稍后再查，或拨打{hotline}。",
    "Below is what the card centre said on {time}. It may have changed since. Please ask again later, or call {hotline}.",
)
CARD_ONLY = bi("连不上社保中心：只能看到卡里的信息", "The card centre cannot be reached: only what the card itself says")
CARD_ONLY_BODY = bi(
    "社保中心的记录现在查不到。请稍后再查，或拨打{hotline}。",
    "The card centre's records cannot be reached now. Please ask again later, or call {hotline}.",
)
CARD_LINE = bi("第{generation}代社保卡 {tail}：{status}", "Generation {generation} card {tail}: {status}")
IN_READER = bi("（插着的这张）", " (the card in the slot)")
PIN_BLOCKED = bi("密码：已锁定。请到服务窗口解锁，或带身份证在本机重置密码。", "PIN: locked. Unlock it at a service window, or reset it here with your ID card.")
PIN_FINE = bi("密码：正常（还可以输错{n}次）", "PIN: fine ({n} wrong tries allowed)")
EXPIRED = bi("有效期到{day}，已经过期，请办理换领。", "Valid until {day}: it has expired. Please apply for a replacement.")
VALID_TO = bi("有效期到{day}", "Valid until {day}")
NO_CARDS = bi("社保中心没有您的社保卡记录。", "The card centre has no card of yours on record.")
APPLICATION_LINE = bi("{service}（{day}受理）：{status}", "{service} (received {day}): {status}")
APPLICATION_STATES: dict[str, Bilingual] = {
    "received": bi("已受理", "received"),
    "in_production": bi("正在制卡", "the card is being made"),
    "ready_for_pickup": bi("卡已做好，可以领取", "ready to collect"),
    "collected": bi("已领卡", "collected"),
}
PICKUP_AT = bi("领卡地点：{name}，{address}，电话{phone}。请带身份证。", "Collect it at {name}, {address}, phone {phone}. Bring your ID card.")
PICKUP_BY_POST = bi("卡会邮寄给您，请留意查收。", "The card is posted to you.")
PICKUP_UNKNOWN = bi("领卡地点请拨打{hotline}咨询。", "Call {hotline} to learn where to collect it.")
SHOWN_APPLICATIONS = 3  # the newest ones; older ones are long settled
WAITING_HERE = bi(
    "{service}（{day}在本机办理，凭证号{serial}）：还没有传到社保中心，联网后会自动上传，不用再办。",
    "{service} (made at this kiosk on {day}, voucher {serial}): not yet sent to the card centre. "
    "It goes by itself when the network is back; there is no need to apply again.",
)
STUCK_HERE = bi(
    "{service}（{day}在本机办理，凭证号{serial}）：没能传到社保中心，请带上凭证找工作人员。",
    "{service} (made at this kiosk on {day}, voucher {serial}): it could not be sent to the card centre. "
    "Please show your voucher to a member of staff.",
)
KIOSK_ONLY = bi("连不上社保中心：这是本机知道的情况", "The card centre cannot be reached: this is what this kiosk knows")


# The step strip (kiosk.flows.plan): how, then the card or the ID card.
BY_CARD_PLAN, BY_ID_CARD_PLAN = (at.HOW, at.CARD), (at.HOW, at.ID_CARD)


async def run(port: FlowPort) -> None:
    services = port.services
    at_stage(port, BY_CARD_PLAN, at.HOW)
    how = await port.ask("choose", title=HOW, options=WAYS)
    if how in LEAVING:
        return
    card_lines: tuple[Bilingual, ...] = ()
    card_number = None
    if how == BY_CARD:
        at_stage(port, BY_CARD_PLAN, at.CARD)
        card = await insert_card(port)
        if isinstance(card, str):
            return
        id_number, card_number = card.social_security_number, card.card_number
        card_lines = await what_the_card_says(port, card)
    else:
        at_stage(port, BY_ID_CARD_PLAN, at.ID_CARD)
        person = await read_id_card(port, HOLDER)
        if isinstance(person, str):
            return
        port.session.set("holder", person)
        id_number = person.number
    at_stage(port, BY_CARD_PLAN, None)
    hotline = services.policy.contacts.hotline
    cache = StatusCache(services.outbox, services.key)
    answer = await centre_answer(port, id_number)
    if isinstance(answer, str) and answer != "unreachable":
        return
    here = await port.device(_unsent_applications, services.outbox, id_number)
    if isinstance(answer, dict):
        await port.device(_remember, cache, id_number, answer)
        lines = describe(services, answer, card_number) + waiting_here(here, answer) + card_lines
        body = fill(RESULT_BODY, time=f"{services.now():%Y-%m-%d %H:%M}")
        await port.ask("done", title=RESULT, body=body, extra=lines)
        return
    cached: CachedAnswer | None = await port.device(_recall, cache, id_number)
    if cached is not None:
        when = f"{datetime.fromtimestamp(cached.fetched_at):%Y-%m-%d %H:%M}"
        lines = describe(services, cached.answer, card_number) + waiting_here(here, cached.answer) + card_lines
        body = _with_lines(fill(OLD_RESULT_BODY, time=when, hotline=hotline), lines)
        await port.ask("notice", title=OLD_RESULT, body=body, tone="warning", actions=[OK_OPTION])
    elif here or card_lines:
        body = _with_lines(fill(CARD_ONLY_BODY, hotline=hotline), waiting_here(here, {}) + card_lines)
        await port.ask("notice", title=KIOSK_ONLY if here else CARD_ONLY, body=body, tone="warning", actions=[OK_OPTION])
    else:
        await centre_unreachable(port, WHAT)


async def centre_answer(port: FlowPort, id_number: str) -> dict[str, Any] | str:
    """{"cards": [...], "applications": [...]} from the centre, "unreachable", or ENDED/HOME."""
    centre = port.services.centre
    cards = await ask_centre(port, centre.cards_of, id_number)
    applications = await port.device(call_centre, centre.applications_of, id_number) if cards.ok else cards
    if cards.ok and applications.ok:
        return {"cards": cards.data.get("cards", []), "applications": applications.data.get("applications", [])}
    failed = applications if cards.ok else cards
    if failed.retryable:
        log.info("status query: the centre cannot be reached: %s", failed.reason)
        return "unreachable"
    return await centre_refused(port, bi("社保中心没有回答这次查询。", "The card centre did not answer this query. "), failed)


async def what_the_card_says(port: FlowPort, card: CardData) -> tuple[Bilingual, ...]:
    """The PIN's state and the expiry: things only the card knows."""
    services = port.services
    lines: list[Bilingual] = []
    status = await port.device(services.card_reader.pin_status)
    if status.ok and status.value.blocked:
        lines.append(PIN_BLOCKED)
    elif status.ok and status.value.tries_left is not None:
        lines.append(fill(PIN_FINE, n=status.value.tries_left))
    today = services.now().date()
    day = card.expiry_date.isoformat()
    lines.append(fill(EXPIRED if card.is_expired_on(today) else VALID_TO, day=day))
    return tuple(lines)


def describe(services, answer: dict[str, Any], card_in_reader: str | None) -> tuple[Bilingual, ...]:
    """One line per card and per recent application, in the resident's words."""
    lines: list[Bilingual] = []
    for card in answer.get("cards", []):
        number = str(card.get("card_number", ""))
        line = fill(CARD_LINE, generation=card.get("generation", "?"), tail=card_tail(number), status=CardStatus(str(card.get("status"))).words)
        if number == card_in_reader:
            line = Bilingual(line.zh + IN_READER.zh, line.en + IN_READER.en)
        lines.append(line)
    if not lines:
        lines.append(NO_CARDS)
    for application in answer.get("applications", [])[:SHOWN_APPLICATIONS]:
        lines.extend(_application_lines(services, application))
    return tuple(lines)


def _application_lines(services, application: dict[str, Any]) -> list[Bilingual]:
    state = str(application.get("status"))
    try:
        title = service_catalogue.service(str(application.get("service"))).title
    except KeyError:
        title = bi("申请", "Application")
    day = _local_day(application.get("received_at"))
    status = APPLICATION_STATES.get(state, bi("状态不明", "unknown"))
    lines = [fill(APPLICATION_LINE, service=title, day=day.isoformat() if day else "?", status=status)]
    if state == "ready_for_pickup":
        lines.append(_pickup(services, application.get("pickup") or {}))
    return lines


def waiting_here(unsent: list[tuple[OutboxItem, dict[str, Any]]], answer: dict[str, Any]) -> tuple[Bilingual, ...]:
    """A line per application still in this kiosk's outbox that the centre's answer lacks
    (one in flight may have arrived between the two looks: the centre's line wins)."""
    known = {a.get("voucher_serial") for a in answer.get("applications", [])} - {None}
    lines = []
    for item, payload in unsent:
        serial = payload.get("voucher_serial") or item.voucher_serial or "?"
        if serial in known:
            continue
        try:
            title = service_catalogue.service(str(payload.get("service") or payload.get("kind"))).title  # a replacement names its kind
        except KeyError:
            title = bi("申请", "Application")
        day = datetime.fromtimestamp(item.created_at).date().isoformat()
        wording = STUCK_HERE if item.state in NEEDS_STAFF else WAITING_HERE
        lines.append(fill(wording, service=title, day=day, serial=serial))
    return tuple(lines)


def _pickup(services, pickup: dict[str, Any]) -> Bilingual:
    hotline = services.policy.contacts.hotline
    if pickup.get("method") == "post":
        return PICKUP_BY_POST
    try:
        outlet = services.policy.outlet(str(pickup.get("outlet_id")))
    except KeyError:
        return fill(PICKUP_UNKNOWN, hotline=hotline)
    return fill(PICKUP_AT, name=outlet.name, address=outlet.address, phone=outlet.phone)


def _local_day(text: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(text)).astimezone().date()
    except ValueError:
        return None


def _with_lines(body: Bilingual, lines: tuple[Bilingual, ...]) -> Bilingual:
    return Bilingual("\n".join([body.zh, *(l.zh for l in lines)]), "\n".join([body.en, *(l.en for l in lines)]))


def _remember(cache: StatusCache, id_number: str, answer: dict[str, Any], cancel=None) -> None:
    try:
        cache.remember(id_number, answer)
    except StoreError as exc:  # the resident still sees the answer; only the offline fallback is lost
        log.error("status answer not cached: %s", exc)


def _unsent_applications(outbox: Outbox, id_number: str, cancel=None) -> list[tuple[OutboxItem, dict[str, Any]]]:
    """This person's applications that this kiosk has not handed to the centre yet."""
    try:
        unsent = [*outbox.unsent(Kind.APPLICATION), *outbox.unsent(Kind.REPLACEMENT)]
    except StoreError as exc:  # the centre's answer is still shown; only the local part is lost
        log.error("outbox not readable for the status query: %s", exc)
        return []
    return [(item, payload) for item, payload in unsent if same_number(str((payload.get("applicant") or {}).get("id_number", "")), id_number)]


def _recall(cache: StatusCache, id_number: str, cancel=None) -> CachedAnswer | None:
    try:
        return cache.recall(id_number)
    except StoreError as exc:
        log.error("status cache not readable: %s", exc)
        return None
