"""信息变更 headless on the in-process fakes (tests/flows/fake_rig.py): the fake ID reader and
card reader, the centre simulator over loopback HTTP, the fake printer, a scripted resident.
One test per journey and per fault of issue 10's information-change service, each named
after what it shows."""

from __future__ import annotations

import dataclasses
import time

import pytest

from hwsim.centre.test_ca import simulator_person_hash as person_hash
from kiosk.centre.client import CentreReply, Outcome
from kiosk.config import OutboxSettings
from kiosk.domain.contact_details import MADE_UP, NOT_A_MOBILE, SAME_ADDRESS, SAME_PHONE, TOO_FEW_DIGITS
from kiosk.flows import apply_card, change_contact, on_behalf
from kiosk.flows.chinese_entry import ADDRESS_REST, problem
from kiosk.flows.context import KioskServices
from kiosk.flows.steps import BACK, CONFIRM, HOME, OK
from kiosk.flows.window_guidance import PRINT
from kiosk.offline.outbox import ItemState, Kind
from tests.flows.card_rig import Pins, run_card_flow, with_cards
from tests.flows.fake_rig import printed_jobs, rig, services  # noqa: F401
from tests.flows.conftest import FAST
from tests.flows.journeys import signature_png
from tests.support.processes import wait_for

ON_RECORD_PHONE = "13987654321"  # hwsim/centre/contact_people.toml, 王芳 (card profile gen3)
ON_RECORD_ADDRESS = "重庆市长寿区凤城街道桃花街12号"
NEW_PHONE = "13812345678"
HOLDER_ID = "holder-gen3"
GEN3_NUMBER = "500115199002151283"
SERVICE = "info_change"

OWN = ("choose", on_behalf.OWN)
BY_ID_CARD = [OWN, ("choose", "id_card")]
SEE_IT = ("notice", OK)  # "Change something" on the masked record
NEW_ADDRESS = [("choose", "凤城街道"), ("chinese_input", "向阳路13号")]
TWICE = [("keypad", NEW_PHONE), ("keypad", NEW_PHONE)]
FINISH = [("review", CONFIRM), ("sign", signature_png()), ("done", OK)]


@pytest.fixture
def quick_services(rig, config):
    """The kiosk's services with retries after a tenth of a second, not seconds."""
    quick = dataclasses.replace(config, outbox=OutboxSettings(backoff_base_s=0.1, backoff_cap_s=0.3))
    built = KioskServices.build(quick, timeouts=FAST, devices=rig.devices())
    yield built
    built.close()


def centre_record(rig) -> dict:
    status, record = rig.centre.contacts.record(person_hash(GEN3_NUMBER))
    assert status == 200
    return record


def voucher_text(rig) -> str:
    [job] = printed_jobs(rig)
    return "".join("".join(job["lines"]).split())


def notice_bodies(port) -> list[str]:
    return [step.params["body"].zh for step in port.asked("notice")]


# --- journeys -------------------------------------------------------------------------------


def test_the_holder_changes_the_phone_with_the_card_and_its_pin(rig, services):
    with_cards(rig, "gen3")
    pins = Pins()
    script = [OWN, ("choose", "card_and_pin"), ("pin_pad", pins("123456")), ("notice", "show"), SEE_IT,
              ("choose", "phone"), *TWICE, *FINISH]  # fmt: skip
    port = run_card_flow(services, SERVICE, script)
    assert centre_record(rig)["phone"] == NEW_PHONE and centre_record(rig)["address"] == ON_RECORD_ADDRESS
    [change] = rig.centre.contacts.listed()
    assert change["changed"] == ["phone"] and change["identified_by"] == "card_and_pin" and change["attachments"] == ["signature"]
    [item] = services.outbox.items()
    assert item.kind == Kind.CONTACT_CHANGE and item.state is ItemState.SENT
    text = voucher_text(rig)
    assert "138****5678" in text and NEW_PHONE not in text and "手机号码" in text
    assert pins.all_wiped()
    rows = dict((label.zh, value) for label, value in port.last("review").params["rows"])
    assert rows["新手机号码"] == "138****5678" and rows["身份核验"].zh == "社保卡和密码"


