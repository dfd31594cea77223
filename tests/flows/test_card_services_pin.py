"""密码修改 and 密码重置 headless, and the blocked-PIN way to the window, on the in-process fakes
(tests/flows/fake_rig.py): the card in the fake card reader, the centre simulator over loopback
HTTP, the fake printer (its jobs read back by the printer simulator's ESC/POS model). The card
and printer protocols are tested in tests/drivers/."""

from __future__ import annotations

import logging

import pytest

from hwsim.card.profile import load_profile
from kiosk.domain import pin_rules
from kiosk.flows import card_in_reader, centre_calls, on_behalf, pin_change, pin_entry, pin_reset, window_guidance
from kiosk.flows.steps import BACK, HOME, OK, RETRY
from kiosk.offline.outbox import ItemState, Kind
from tests.flows.card_rig import HOLDER_OF, Pins, run_card_flow, with_cards
from tests.flows.fake_rig import printed_jobs, rig, services  # noqa: F401
from tests.flows.journeys import then

MINE = ("choose", on_behalf.OWN)  # "whose card is it?": my own

GEN3 = load_profile("gen3")
NEW = "860417"


def chip(rig, profile: str):
    return rig.card.chips[profile]


# --- change ------------------------------------------------------------------------------


def test_pin_change_happens_on_the_card_and_only_a_record_without_the_pin_is_queued(rig, services, caplog):
    caplog.set_level(logging.DEBUG)
    with_cards(rig, "gen3")
    pins = Pins()
    script = [("pin_pad", pins("123456")), ("pin_pad", pins(NEW)), ("pin_pad", pins(NEW)), ("done", OK)]
    port = run_card_flow(services, "pin_change", script)
    assert chip(rig, "gen3").pin == NEW
    assert port.last("done").params["title"] == pin_change.CHANGED
    assert pins.all_wiped()
    [item] = services.outbox.items()
    assert item.kind == Kind.PIN_CHANGE_RECORD
    payload = services.outbox._open_delivery(item, "test").payload
    assert payload["card_number"] == GEN3.card_number and NEW not in str(payload) and "123456" not in str(payload)
    services.sync.sync_once()  # the centre accepts it (it refuses any record that carries a PIN)
    assert services.outbox.item(item.id).state is ItemState.SENT
    assert NEW not in caplog.text and "123456" not in caplog.text
    assert port.session.keys() == ["card"]  # the session kept the card's data, never a PIN


def test_wrong_old_pin_shows_tries_left_and_keeps_the_card_pin(rig, services):
    with_cards(rig, "gen3")
    port = run_card_flow(services, "pin_change", [("pin_pad", Pins()("111111")), ("notice", BACK)])
    notice = port.last("notice").params
    assert notice["title"] == pin_entry.WRONG_PIN and "5" in notice["body"].zh
    assert chip(rig, "gen3").pin == "123456" and chip(rig, "gen3").pin_tries_left == 5


def test_the_last_try_warns_that_the_pin_will_lock(rig, services):
    with_cards(rig, "gen1")  # 3 tries
    wrong = Pins()
    script = [("pin_pad", wrong("999999")), ("notice", RETRY), ("pin_pad", wrong("999999")), ("notice", BACK)]
    port = run_card_flow(services, "pin_change", script)
    assert pin_entry.LAST_TRY.zh in port.last("notice").params["body"].zh


@pytest.mark.parametrize(
    "profile, old, easy, reason",
    [
        ("gen3", "123456", "888888", pin_rules.SAME_DIGITS),
        ("gen3", "123456", "654321", pin_rules.RUN),
        ("gen3", "123456", "900215", pin_rules.BIRTH_DATE),  # born 1990-02-15
        ("gen3", "123456", "150290", pin_rules.BIRTH_DATE),
        ("long-name", "135790", "135790", pin_rules.SAME_AS_OLD),
    ],
)
def test_an_easy_new_pin_is_refused_before_it_reaches_the_card(rig, services, profile, old, easy, reason):
    with_cards(rig, profile)
    pins = Pins()
    script = [("pin_pad", pins(old)), ("pin_pad", pins(easy)), ("notice", OK), ("pin_pad", pins(NEW)), ("pin_pad", pins(NEW)), ("done", OK)]
    port = run_card_flow(services, "pin_change", script)
    refused = port.asked("notice")[0].params
    assert refused["title"] == pin_entry.PIN_NOT_ALLOWED and refused["body"] == reason
    assert chip(rig, profile).pin == NEW and pins.all_wiped()


def test_two_different_new_pins_are_asked_again(rig, services):
    with_cards(rig, "gen3")
    pins = Pins()
    script = [("pin_pad", pins("123456")), ("pin_pad", pins(NEW)), ("pin_pad", pins("860418")), ("notice", OK),
              ("pin_pad", pins(NEW)), ("pin_pad", pins(NEW)), ("done", OK)]  # fmt: skip
    port = run_card_flow(services, "pin_change", script)
    assert port.asked("notice")[0].params["title"] == pin_entry.PINS_DIFFER
    assert chip(rig, "gen3").pin == NEW and pins.all_wiped()


