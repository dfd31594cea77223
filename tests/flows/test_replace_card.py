"""补领 · 换领 · 换发 headless: the ID reader and card simulators (pcscd with the virtual card),
the camera, the printer and the centre simulator, a scripted resident. One test per journey
and per fault of issue 9, each named after what it shows."""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from pathlib import Path

import pytest

from hwsim.card.profile import load_profile
from hwsim.centre.replacement import full_id_number
from kiosk.config import OutboxSettings
from kiosk.flows import apply_card, replace_card, status_query, window_guidance
from kiosk.flows.context import KioskServices
from kiosk.flows.steps import BACK, CONFIRM, HOME, OK
from kiosk.offline.outbox import ItemState, Kind
from kiosk.domain.fees import DUE
from kiosk.domain.replacement import replacement_rules
from kiosk.printing.voucher_layout import FOR_THE_WINDOW, NOT_UPLOADED
from tests.flows.card_rig import Pins, pcscd, rig, run_card_flow, texts, with_cards  # noqa: F401
from tests.flows.conftest import FAST, printed_jobs
from tests.flows.journeys import PHONE, signature_png, take_photo, then
from tests.support.processes import wait_for

pytestmark = pytest.mark.pcsc

UPGRADE = load_profile("upgrade-gen2")
TWICE = load_profile("upgraded-twice")
GEN3 = load_profile("gen3")
LOST_NUMBER = full_id_number("50011519880220084")
LOST_CARD = "A00046802"
CHILD_NUMBER = full_id_number("50011520160612023")
QUICK_RETRIES = OutboxSettings(backoff_base_s=0.1, backoff_cap_s=0.3)


@pytest.fixture
def quick_services(rig, config):
    """The kiosk's services with retries after a tenth of a second, not seconds."""
    services = KioskServices.build(dataclasses.replace(config, outbox=QUICK_RETRIES), timeouts=FAST)
    yield services
    services.close()


def flat(text: str) -> str:
    return "".join(text.split())


def voucher_text(rig) -> str:
    """The printed voucher, line breaks and spaces taken out (it is wrapped at 48 columns)."""
    [job] = printed_jobs(rig)
    return flat("".join(job["lines"]))


def centre(rig, sql: str, *args) -> list[sqlite3.Row]:
    conn = sqlite3.connect(Path(rig.state_dir) / "centre" / "centre.sqlite3")
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def applications(rig) -> list[sqlite3.Row]:
    return centre(rig, "SELECT a.service, r.* FROM applications a JOIN replacements r USING (reference) ORDER BY reference")


# --- what the resident answers, step by step ------------------------------------------------

MYSELF = ("choose", "self")
BY_CARD = [("choose", replace_card.BY_CARD)]
BY_ID_CARD = [("choose", replace_card.BY_DOCUMENT), ("choose", "reader")]


def situation(reason: str):
    return ("choose", reason)


def the_rest(photo=("choose", "on_record"), bank=("choose", "keep"), pickup="on_site"):
    """From the photo to the signature."""
    photo_steps = [photo] if isinstance(photo, tuple) else list(photo)
    bank_step = ("choose", lambda step: step.params["options"][0].code) if bank == ("choose", "keep") else bank
    return [*photo_steps, bank_step, ("choose", pickup), ("keypad", PHONE), ("review", CONFIRM), ("sign", signature_png())]


DONE = [("done", OK)]


# --- journeys -------------------------------------------------------------------------------


def sync_until_sent(services, *items) -> None:
    """Sync rounds until every item is sent: each has its own backoff, so the second item's
    retry may fall due after the first's (one round right after the first was due found the
    reissue still waiting on a loaded machine)."""

    def all_sent() -> bool:
        services.sync.sync_once()
        return all(services.outbox.item(item.id).state is ItemState.SENT for item in items)

    wait_for(all_sent, 10, "every item sent")