def test_the_record_is_masked_until_the_holder_asks_to_see_it(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    script = [*BY_ID_CARD, ("notice", "show"), ("notice", HOME)]
    port = run_card_flow(services, SERVICE, script)
    masked, full = notice_bodies(port)
    assert ON_RECORD_PHONE not in masked and "139****4321" in masked and ON_RECORD_ADDRESS not in masked and "*" in masked
    assert ON_RECORD_PHONE in full and ON_RECORD_ADDRESS in full


def test_the_holder_changes_the_address_and_phone_with_the_id_card(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    script = [*BY_ID_CARD, SEE_IT, ("choose", "both"), *NEW_ADDRESS, *TWICE, *FINISH]
    port = run_card_flow(services, SERVICE, script)
    record = centre_record(rig)
    assert (record["address"], record["phone"]) == ("重庆市长寿区凤城街道向阳路13号", NEW_PHONE)
    [change] = rig.centre.contacts.listed()
    assert change["changed"] == ["address", "phone"] and change["identified_by"] == "id_card"
    rows = dict((label.zh, value) for label, value in port.last("review").params["rows"])
    assert rows["新地址"] == "重庆市长寿区凤城街道向阳路13号"
    assert "新地址：重庆市长寿区凤城********" in voucher_text(rig) and "向阳路13号" not in voucher_text(rig)  # masked on paper


def test_back_from_the_phone_goes_to_the_address(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    script = [*BY_ID_CARD, SEE_IT, ("choose", "both"), *NEW_ADDRESS, ("keypad", BACK), ("choose", "凤城街道"),
              ("chinese_input", lambda step: step.params["current"] + "附1号"), *TWICE, *FINISH]  # fmt: skip
    run_card_flow(services, SERVICE, script)
    assert centre_record(rig)["address"] == "重庆市长寿区凤城街道向阳路13号附1号"


# --- faults ---------------------------------------------------------------------------------


def test_centre_down_the_change_is_kept_and_sent_later(rig, quick_services):
    services = quick_services
    with_cards(rig, id_card=HOLDER_ID)
    rig.centre.down()
    script = [*BY_ID_CARD, ("notice", OK), ("choose", "phone"), *TWICE, *FINISH]
    port = run_card_flow(services, SERVICE, script)
    assert port.asked("notice")[0].params["title"] == change_contact.OFFLINE
    assert apply_card.NOT_UPLOADED in port.last("done").params["extra"]
    [item] = services.outbox.items()
    assert item.state is not ItemState.SENT
    rig.centre.up()
    wait_for(lambda: services.outbox.next_due_at() <= time.time(), 5, "the retry to be due")
    services.sync.sync_once()
    assert services.outbox.item(item.id).state is ItemState.SENT
    assert centre_record(rig)["phone"] == NEW_PHONE and len(rig.centre.contacts.listed()) == 1


def test_centre_answering_nonsense_is_taken_as_unreachable_and_the_change_still_goes(rig, services, monkeypatch):
    nonsense = CentreReply(Outcome.OK, 200, {"address": 42, "phone": "call me"})
    monkeypatch.setattr(services.centre, "contact_record", lambda _number: nonsense)
    with_cards(rig, id_card=HOLDER_ID)
    script = [*BY_ID_CARD, ("notice", OK), ("choose", "phone"), *TWICE, *FINISH]
    port = run_card_flow(services, SERVICE, script)
    assert port.asked("notice")[0].params["title"] == change_contact.OFFLINE
    assert centre_record(rig)["phone"] == NEW_PHONE


def test_the_phone_on_record_already_is_nothing_changed(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    port = run_card_flow(services, SERVICE, [*BY_ID_CARD, SEE_IT, ("choose", "phone"), ("keypad", ON_RECORD_PHONE), ("notice", HOME)])
    notice = port.last("notice").params
    assert (notice["title"], notice["body"]) == (change_contact.NOTHING_CHANGED, SAME_PHONE)
    assert port.last("keypad").params["validate"](ON_RECORD_PHONE) == SAME_PHONE  # said on the keypad first
    assert services.outbox.items() == [] and centre_record(rig)["phone"] == ON_RECORD_PHONE


@pytest.mark.parametrize(
    "typed, reason",
    [("1381234", TOO_FEW_DIGITS.format(typed=7)), ("12345678901", NOT_A_MOBILE), ("13900000000", MADE_UP)],
    ids=["too few digits", "not a mobile number", "obviously made up"],
)
def test_a_phone_that_cannot_be_one_is_refused_with_why(rig, services, typed, reason):
    with_cards(rig, id_card=HOLDER_ID)
    port = run_card_flow(services, SERVICE, [*BY_ID_CARD, SEE_IT, ("choose", "phone"), ("keypad", typed), ("notice", HOME)])
    assert port.last("notice").params["body"] == reason and port.last("notice").params["title"] == change_contact.PHONE_NOT_TAKEN
    assert services.outbox.items() == []


def test_two_different_numbers_are_asked_for_again(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    script = [*BY_ID_CARD, SEE_IT, ("choose", "phone"), ("keypad", NEW_PHONE), ("keypad", "13812345679"), ("notice", OK),
              *TWICE, *FINISH]  # fmt: skip
    port = run_card_flow(services, SERVICE, script)
    assert port.asked("notice")[1].params["title"] == change_contact.PHONES_DIFFER
    assert centre_record(rig)["phone"] == NEW_PHONE and len(rig.centre.contacts.listed()) == 1


def test_the_address_on_record_already_is_nothing_changed(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    script = [*BY_ID_CARD, SEE_IT, ("choose", "address"), ("choose", "凤城街道"), ("chinese_input", "桃花街12号"),
              ("notice", OK), ("choose", HOME)]  # fmt: skip
    port = run_card_flow(services, SERVICE, script)
    notice = port.last("notice").params
    assert (notice["title"], notice["body"]) == (change_contact.NOTHING_CHANGED, SAME_ADDRESS)
    assert services.outbox.items() == []


def test_an_address_over_the_length_limit_is_refused_and_written_again(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    too_long = "向阳路" + "一" * 48  # 51 after 重庆市长寿区凤城街道: over Changshou's 60 characters
    script = [*BY_ID_CARD, SEE_IT, ("choose", "address"), ("choose", "凤城街道"), ("chinese_input", too_long), ("notice", OK),
              ("chinese_input", "向阳路13号"), *FINISH]  # fmt: skip
    port = run_card_flow(services, SERVICE, script)
    assert port.asked("chinese_input")[0].params["max_chars"] == 50
    assert port.last("notice").params["body"] == problem(ADDRESS_REST.limited_to(50), too_long)
    assert centre_record(rig)["address"] == "重庆市长寿区凤城街道向阳路13号"


def test_a_proxy_is_told_only_the_holder_can_change_details(rig, services):
    port = run_card_flow(services, SERVICE, [("choose", on_behalf.FOR_SOMEONE), ("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == change_contact.HOLDER_ONLY and "4.1" in notice["body"].zh
    assert "wait" not in port.screens()  # no ID card was asked for
    assert services.outbox.items() == []


def test_back_from_the_holder_only_notice_asks_whose_details_again(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    script = [("choose", on_behalf.FOR_SOMEONE), ("notice", BACK), *BY_ID_CARD, SEE_IT, ("choose", "phone"), *TWICE, *FINISH]
    run_card_flow(services, SERVICE, script)
    assert centre_record(rig)["phone"] == NEW_PHONE


def test_key_data_is_the_windows_and_a_guidance_slip_says_what_to_bring(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    port = run_card_flow(services, SERVICE, [*BY_ID_CARD, SEE_IT, ("choose", change_contact.KEY_DATA), ("notice", PRINT)])
    assert port.last("notice").params["title"] == change_contact.KEY_DATA_TITLE
    [slip] = printed_jobs(rig)
    text = "".join("".join(slip["lines"]).split())
    assert "办事指引" in text and "户口簿变更页" in text and GEN3_NUMBER not in text
    assert services.outbox.items() == [] and rig.centre.contacts.listed() == []


def test_someone_without_a_card_is_told_there_is_nothing_to_change(rig, services):
    with_cards(rig, id_card="resident")
    port = run_card_flow(services, SERVICE, [*BY_ID_CARD, ("notice", OK)])
    assert port.last("notice").params["title"] == change_contact.NO_CARD
    assert services.outbox.items() == []


def test_walking_away_mid_input_wipes_what_was_entered(rig, services):
    with_cards(rig, id_card=HOLDER_ID)
    script = [*BY_ID_CARD, SEE_IT, ("choose", "both"), *NEW_ADDRESS, ("keypad", NEW_PHONE), ("keypad", HOME)]
    port = run_card_flow(services, SERVICE, script)
    change = port.session.get("change")
    assert (change.holder, change.address, change.phone, change.on_record, change.details) == (None, None, None, None, frozenset())
    assert services.outbox.items() == [] and rig.centre.contacts.listed() == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_change_voucher_in_either_language_names_what_changed_masked_within_one_kilobyte(rig, services, language):  # noqa: F811
    with_cards(rig, id_card=HOLDER_ID)
    run_card_flow(services, SERVICE, [*BY_ID_CARD, SEE_IT, ("choose", "both"), *NEW_ADDRESS, *TWICE, *FINISH], language=language)
    [job] = printed_jobs(rig)
    text = "".join("".join(job["lines"]).split())
    assert job["bytes_received"] <= 1024
    assert "138****5678" in text and NEW_PHONE not in text and "向阳路13号" not in text
    assert "".join(change_contact.IN_EFFECT.get(language).split()) in text and "12333" in text
