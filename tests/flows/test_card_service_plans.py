"""The card services say where the resident is in their plan (kiosk/flows/card_stages.py),
on the in-process fakes (tests/flows/fake_rig.py)."""

from __future__ import annotations

from kiosk.flows.steps import OK
from tests.flows.card_rig import Pins, run_card_flow, with_cards
from tests.flows.fake_rig import rig, services  # noqa: F401


def strip(port) -> list[tuple[str, str | None]]:
    return [(s.screen, s.progress.label.zh if s.progress else None) for s in port.steps if s.kind == "ask"]


def test_a_pin_change_is_three_steps_and_its_result_is_none_of_them(rig, services):
    with_cards(rig, "gen3")
    pins = Pins()
    script = [("pin_pad", pins("123456")), ("pin_pad", pins("860417")), ("pin_pad", pins("860417")), ("done", OK)]
    port = run_card_flow(services, "pin_change", script)
    assert strip(port) == [
        ("pin_pad", "第2步/共3步 · 原密码"),
        ("pin_pad", "第3步/共3步 · 新密码"),
        ("pin_pad", "第3步/共3步 · 新密码"),  # typed again: the same step
        ("done", None),
    ]
    assert port.steps[0].progress.label.zh == "第1步/共3步 · 插卡"  # waiting for the card