def test_upgrade_of_a_2_00_card_with_its_pin_is_free_and_the_voucher_says_what_happens_next(rig, services):
    with_cards(rig, "upgrade-gen2")
    script = [MYSELF, *BY_CARD, ("pin_pad", Pins()("123456")), situation("new_generation"), *the_rest(), *DONE]
    port = run_card_flow(services, "upgrade", script)
    [app] = applications(rig)
    assert (app["service"], app["reason"], app["old_card"], app["photo"], app["bank"]) == (
        "upgrade", "new_generation", UPGRADE.card_number, "on_record", "icbc"
    )
    text = voucher_text(rig)
    assert "换发" in text and "第2代社保卡*****4680" in text and UPGRADE.card_number not in text
    assert "本次免费" in text and "旧社保卡" in text  # Changshou: the window takes the old card
    assert "医保账户余额自动转入新卡" in text and "电子社保卡" in text and "发放部门" in text
    assert flat(NOT_UPLOADED.zh) not in text
    shown = port.last("review").params["rows"]
    rows = dict((label.zh, value) for label, value in shown)
    assert rows["要换的卡"].zh.startswith("第2代社保卡") and "免费" in rows["费用"].zh
    labels = [label.zh for label, _value in shown]
    assert labels[:2] == ["办理业务", "情况"] and labels.index("要换的卡") == labels.index("证件") + 1
    [item] = services.outbox.items()
    assert item.kind == Kind.REPLACEMENT and item.state is ItemState.SENT


def test_upgrade_by_someone_who_already_had_two_third_generation_cards_carries_the_fee(rig, services):
    with_cards(rig, "upgraded-twice")
    script = [MYSELF, *BY_CARD, ("pin_pad", Pins()("123456")), situation("new_generation"), *the_rest(), *DONE]
    run_card_flow(services, "upgrade", script)
    text = voucher_text(rig)
    assert "要交工本费" in text and "金额以窗口告知为准" in text and "交费或抵扣" in text
    assert "元" not in text.replace("单元", "")  # no amount the seeds do not give
    assert len(applications(rig)) == 1


def test_reissue_with_the_loss_report_in_the_same_visit(rig, services):
    with_cards(rig, id_card="lost-not-reported")
    script = [MYSELF, *BY_ID_CARD, situation("lost"), ("notice", CONFIRM), *the_rest(), *DONE]
    port = run_card_flow(services, "reissue", script)
    assert port.asked("notice")[0].params["title"] == replace_card.NOT_YET_LOST
    assert centre(rig, "SELECT status FROM cards WHERE card_number = ?", LOST_CARD)[0]["status"] == "reported_lost"
    assert len(centre(rig, "SELECT * FROM events WHERE kind = 'loss_report' AND card_number = ?", LOST_CARD)) == 1
    [app] = applications(rig)
    assert app["service"] == "reissue" and app["old_card"] == LOST_CARD
    text = voucher_text(rig)
    assert "补领" in text and "已在本次办理中挂失" in text and "现在拨打" not in text  # the hotline line, no "call now"
    assert [i.kind for i in services.outbox.items()] == [Kind.LOSS_REPORT, Kind.REPLACEMENT]
    assert all(i.state is ItemState.SENT for i in services.outbox.items())


def test_reissue_of_a_card_already_reported_lost_makes_no_second_report(rig, services):
    with_cards(rig, id_card="holder-reported-lost")
    script = [MYSELF, *BY_ID_CARD, situation("lost"), *the_rest(), *DONE]
    port = run_card_flow(services, "reissue", script)
    assert replace_card.NOT_YET_LOST not in [s.params.get("title") for s in port.steps]
    assert [i.kind for i in services.outbox.items()] == [Kind.REPLACEMENT]
    assert len(applications(rig)) == 1


