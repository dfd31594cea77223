"""Identification: each way a card or a typed document can be wrong has its own screen."""

from __future__ import annotations

import threading

from hwsim.centre.test_ca import simulator_person_hash as person_hash
from kiosk.domain.application import WRONG_CARD, Position, Role
from kiosk.domain.documents import REASONS
from kiosk.flows import identify
from kiosk.flows.steps import BACK, HOME, OK, RETRY
from kiosk.flows.wording import fill
from tests.flows import journeys
from tests.flows.conftest import centre_rows, printed_jobs, run_flow
from tests.flows.journeys import FINISH, place, the_rest, then, with_card

PEOPLE = journeys.people()


def notices(port) -> list[tuple]:
    return [(s.params["title"], s.params["body"]) for s in port.asked("notice")]


def test_expired_card_gets_its_own_screen_and_a_valid_card_goes_on(rig, services):
    script = [("choose", "self"), ("choose", with_card("expired")), ("notice", with_card("resident", RETRY)), *the_rest(), *FINISH]
    port = run_flow(services, script)
    [(title, body)] = notices(port)
    assert title == identify.EXPIRED and "2023-06-01" in body.zh and "2023-06-01" in body.en
    assert len(printed_jobs(rig)) == 1 and len(services.outbox.items()) == 1


def test_a_childs_card_where_an_adult_applies_is_the_wrong_card(rig, services):
    port = run_flow(services, [("choose", "self"), ("choose", with_card("minor")), ("notice", HOME)])
    assert notices(port) == [(identify.WRONG_TITLE, WRONG_CARD["applicant_is_minor"])]
    assert services.outbox.items() == []


def test_an_adults_card_as_the_childs_card_is_the_wrong_card(rig, services):
    script = [("choose", then(lambda: place("mother"), "minor")), ("choose", with_card("resident")), ("notice", HOME)]
    port = run_flow(services, script)
    assert notices(port) == [(identify.WRONG_TITLE, WRONG_CARD["child_is_not_minor"])]


def test_a_guardian_under_18_is_refused(rig, services):
    port = run_flow(services, [("choose", then(lambda: place("teen"), "minor")), ("notice", HOME)])
    assert notices(port) == [(identify.WRONG_TITLE, WRONG_CARD["helper_too_young"])]


def test_the_guardians_card_left_on_the_reader_is_not_taken_for_the_childs(rig, services):
    def swap_cards_a_moment_later(_step):
        threading.Timer(0.6, place, ["minor"]).start()  # the guardian's card lies there meanwhile
        return "reader"

    script = [("choose", then(lambda: place("mother"), "minor")), ("choose", swap_cards_a_moment_later),
              *the_rest(photo=False), *FINISH]  # fmt: skip
    port = run_flow(services, script)
    assert notices(port) == []
    asked_for_the_child = [s for s in port.steps if s.screen == "wait" and s.params["picture"] == "id_card"][-1]
    assert asked_for_the_child.params["body"] == fill(identify.PLACE_NEXT_CARD_BODY, whose=identify.WHOSE_DOCUMENT[Role.MINOR, Position.APPLICANT])
    [row] = centre_rows(rig)
    assert row["person"] == person_hash(PEOPLE["minor"].id_number)


def test_the_same_card_left_on_the_reader_until_the_wait_ends_gets_its_own_screen(rig, services):
    script = [("choose", then(lambda: place("mother"), "minor")), ("choose", "reader"), ("notice", HOME)]
    port = run_flow(services, script)
    assert notices(port) == [(identify.WRONG_TITLE, WRONG_CARD["same_person"])]


def test_unreadable_card_gets_its_own_screen_and_a_retry_reads_it(rig, services):
    def faulty_read():
        place("resident")
        rig.id_reader.fault("status", count=1, sw3="41", command="30 01")  # the read fails once

    script = [("choose", "self"), ("choose", then(faulty_read, "reader")), ("notice", RETRY), ("photo", HOME)]
    port = run_flow(services, script)
    [(title, _body)] = notices(port)
    assert title == identify.UNREADABLE
    assert port.screens().count("wait") >= 2  # it waited for the card again after the retry


def test_no_card_placed_gets_its_own_screen(rig, services):
    port = run_flow(services, [("choose", "self"), ("choose", with_card(None)), ("notice", BACK), ("choose", HOME)])
    assert notices(port) == [(identify.NO_CARD, identify.NO_CARD_BODY)]


def test_reader_gone_gets_its_own_screen(rig, services):
    def unplug():
        place("resident")
        rig.id_reader.unplug()

    port = run_flow(services, [("choose", "self"), ("choose", then(unplug, "reader")), ("notice", HOME)])
    assert notices(port) == [(identify.READER_GONE, identify.READER_GONE_BODY)]
    assert port.last("notice").params["tone"] == "error"


def test_typed_passport_is_checked_before_it_is_accepted(rig, services):
    def bad_number_is_refused_on_the_keypad(step):
        assert step.params["keypad"] == "text"
        assert step.params["validate"]("E12") == REASONS["passport"]
        assert step.params["validate"]("ABCDEFGH") == REASONS["passport"]  # no digit at all
        assert step.params["validate"](journeys.PASSPORT) is None
        return "E12"  # the screen let it through anyway: the flow says so itself

    script = [
        ("choose", then(lambda: place("resident"), "proxy")),
        ("choose", "typed"),
        ("choose", "passport"),
        ("keypad", bad_number_is_refused_on_the_keypad),
        ("notice", OK),
        ("keypad", journeys.PASSPORT),
        ("keypad", "li jianguo 3"),  # a digit in a name
        ("notice", OK),
        ("keypad", journeys.PASSPORT_NAME),
        ("chinese_input", ""),  # a foreigner without a Chinese name
        ("photo", HOME),
    ]
    port = run_flow(services, script)
    assert [body for _title, body in notices(port)] == [REASONS["passport"], REASONS["name"]]


def test_household_register_number_of_a_child_is_accepted_and_an_adults_is_not(rig, services):
    child, adult = PEOPLE["minor"].id_number, PEOPLE["resident"].id_number
    script = [
        ("choose", then(lambda: place("mother"), "minor")),
        ("choose", "typed"),
        ("keypad", adult),
        ("keypad", "CHEN SIYUAN"),
        ("notice", BACK),
        ("keypad", child.lower()),  # an x typed in lower case is still the check character
        ("keypad", "CHEN SIYUAN"),
        ("photo", HOME),
    ]
    port = run_flow(services, script)
    assert notices(port) == [(identify.WRONG_TITLE, WRONG_CARD["child_is_not_minor"])]
    register_pad = port.asked("keypad")[0]
    assert register_pad.params["keypad"] == "id_number"
    assert register_pad.params["validate"]("500115") is not None
