"""他人代办 for the card services headless: a proxy reports a card lost or resets a PIN for
the holder (seed 003 5.1 2) and 6.1 2)), on the in-process fakes (tests/flows/fake_rig.py):
the fake ID reader and card reader, the centre simulator over loopback HTTP, the fake printer."""

from __future__ import annotations

from hwsim.card.profile import load_profile
from hwsim.centre.test_ca import simulator_person_hash as person_hash
from kiosk.domain.application import WRONG_CARD
from kiosk.flows import on_behalf, pin_reset
from kiosk.flows.identify import PLACE_CARD
from kiosk.flows.steps import BACK, CONFIRM, HOME, OK
from kiosk.flows.wording import fill
from kiosk.offline.outbox import ItemState
from tests.flows.card_rig import HOLDER_OF, Pins, run_card_flow, texts, with_cards
from tests.flows.fake_rig import rig, services  # noqa: F401
from tests.flows.journeys import people
from tests.flows.test_card_services_loss import voucher_lines


GEN3 = load_profile("gen3")
BLOCKED = load_profile("pin-blocked")
FOR_SOMEONE = ("choose", on_behalf.FOR_SOMEONE)
PROXY = "resident"  # an adult from the ID reader simulator's people, holder of no card here
NEW = "860417"


def when_asked_for_the_holders_card(rig, person: str):
    """The resident's reaction to "place the cardholder's ID card": take theirs away, put it there."""
    title = fill(PLACE_CARD, whose=on_behalf.CARDHOLDER_ID)
    return (lambda step: step.screen == "wait" and step.params.get("title") == title, lambda: with_cards(rig, id_card=person))


def centre_events(rig, kind: str, card_number: str) -> list[dict]:
    rows = rig.centre.store._db.execute("SELECT * FROM events WHERE kind = ? AND card_number = ?", [kind, card_number]).fetchall()
    return [dict(row) for row in rows]


def test_a_proxy_reports_the_holders_card_lost_and_the_centre_knows_who_did(rig, services):
    with_cards(rig, id_card=PROXY)  # the proxy's own card first: they are the one at the kiosk
    port = run_card_flow(
        services, "loss_report", [FOR_SOMEONE, ("review", CONFIRM), ("done", OK)],
        reactions=[when_asked_for_the_holders_card(rig, HOLDER_OF["gen3"])],
    )  # fmt: skip
    assert rig.centre.store._card(GEN3.card_number)["status"] == "reported_lost"
    proxy = people()[PROXY]
    [event] = centre_events(rig, "loss_report", GEN3.card_number)
    assert event["proxy"] == person_hash(proxy.id_number)
    rows = {label.zh: value for label, value in port.last("review").params["rows"]}
    assert rows["姓名"] == "王*"  # the holder's name on the review, not the proxy's
    assert rows[on_behalf.PROXY_ROW.zh].startswith(proxy.fields["name"][0] + "*") and proxy.id_number not in rows[on_behalf.PROXY_ROW.zh]
    text = voucher_lines(rig)
    masked_proxy = "".join(rows[on_behalf.PROXY_ROW.zh].split())
    assert f"代办人：{masked_proxy}" in text  # a line of its own, under the holder's
    assert proxy.id_number not in text and proxy.fields["name"] not in text
    [item] = services.outbox.items()
    assert item.state is ItemState.SENT


def test_a_proxy_under_18_is_refused(rig, services):
    with_cards(rig, id_card="minor")
    port = run_card_flow(services, "loss_report", [FOR_SOMEONE, ("notice", BACK), ("choose", BACK)])
    assert port.asked("notice")[0].params["body"] == WRONG_CARD["helper_too_young"]
    assert centre_events(rig, "loss_report", GEN3.card_number) == []


def test_the_proxys_own_card_left_on_the_reader_is_not_taken_for_the_holders(rig, services):
    with_cards(rig, id_card=PROXY)  # and never replaced by the holder's
    port = run_card_flow(services, "loss_report", [FOR_SOMEONE, ("notice", HOME)])
    assert port.last("notice").params["body"] == WRONG_CARD["same_person"]
    assert centre_events(rig, "loss_report", GEN3.card_number) == []


def test_a_childs_card_can_be_reported_by_a_parent(rig, services):
    """The holder may be of any age when someone else reports the card (a child's lost card)."""
    minor = people()["minor"]
    rig.centre.store.add_card("CHILD0001", minor.id_number, "active", generation=3, source="test")
    with_cards(rig, id_card=PROXY)
    run_card_flow(
        services, "loss_report", [FOR_SOMEONE, ("review", CONFIRM), ("done", OK)],
        reactions=[when_asked_for_the_holders_card(rig, "minor")],
    )  # fmt: skip
    assert rig.centre.store._card("CHILD0001")["status"] == "reported_lost"


def test_a_proxy_resets_the_pin_with_the_holders_card_and_their_own_id_card(rig, services):
    with_cards(rig, "pin-blocked", PROXY)
    pins = Pins()
    port = run_card_flow(services, "pin_reset", [FOR_SOMEONE, ("pin_pad", pins(NEW)), ("pin_pad", pins(NEW)), ("done", OK)])
    assert port.last("done").params["title"] == pin_reset.RESET
    [event] = centre_events(rig, "pin_reset", BLOCKED.card_number)
    assert event["proxy"] == person_hash(people()[PROXY].id_number)
    assert pins.all_wiped()


def test_the_holders_own_id_card_offered_as_the_proxys_is_explained(rig, services):
    with_cards(rig, "pin-blocked", HOLDER_OF["pin-blocked"])
    port = run_card_flow(services, "pin_reset", [FOR_SOMEONE, ("notice", BACK), ("choose", BACK)])
    assert port.last("notice").params["title"] == on_behalf.HOLDERS_OWN_ID
    assert "我自己的卡" in texts(port)
    assert centre_events(rig, "pin_reset", BLOCKED.card_number) == []


def test_the_centre_refuses_a_proxy_who_is_the_holder(rig, services):
    reply = services.centre.report_loss(
        "loss_report:proxy-is-holder", {"id_number": GEN3.social_security_number, "proxy": {"id_number": GEN3.social_security_number, "name": GEN3.holder_name}}
    )
    assert reply.status == 422 and reply.data["error"]["code"] == "proxy_is_holder"
    assert rig.centre.store._card(GEN3.card_number)["status"] == "active"