def test_leaving_half_way_wipes_the_old_pin_and_changes_nothing(rig, services):
    with_cards(rig, "gen3")
    pins = Pins()
    run_card_flow(services, "pin_change", [("pin_pad", pins("123456")), ("pin_pad", HOME)])
    assert pins.all_wiped() and chip(rig, "gen3").pin == "123456" and services.outbox.items() == []


def test_card_pulled_out_during_the_change_says_so(rig, services):
    with_cards(rig, "gen3")
    pull = lambda: rig.card.remove(0, during_next_command=True)  # noqa: E731
    script = [("pin_pad", Pins()("123456")), ("pin_pad", Pins()(NEW)), ("pin_pad", then(pull, bytearray(NEW.encode()))), ("notice", OK)]
    port = run_card_flow(services, "pin_change", script)
    notice = port.last("notice").params
    assert notice["title"] == card_in_reader.CARD_PROBLEM and "拔出" in notice["body"].zh
    assert services.outbox.items() == []


# --- blocked -------------------------------------------------------------------------------


def test_a_blocked_pin_goes_to_the_window_with_a_printed_slip(rig, services):
    with_cards(rig, "pin-blocked")
    port = run_card_flow(services, "pin_change", [("notice", window_guidance.PRINT)])
    notice = port.asked("notice")[0].params
    assert notice["title"] == window_guidance.PIN_LOCKED
    assert services.policy.service("unlock").guidance.zh in notice["body"].zh
    assert "pin_pad" not in port.screens()  # no PIN is asked of a blocked card
    [slip] = printed_jobs(rig)
    text = "\n".join(slip["lines"])
    assert "社保卡解锁" in text and services.policy.service("unlock").guidance.zh[:12] in text
    assert services.outbox.items() == []


def test_the_last_wrong_pin_blocks_and_leads_to_the_window(rig, services):
    with_cards(rig, "gen1")  # 3 tries
    wrong = Pins()
    script = [("pin_pad", wrong("999999")), ("notice", RETRY), ("pin_pad", wrong("999999")), ("notice", RETRY),
              ("pin_pad", wrong("999999")), ("notice", HOME)]  # fmt: skip
    port = run_card_flow(services, "pin_change", script)
    assert port.last("notice").params["title"] == window_guidance.PIN_LOCKED
    assert chip(rig, "gen1").pin_tries_left == 0 and wrong.all_wiped()


def test_the_slip_not_printed_says_what_to_remember(rig, services):
    with_cards(rig, "pin-blocked")
    rig.printer.run_out_of_paper()
    port = run_card_flow(services, "pin_change", [("notice", window_guidance.PRINT), ("notice", OK)])
    failed = port.last("notice").params
    assert failed["title"] == window_guidance.SLIP_NOT_PRINTED and "12333" in failed["body"].zh


# --- reset ---------------------------------------------------------------------------------


def test_reset_unblocks_the_card_with_the_centres_reload_block(rig, services):
    with_cards(rig, "pin-blocked", HOLDER_OF["pin-blocked"])
    pins = Pins()
    port = run_card_flow(services, "pin_reset", [MINE, ("pin_pad", pins(NEW)), ("pin_pad", pins(NEW)), ("done", OK)])
    assert port.last("done").params["title"] == pin_reset.RESET
    state = chip(rig, "pin-blocked")
    assert state.pin == NEW and state.pin_tries_left == state.profile.pin_retry_limit
    assert pins.all_wiped() and services.outbox.items() == []


def test_reset_with_the_centre_offline_says_so_at_once(rig, services):
    with_cards(rig, "pin-blocked", HOLDER_OF["pin-blocked"])
    rig.centre.down()
    port = run_card_flow(services, "pin_reset", [("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == centre_calls.CENTRE_OFFLINE and pin_reset.WHAT.zh in notice["body"].zh
    assert port.screens().count("pin_pad") == 0 and chip(rig, "pin-blocked").pin_tries_left == 0


def test_reset_when_the_centre_goes_away_after_the_new_pin_can_be_retried(rig, services):
    with_cards(rig, "pin-blocked", HOLDER_OF["pin-blocked"])
    pins = Pins()
    script = [MINE, ("pin_pad", pins(NEW)), ("pin_pad", then(rig.centre.down, pins(NEW)(None))),
              ("notice", then(rig.centre.up, RETRY)), ("done", OK)]  # fmt: skip
    port = run_card_flow(services, "pin_reset", script)
    assert port.asked("notice")[0].params["title"] == centre_calls.CENTRE_OFFLINE
    assert chip(rig, "pin-blocked").pin == NEW and pins.all_wiped()


def test_reset_refuses_an_id_card_that_is_not_the_holders(rig, services):
    with_cards(rig, "pin-blocked", HOLDER_OF["gen3"])
    port = run_card_flow(services, "pin_reset", [MINE, ("notice", BACK), ("choose", BACK)])  # back: whose card?
    assert port.last("notice").params["title"] == card_in_reader.NOT_THE_HOLDER
    assert chip(rig, "pin-blocked").pin_tries_left == 0


def test_reset_of_a_card_reported_lost_is_refused_by_the_centre(rig, services):
    with_cards(rig, "reported-lost", HOLDER_OF["reported-lost"])
    port = run_card_flow(services, "pin_reset", [("notice", OK)])
    assert port.last("notice").params["title"] == centre_calls.CENTRE_REFUSED
    assert "pin_pad" not in port.screens()