def test_replace_a_damaged_card_that_cannot_be_read_with_the_id_card(rig, services):
    with_cards(rig, id_card="holder-gen3")
    script = [MYSELF, *BY_ID_CARD, situation("damaged"), ("choose", replace_card.NO_OLD), *the_rest(), *DONE]
    run_card_flow(services, "replace", script)
    [app] = applications(rig)
    assert app["service"] == "replace" and app["reason"] == "damaged" and app["old_card"] == GEN3.card_number
    text = voucher_text(rig)
    assert "换领" in text and "第3代社保卡*****1521" in text and "旧社保卡" in text


def test_a_guardian_replaces_the_card_of_a_child_with_no_photo_on_record(rig, services):
    with_cards(rig, id_card="mother")
    child = then(lambda: with_cards(rig, id_card="child-no-photo"), "reader")
    script = [("choose", "minor"), ("choose", child), situation("expired"), ("choose", replace_card.NO_OLD),
              *the_rest(photo=("photo", "skip")), *DONE]  # fmt: skip
    port = run_card_flow(services, "replace", script)
    assert port.last("photo").params["optional"] is True  # a child's photo is optional
    [app] = applications(rig)
    assert (app["role"], app["photo"], app["helper"] is not None) == ("minor", "none", True)
    assert CHILD_NUMBER not in voucher_text(rig)


def test_an_adult_with_no_photo_on_record_must_take_one(rig, services):
    rig.centre.store._db.execute("DELETE FROM photos_on_record")
    with_cards(rig, "upgrade-gen2")
    script = [MYSELF, *BY_CARD, ("pin_pad", Pins()("123456")), situation("new_generation"),
              *the_rest(photo=("photo", take_photo)), *DONE]  # fmt: skip
    port = run_card_flow(services, "upgrade", script)
    assert port.last("photo").params["optional"] is False
    assert applications(rig)[0]["photo"] == "new"


def test_a_first_generation_card_without_a_bank_account_must_choose_a_bank(rig, services):
    with_cards(rig, "gen1")
    script = [MYSELF, *BY_CARD, ("pin_pad", Pins()("123456")), situation("new_generation"),
              *the_rest(bank=("choose", "ccb")), *DONE]  # fmt: skip
    port = run_card_flow(services, "upgrade", script)
    bank_question = [s for s in port.asked("choose") if s.params["title"] == apply_card.BANK]
    assert bank_question and applications(rig)[0]["bank"] == "ccb"


def test_a_third_generation_holder_asking_to_upgrade_is_told_so_and_nothing_is_kept(rig, services):
    with_cards(rig, "gen3")
    script = [MYSELF, *BY_CARD, ("pin_pad", Pins()("123456")), situation("new_generation"), ("notice", HOME)]
    port = run_card_flow(services, "upgrade", script)
    notice = port.last("notice").params
    assert notice["title"] == replace_card.ALREADY_THIRD
    assert [a.code for a in notice["actions"]] == [BACK, HOME]  # replace instead, or nothing
    assert services.outbox.items() == [] and applications(rig) == []


# --- faults ---------------------------------------------------------------------------------


def test_a_card_whose_holder_is_not_the_person_identified(rig, services):
    with_cards(rig, "upgraded-twice", id_card="holder-upgrade-gen2")
    script = [MYSELF, *BY_ID_CARD, situation("new_generation"), ("choose", replace_card.INSERT_OLD), ("notice", HOME)]
    port = run_card_flow(services, "upgrade", script)
    assert port.last("notice").params["title"] == replace_card.NOT_THEIR_CARD
    assert services.outbox.items() == [] and applications(rig) == []


def test_a_blocked_pin_on_the_old_card_prints_the_window_guidance_slip(rig, services):
    with_cards(rig, "pin-blocked")
    port = run_card_flow(services, "upgrade", [MYSELF, *BY_CARD, ("notice", window_guidance.PRINT)])
    assert port.asked("notice")[0].params["title"] == window_guidance.PIN_LOCKED
    assert "pin_pad" not in port.screens() and len(printed_jobs(rig)) == 1
    assert services.outbox.items() == []


