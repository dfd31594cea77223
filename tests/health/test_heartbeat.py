"""The heartbeat to the centre and the centre's fleet view: the simulator keeps each terminal's
last status (checked against docs/centre-api.yaml as every request is), `kiosk fleet status`
reads it with the terminal's own certificate."""

from __future__ import annotations

import json

import pytest

from kiosk.centre.client import Outcome
from kiosk.centre.connect import centre_client
from kiosk.cli import exitcodes
from kiosk.cli.main import main
from kiosk.drivers.status import DeviceKind, DeviceState, DeviceStatus, SupplyState
from kiosk.health.heartbeat import Heartbeat, heartbeat_key
from kiosk.health.snapshot import HealthSources
from tests.centre.fixtures import local_centre  # noqa: F401  (the centre simulator over HTTPS, in this process)
from tests.health.terminals import terminal_config, with_dead_item
from tests.support.processes import wait_for


def printer(paper: SupplyState) -> list[DeviceStatus]:
    return [DeviceStatus(DeviceKind.PRINTER, DeviceState.ONLINE, supplies={"paper": paper})]


@pytest.fixture
def config(tmp_path, local_centre):
    return terminal_config(tmp_path / "data", centre_url=local_centre.url)


def beat(config, devices=()) -> Heartbeat:
    with centre_client(config) as client:
        heartbeat = Heartbeat(HealthSources(config, lambda: list(devices)), client, 60)
        reply = heartbeat.beat()
    assert reply.ok, reply.reason
    return heartbeat


def test_a_heartbeat_becomes_the_terminals_entry_in_the_fleet_view(config, local_centre):
    with_dead_item(config)
    beat(config, printer(SupplyState.OUT))
    [entry] = local_centre.ctl("fleet")
    assert entry["terminal_id"] == config.terminal_id
    assert entry["status"]["devices"]["printer"]["paper"] == "out"
    assert entry["status"]["outbox"]["items"]["dead"] == 1
    assert abs(entry["clock_skew_s"]) < 5


def test_the_next_heartbeat_replaces_the_last(config, local_centre):
    beat(config, printer(SupplyState.OUT))
    beat(config, printer(SupplyState.FULL))
    [entry] = local_centre.ctl("fleet")
    assert entry["status"]["devices"]["printer"]["paper"] == "full"


def test_the_heartbeat_loop_sends_its_first_beat_at_once(config, local_centre):
    with centre_client(config) as client:
        heartbeat = Heartbeat(HealthSources(config, lambda: []), client, 3600).start()
        try:
            wait_for(lambda: local_centre.ctl("fleet"), timeout=10, what="the first heartbeat")
        finally:
            heartbeat.stop()


def test_a_heartbeat_naming_another_terminal_is_refused(config):
    body = HealthSources(config, lambda: []).take().to_dict() | {"terminal_id": "T99"}
    with centre_client(config) as client:
        reply = client.post_heartbeat(heartbeat_key(), body)
    assert (reply.outcome, reply.status) == (Outcome.REJECTED, 422)


def test_a_heartbeat_with_a_field_the_document_does_not_list_is_refused(config):
    body = HealthSources(config, lambda: []).take().to_dict() | {"name": "王小明"}
    with centre_client(config) as client:
        reply = client.post_heartbeat(heartbeat_key(), body)
    assert (reply.outcome, reply.status) == (Outcome.REJECTED, 422)


def test_a_heartbeat_that_does_not_get_through_is_logged_once_and_the_loop_goes_on(config, local_centre, caplog):
    local_centre.ctl("down")
    with centre_client(config) as client:
        heartbeat = Heartbeat(HealthSources(config, lambda: []), client, 60)
        assert heartbeat.beat().outcome is Outcome.OFFLINE
        assert heartbeat.beat().outcome is Outcome.OFFLINE
    assert caplog.text.count("heartbeat not delivered") == 1


def fleet_status(capsys, url: str) -> tuple[int, dict]:
    code = main(["fleet", "status", "--centre", url, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_fleet_status_reads_the_view_and_exits_0_when_every_terminal_is_fine(config, local_centre, capsys):
    beat(config, printer(SupplyState.FULL))
    code, view = fleet_status(capsys, local_centre.url)
    assert code == exitcodes.OK
    assert [t["terminal_id"] for t in view["terminals"]] == [config.terminal_id]


def test_fleet_status_exits_1_and_says_why_when_a_terminal_needs_someone(config, local_centre, capsys):
    with_dead_item(config)
    beat(config, printer(SupplyState.OUT))
    code, view = fleet_status(capsys, local_centre.url)
    assert code == exitcodes.FAILED
    assert view["problems"][config.terminal_id] == ["paper out", "outbox: 1 dead, 0 rejected"]


def test_fleet_status_with_the_centre_down_exits_6(config, local_centre, capsys):
    local_centre.ctl("down")
    assert main(["fleet", "status", "--centre", local_centre.url]) == exitcodes.OFFLINE
    assert "could not be read" in capsys.readouterr().err


def test_a_terminal_silent_for_ten_minutes_is_flagged():
    from kiosk.cli.cmd_fleet import problems

    status = {"devices": {}, "outbox": {"items": {"dead": 0, "rejected": 0}}}
    assert problems({"age_s": 601, "status": status}) == ["no heartbeat for 10 min"]
    assert problems({"age_s": 599, "status": status}) == []


def test_a_heartbeat_sent_at_a_date_no_calendar_has_is_refused(config):
    body = HealthSources(config, lambda: []).take().to_dict() | {"sent_at": "0000-02-31T00:00:00Z"}
    with centre_client(config) as client:
        reply = client.post_heartbeat(heartbeat_key(), body)
    assert (reply.outcome, reply.status) == (Outcome.REJECTED, 422)


def test_the_last_centre_contact_is_the_last_answer_the_centre_itself_gave(config, local_centre):
    from kiosk.centre.contact_clock import LAST_CENTRE_ANSWER

    before = LAST_CENTRE_ANSWER.last
    local_centre.ctl("fail5xx", count=1)
    with centre_client(config) as client:
        assert client.health().status == 503
        assert LAST_CENTRE_ANSWER.last == before  # a failing centre is no successful contact
        assert client.health().ok
    assert LAST_CENTRE_ANSWER.last is not None and LAST_CENTRE_ANSWER.last != before
    assert HealthSources(config, lambda: []).take().last_centre_contact_at == LAST_CENTRE_ANSWER.last
