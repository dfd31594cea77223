"""The new-card application, the journey that holds the most about a person (photo, phone,
address, a child, a proxy by passport), on the simulator rig (tests/flows/conftest.py: ID reader
on a pty, camera over MJPEG, printer, centre): afterwards a scrape and a heartbeat name nobody."""

from __future__ import annotations

import json

import pytest

from kiosk.health.exporter import exposition
from kiosk.health.journeys import JourneyCounter, JourneyEvent
from kiosk.health.monitor import statuses_of
from kiosk.health.snapshot import HealthSources
from tests.flows import journeys
from tests.flows.conftest import config, rig, run_flow, services  # noqa: F401
from tests.flows.journeys import FINISH
from tests.health.personal import personal_values_in, recording_session_secrets, simulator_people_values  # noqa: F401

APPLICATIONS = {
    "for_myself": lambda: journeys.for_myself("resident", pickup_entries=journeys.pickup("post", "id_card")) + FINISH,
    "for_my_child": lambda: journeys.for_my_child("mother", "minor") + FINISH,
    "for_another_adult_by_passport": lambda: journeys.for_another_adult_by_passport("elder") + FINISH,
}


@pytest.mark.parametrize("who", list(APPLICATIONS))
def test_a_scrape_after_an_application_holds_no_personal_data(who, services, recording_session_secrets):  # noqa: F811
    counter = JourneyCounter()
    counter.count("apply", JourneyEvent.STARTED)
    run_flow(services, APPLICATIONS[who]())
    counter.count("apply", JourneyEvent.FINISHED)
    sources = HealthSources(services.config, statuses_of([services.id_reader, services.printer]), journeys=counter)
    try:
        scraped = exposition(sources).decode()
        heartbeat = json.dumps(sources.take().to_dict(), ensure_ascii=False)
    finally:
        sources.close()
    assert 'kiosk_journeys_total{event="finished",service="apply"} 1.0' in scraped
    assert 'kiosk_outbox_items{state="sent"} 1.0' in scraped  # the application went to the centre
    values = simulator_people_values() | recording_session_secrets
    assert personal_values_in(scraped, values) == []
    assert personal_values_in(heartbeat, values) == []