def test_the_card_pulled_out_mid_read_is_asked_for_again(rig, services):
    with_cards(rig, "upgrade-gen2")
    rig.card.remove(0, during_next_command=True)  # it goes on the kiosk's first command
    back_in = lambda: (time.sleep(0.8), rig.card.insert("upgrade-gen2"))  # noqa: E731
    script = [MYSELF, ("choose", then(back_in, replace_card.BY_CARD)), ("pin_pad", Pins()("123456")),
              situation("new_generation"), *the_rest(), *DONE]  # fmt: skip
    port = run_card_flow(services, "upgrade", script)
    assert "notice" not in port.screens()
    assert len(applications(rig)) == 1


def test_the_reissue_declined_loss_report_explains_and_keeps_nothing(rig, services):
    with_cards(rig, id_card="lost-not-reported")
    script = [MYSELF, *BY_ID_CARD, situation("lost"), ("notice", "decline"), ("notice", OK)]
    port = run_card_flow(services, "reissue", script)
    assert port.last("notice").params["title"] == replace_card.NOT_REPORTED_STOP
    assert services.outbox.items() == [] and applications(rig) == []
    assert centre(rig, "SELECT status FROM cards WHERE card_number = ?", LOST_CARD)[0]["status"] == "active"
    assert printed_jobs(rig, timeout=0.5) == []


def test_centre_down_at_the_card_record_queues_the_upgrade_and_says_the_fee_is_not_checked(rig, quick_services):
    services = quick_services
    rig.centre.down()
    with_cards(rig, "upgrade-gen2")
    script = [MYSELF, *BY_CARD, ("pin_pad", Pins()("123456")), situation("new_generation"), ("notice", OK),
              *the_rest(photo=("photo", take_photo), bank=("choose", "icbc")), *DONE]  # fmt: skip
    port = run_card_flow(services, "upgrade", script)
    assert port.asked("notice")[0].params["title"] == replace_card.OFFLINE
    text = voucher_text(rig)
    assert flat(NOT_UPLOADED.zh) in text and "没能查到是否免费" in text
    asked = run_card_flow(services, "status_query", [("choose", status_query.BY_CARD), ("notice", OK)])
    assert "换发第三代社保卡" in asked.last("notice").params["body"].zh  # still waiting in this kiosk
    rig.centre.up()
    wait_for(lambda: services.outbox.next_due_at() <= time.time(), 5, "the retry to be due")
    services.sync.sync_once()
    assert [a["service"] for a in applications(rig)] == ["upgrade"]


def test_centre_down_before_saving_the_loss_report_and_the_reissue_arrive_in_that_order_once_each(rig, quick_services):
    services = quick_services
    with_cards(rig, id_card="lost-not-reported")
    script = [MYSELF, *BY_ID_CARD, situation("lost"), ("notice", CONFIRM), *the_rest()[:-1],
              ("sign", then(rig.centre.down, signature_png())), *DONE]  # fmt: skip
    port = run_card_flow(services, "reissue", script)
    text = voucher_text(rig)
    assert flat(NOT_UPLOADED.zh) in text and "12333" in text  # call the hotline now
    assert any("12333" in line.zh for line in port.last("done").params["extra"])
    loss, reissue = services.outbox.items()
    assert (loss.kind, reissue.kind) == (Kind.LOSS_REPORT, Kind.REPLACEMENT) and loss.priority > reissue.priority

    rig.centre.up()
    rig.centre.commands()["replay"]({"count": 2})  # a network that delivers each request twice
    sync_until_sent(services, loss, reissue)
    [report] = centre(rig, "SELECT * FROM events WHERE kind = 'loss_report' AND card_number = ?", LOST_CARD)
    [app] = applications(rig)
    received = centre(rig, "SELECT received_at FROM requests ORDER BY received_at")
    assert len(received) == 2  # each once, though every request was delivered twice
    assert report["at"] <= centre(rig, "SELECT received_at FROM applications")[0]["received_at"]
    assert app["service"] == "reissue"


