"""A typed permit or passport holder's Chinese name, written on the Chinese input screen."""

from __future__ import annotations

from kiosk.flows.chinese_entry import SCREEN
from kiosk.flows.steps import HOME
from tests.flows import journeys
from tests.flows.conftest import run_flow
from tests.flows.test_apply_journeys import sent_bodies


def test_a_passport_holders_chinese_name_goes_with_the_application(rig, services):
    run_flow(services, journeys.for_another_adult_by_passport("resident") + journeys.FINISH)
    [body] = sent_bodies(services)
    assert body["applicant"]["name"] == journeys.PASSPORT_NAME
    assert body["applicant"]["chinese_name"] == journeys.PASSPORT_CHINESE_NAME


def test_a_foreigner_without_a_chinese_name_keeps_the_latin_one(rig, services):
    script = journeys.for_another_adult_by_passport("resident")
    script[script.index((SCREEN, journeys.PASSPORT_CHINESE_NAME))] = (SCREEN, "")
    port = run_flow(services, script + journeys.FINISH)
    assert port.asked(SCREEN)[0].params["optional"] is True
    [body] = sent_bodies(services)
    assert "chinese_name" not in body["applicant"] and body["applicant"]["name"] == journeys.PASSPORT_NAME


def test_a_permit_holder_must_write_the_chinese_name(rig, services):
    script = [
        ("choose", journeys.then(lambda: journeys.place("resident"), "proxy")),
        ("choose", "typed"),
        ("choose", "hmt_travel_permit"),
        ("keypad", "H12345678"),
        ("keypad", "CHAN TAI MAN"),
        (SCREEN, ""),
        ("notice", "ok"),
        (SCREEN, "陈大文"),
        ("photo", HOME),
    ]
    port = run_flow(services, script)
    assert port.asked(SCREEN)[0].params["optional"] is False
    assert port.asked("notice")[0].params["body"].zh == "还没有写字。"
