"""启用 headless, on the in-process fakes (tests/flows/fake_rig.py): the new card in the fake
card reader, the holder's ID card on the fake ID reader, the centre simulator over loopback HTTP.
The card and ID reader protocols are tested in tests/drivers/."""

from __future__ import annotations

from hwsim.card.profile import load_profile
from kiosk.flows import activate, card_in_reader, centre_calls, pin_entry
from kiosk.flows.steps import BACK, OK, RETRY
from kiosk.offline.outbox import Kind
from tests.flows.card_rig import HOLDER_OF, Pins, run_card_flow, texts, with_cards
from tests.flows.fake_rig import rig, services  # noqa: F401
from tests.flows.journeys import then

NEW_CARD = load_profile("not-activated")
OWN_PIN = "246813"


def centre_status(rig, card_number: str) -> str:
    return rig.centre.store._card(card_number)["status"]


def own_pin_script(pins: Pins, *, last=None) -> list:
    """Initial PIN 123456 checked, then the holder's own PIN twice."""
    confirm = pins(OWN_PIN) if last is None else then(last, pins(OWN_PIN)(None))
    return [("pin_pad", pins("123456")), ("notice", OK), ("pin_pad", pins(OWN_PIN)), ("pin_pad", confirm)]


def test_a_new_card_gets_its_own_pin_and_the_centre_switches_it_on(rig, services):
    with_cards(rig, "not-activated", HOLDER_OF["not-activated"])
    pins = Pins()
    port = run_card_flow(services, "activate", own_pin_script(pins) + [("done", OK)])

    assert centre_status(rig, NEW_CARD.card_number) == "active"
    assert rig.card.chips["not-activated"].pin == OWN_PIN  # changed on the card itself
    done = port.last("done").params
    assert done["title"] == activate.ACTIVATED
    assert {activate.OLD_CARD_STOPS, activate.MEDICAL_BALANCE, activate.E_CARD} <= set(done["extra"])
    assert pins.all_wiped()
    [record] = services.outbox.items()
    assert record.kind == Kind.PIN_CHANGE_RECORD
    payload = services.outbox._open_delivery(record, "test").payload
    assert set(payload) == {"card_number", "changed_at", "terminal_id"}


def test_the_old_card_on_record_is_named_as_stopped(rig, services):
    rig.centre.store.add_card("OLDCARD77", NEW_CARD.social_security_number, "active")
    with_cards(rig, "not-activated", HOLDER_OF["not-activated"])
    port = run_card_flow(services, "activate", own_pin_script(Pins()) + [("done", OK)])
    assert centre_status(rig, "OLDCARD77") == "replaced"
    assert "尾号RD77" in texts(port)


def test_centre_offline_says_activation_needs_the_centre_before_anything_is_typed(rig, services):
    with_cards(rig, "not-activated", HOLDER_OF["not-activated"])
    rig.centre.down()
    port = run_card_flow(services, "activate", [("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == centre_calls.CENTRE_OFFLINE
    assert activate.WHAT.zh in notice["body"].zh and "12333" in notice["body"].zh
    assert "pin_pad" not in port.screens() and services.outbox.items() == []


def test_centre_lost_just_before_activation_is_retried_with_the_same_request(rig, services):
    with_cards(rig, "not-activated", HOLDER_OF["not-activated"])
    script = own_pin_script(Pins(), last=rig.centre.down) + [("notice", then(rig.centre.up, RETRY)), ("done", OK)]
    port = run_card_flow(services, "activate", script)
    assert port.asked("notice")[-1].params["title"] == centre_calls.CENTRE_OFFLINE
    assert centre_status(rig, NEW_CARD.card_number) == "active"


def test_an_id_card_of_someone_else_is_refused(rig, services):
    with_cards(rig, "not-activated", "resident")
    port = run_card_flow(services, "activate", [("notice", BACK)])
    assert port.last("notice").params["title"] == card_in_reader.NOT_THE_HOLDER
    assert centre_status(rig, NEW_CARD.card_number) == "not_activated"


def test_wrong_pin_shows_the_tries_left_and_the_right_one_goes_on(rig, services):
    with_cards(rig, "not-activated", HOLDER_OF["not-activated"])
    pins = Pins()
    script = [("pin_pad", pins("000000")), ("notice", RETRY)] + own_pin_script(pins) + [("done", OK)]
    port = run_card_flow(services, "activate", script)
    wrong = port.asked("notice")[0].params
    assert wrong["title"] == pin_entry.WRONG_PIN and "5" in wrong["body"].zh
    assert centre_status(rig, NEW_CARD.card_number) == "active" and pins.all_wiped()


def test_a_card_already_in_use_is_not_activated_again(rig, services):
    with_cards(rig, "gen3", HOLDER_OF["gen3"])
    port = run_card_flow(services, "activate", [("notice", OK)])
    assert port.last("notice").params["title"] == activate.ALREADY_ACTIVE
    assert "pin_pad" not in port.screens()


def test_a_card_reported_lost_cannot_be_activated(rig, services):
    with_cards(rig, "reported-lost", HOLDER_OF["reported-lost"])
    port = run_card_flow(services, "activate", [("notice", OK)])
    notice = port.last("notice").params
    assert notice["title"] == centre_calls.CENTRE_REFUSED and "已挂失" in notice["body"].zh