def test_a_reissue_that_arrives_before_its_loss_report_is_retried_not_refused(rig, quick_services):
    services = quick_services
    with_cards(rig, id_card="lost-not-reported")
    def fail_the_loss_report_once() -> bytes:
        rig.centre.commands()["fail5xx"]({"count": 1})
        return signature_png()

    script = [MYSELF, *BY_ID_CARD, situation("lost"), ("notice", CONFIRM), *the_rest()[:-1],
              ("sign", lambda _s: fail_the_loss_report_once()), *DONE]  # fmt: skip
    run_card_flow(services, "reissue", script)
    loss, reissue = services.outbox.items()
    assert reissue.state is not ItemState.REJECTED, services.outbox.alerts()
    sync_until_sent(services, loss, reissue)
    assert len(applications(rig)) == 1


def test_the_screens_never_show_a_full_id_or_card_number(rig, services):
    with_cards(rig, "upgrade-gen2")
    script = [MYSELF, *BY_CARD, ("pin_pad", Pins()("123456")), situation("new_generation"), *the_rest(), *DONE]
    port = run_card_flow(services, "upgrade", script)
    shown = texts(port) + "".join(str(v) for s in port.asked("review") for _l, v in s.params["rows"])
    assert UPGRADE.social_security_number not in shown and UPGRADE.card_number not in shown


def test_back_from_the_situation_returns_to_how_to_identify(rig, services):
    with_cards(rig, id_card="holder-gen3")
    script = [MYSELF, *BY_ID_CARD, situation(BACK), ("choose", HOME)]
    port = run_card_flow(services, "replace", script)
    assert port.last("choose").params["title"] == replace_card.HOW_IDENTIFY


@pytest.mark.parametrize("reason", ["lost", "damaged"])
def test_beijing_sends_lost_and_damaged_cards_to_the_issuing_banks_instant_outlet(rig, services, reason):
    from kiosk.domain.policy import load_policy

    services.policy = load_policy("beijing")  # only the situation step reads it before the notice
    with_cards(rig, id_card="holder-gen3")
    port = run_card_flow(services, "reissue", [MYSELF, *BY_ID_CARD, situation(reason), ("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == replace_card.AT_WINDOW and "即时制卡" in notice["body"].zh
    assert services.outbox.items() == [] and applications(rig) == []


# --- the voucher in the resident's language -------------------------------------------------------

REPLACEMENT_BUDGET = 2048  # bytes: 1.2 KB in Chinese, 1.8 KB in English today; the policy's four "after the new card" notes (seed 000 四) alone are 0.4 and 0.6 KB


@pytest.mark.parametrize("language", ["zh", "en"])
def test_an_upgrade_voucher_in_either_language_carries_the_fee_bank_pickup_and_what_follows(rig, services, language):
    with_cards(rig, "upgraded-twice")
    script = [MYSELF, *BY_CARD, ("pin_pad", Pins()("123456")), situation("new_generation"), *the_rest(), *DONE]
    run_card_flow(services, "upgrade", script, language=language)
    [job] = printed_jobs(rig)
    text = flat("".join(job["lines"]))
    [app] = applications(rig)
    policy = services.policy
    assert flat(DUE.get(language)) in text  # the fee line
    assert flat(policy.bank(app["bank"]).name.get(language)) in text and flat(policy.pickup_method("on_site").name.get(language)) in text
    assert "12333" in text and "*****" in text and app["old_card"] not in text
    assert all(flat(note.get(language)) in text for note in replacement_rules(policy).after_new_card)
    assert (f"{FOR_THE_WINDOW}：换发" in text) == (language == "en") and flat(DUE.zh) in text  # the window reads the fee
    assert job["bytes_received"] <= REPLACEMENT_BUDGET
