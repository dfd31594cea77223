"""After every kind of journey the fake rig runs (tests/flows), a scrape of the exporter and the
heartbeat's body hold no personal data: none of the simulators' people, none of the values the
session masked in its logs. Each journey is the flow test's own, run again here, then the
terminal is scraped as Prometheus would."""

from __future__ import annotations

import json

import pytest

from kiosk.health.exporter import exposition
from kiosk.health.journeys import JourneyCounter, JourneyEvent
from kiosk.health.monitor import statuses_of
from kiosk.health.snapshot import HealthSources
from tests.flows import test_card_services_activate as activate
from tests.flows import test_card_services_loss as loss
from tests.flows import test_card_services_pin as pin
from tests.flows import test_card_services_status as status
from tests.flows import test_change_contact as contact
from tests.flows import test_employer_batch as batch
from tests.flows.conftest import config  # noqa: F401  (the simulator config, centre on the fake rig)
from tests.flows.fake_rig import rig  # noqa: F401
from tests.health.personal import personal_values_in, recording_session_secrets, simulator_people_values  # noqa: F401

JOURNEYS = {
    "loss_report": lambda rig, services, **_: loss.test_loss_report_is_sent_at_once_and_the_voucher_proves_it(rig, services),
    "loss_report_refused": lambda rig, services, **_: loss.test_a_report_the_centre_refuses_sends_the_resident_to_12333_and_alerts_staff(rig, services),
    "loss_cancel": lambda rig, services, **_: loss.test_cancelling_a_loss_report_with_the_card_and_its_pin(rig, services),
    "activate": lambda rig, services, **_: activate.test_a_new_card_gets_its_own_pin_and_the_centre_switches_it_on(rig, services),
    "pin_change": lambda rig, services, caplog, **_: pin.test_pin_change_happens_on_the_card_and_only_a_record_without_the_pin_is_queued(rig, services, caplog),
    "pin_reset": lambda rig, services, **_: pin.test_reset_unblocks_the_card_with_the_centres_reload_block(rig, services),
    "status_query": lambda rig, services, **_: status.test_by_card_shows_the_card_its_pin_and_expiry(rig, services),
    "info_change": lambda rig, services, **_: contact.test_the_holder_changes_the_address_and_phone_with_the_id_card(rig, services),
    "batch_new": lambda rig, services, drive, tmp_path, **_: batch.test_a_clean_package_is_submitted_and_the_batch_voucher_printed(rig, services, drive, tmp_path),
}  # fmt: skip
SERVICE = {"loss_report_refused": "loss_report"}


@pytest.mark.parametrize("journey", list(JOURNEYS))
def test_a_scrape_after_the_journey_holds_no_personal_data(journey, rig, config, tmp_path, caplog, recording_session_secrets):  # noqa: F811
    drive = batch.FakeUsbDrive()
    built = batch.build_services(rig, config, drive)  # the flow tests' services, with a USB drive for the batch
    journeys = JourneyCounter()
    try:
        service = SERVICE.get(journey, journey)
        journeys.count(service, JourneyEvent.STARTED)
        JOURNEYS[journey](rig=rig, services=built, drive=drive, tmp_path=tmp_path, caplog=caplog)
        journeys.count(service, JourneyEvent.FINISHED)
        devices = [built.id_reader, built.printer, built.card_reader, built.usb_drive, built.staff_signal]
        sources = HealthSources(built.config, statuses_of(devices), journeys=journeys)
        scraped = exposition(sources).decode()
        heartbeat = json.dumps(sources.take().to_dict(), ensure_ascii=False)
        sources.close()
    finally:
        built.close()
    assert f'kiosk_journeys_total{{event="finished",service="{service}"}} 1.0' in scraped  # the journey is in it
    values = simulator_people_values() | recording_session_secrets  # the people, and what the session masked
    assert personal_values_in(scraped, values) == []
    assert personal_values_in(heartbeat, values) == []


def test_the_check_finds_a_person_where_one_is(rig):  # noqa: F811
    """The list is the simulators' people, and the check would see one of them in a scrape."""
    values = simulator_people_values()
    holder = "王芳"  # the gen3 card's holder (hwsim/card/profiles/gen3.toml)
    assert holder in values and len(values) > 20
    assert personal_values_in(f'kiosk_journeys_total{{service="{holder}"}} 1.0', values) == ["王芳…"]
