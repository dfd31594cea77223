"""A whole service on the in-process fakes (tests/flows/fake_rig.py), run the way the shell runs
it (flows/audited.run_service): the audit trail holds the journey's events in order, the
printer's fault and recovery among them, and nothing personal the session knew."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from kiosk import audit
from kiosk.config import load_config
from kiosk.domain.masking import MASK
from kiosk.flows import on_behalf
from kiosk.flows.audited import run_service
from kiosk.flows.registry import FLOWS
from kiosk.flows.scripted import ScriptedPort
from kiosk.flows.steps import CONFIRM, OK, RETRY
from kiosk.logs import session_secrets
from tests.flows.card_rig import HOLDER_OF, with_cards
from tests.flows.fake_rig import rig, services  # noqa: F401

MINE = ("choose", on_behalf.OWN)


@pytest.fixture
def config(rig):
    return dataclasses.replace(load_config(), centre_url=rig.centre.url)


@pytest.fixture
def trail(tmp_path):
    configured = audit.configure(tmp_path / "audit", "T01")
    yield configured
    audit.configure(None, "")


def journey(services, service: str, script, timeout: float = 60) -> ScriptedPort:
    port = ScriptedPort(script, services=services, service=service)
    asyncio.run(asyncio.wait_for(run_service(service, FLOWS[service], port), timeout))
    assert port.remaining == 0, port.screens()
    return port


def events(trail) -> list[tuple[str, dict]]:
    trail.close()
    return [(e["event"], e["fields"]) for e in trail.file.read().entries]


def test_a_loss_report_leaves_its_events_in_order(rig, services, trail):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    journey(services, "loss_report", [MINE, ("review", CONFIRM), ("done", OK)])
    written = events(trail)
    serial = services.outbox.items()[0].voucher_serial
    assert written == [
        ("service-started", {"service": "loss_report"}),
        ("service-submitted", {"service": "loss_report", "kind": "loss_report"}),
        ("voucher-printed", {"service": "loss_report", "serial": serial}),
        ("service-ended", {"service": "loss_report", "reason": "finished"}),
    ]


def test_paper_running_out_mid_voucher_is_a_fault_and_the_refill_a_recovery(rig, services, trail):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    rig.printer.paper_runs_out_mid_job()
    refill = ("notice", lambda _step: (rig.printer.load_paper(), RETRY)[1])
    journey(services, "loss_report", [MINE, ("review", CONFIRM), refill, ("done", OK)])
    assert [name for name, _ in events(trail)] == [
        "service-started", "service-submitted", "device-fault", "device-recovered", "voucher-printed", "service-ended",
    ]  # fmt: skip
    faults = [fields for name, fields in events(trail) if name.startswith("device-")]
    assert faults == [{"device": "printer", "state": "paper_out"}, {"device": "printer", "state": "online"}]


def test_a_flow_that_fails_ends_as_failed(rig, services, trail):
    async def broken(_port):
        raise RuntimeError("a bug")

    port = ScriptedPort([], services=services, service="activate")
    with pytest.raises(RuntimeError):
        asyncio.run(run_service("activate", broken, port))
    assert events(trail)[-1] == ("service-ended", {"service": "activate", "reason": "failed"})


def test_a_flow_the_resident_leaves_ends_as_left(services, trail):
    async def leave():
        task = asyncio.ensure_future(run_service("pin_change", lambda _p: asyncio.sleep(30), ScriptedPort([], services=services)))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(leave())
    assert events(trail) == [("service-started", {"service": "pin_change"}), ("service-ended", {"service": "pin_change", "reason": "left"})]


def test_nothing_the_session_knew_reaches_the_audit_file(rig, services, trail):
    with_cards(rig, id_card=HOLDER_OF["gen3"])
    journey(services, "loss_report", [MINE, ("review", CONFIRM), ("done", OK)])
    assert len(session_secrets) > 0, "the session learnt nothing personal: this test would prove nothing"
    text = trail.file.path.read_text(encoding="utf-8")
    # The line is scrubbed as it is written: a personal value handed to the trail would show as '*'.
    assert MASK not in text, "something personal reached the audit trail and was masked there"
    assert session_secrets.redact(text) == text
    person = rig.id_reader.people[HOLDER_OF["gen3"]]
    assert person.fields["name"] not in text and person.id_number not in text


def test_the_centre_going_away_and_coming_back_is_a_fault_and_a_recovery(rig, services, trail):
    from kiosk.flows.staff_call import call_staff

    assert call_staff(services, screen="home").centre_has_it  # reachable: where the watch starts
    rig.centre.down()
    assert not call_staff(services, screen="home").centre_has_it
    rig.centre.up()
    assert call_staff(services, screen="home").centre_has_it
    centre = [(name, fields["state"]) for name, fields in events(trail) if fields.get("device") == "centre"]
    assert centre == [("device-fault", "offline"), ("device-recovered", "online")]
    assert [name for name, _ in events(trail)].count("staff-call") == 3


def test_a_flow_that_is_no_residents_service_leaves_no_service_events(services, trail):
    async def staff_tool(_port):
        return "done"

    assert asyncio.run(run_service("maintenance", staff_tool, ScriptedPort([], services=services))) == "done"
    assert not trail.file.path.exists()
