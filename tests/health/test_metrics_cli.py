"""`kiosk metrics show` and `kiosk metrics serve`: what a technician reads, and their exit codes."""

from __future__ import annotations

import json
import socket

from kiosk.cli import exitcodes
from kiosk.cli.main import main
from kiosk.config import load_config
from tests.health.terminals import with_dead_item


def test_show_json_is_the_heartbeats_body(capsys):
    with_dead_item(load_config())  # $KIOSK_DATA_DIR: this test's own
    assert main(["metrics", "show", "--json", "--device", "printer"]) == exitcodes.OK
    status = json.loads(capsys.readouterr().out)
    assert status["outbox"]["items"]["dead"] == 1
    assert status["devices"] == {"printer": {"state": "no_device", "cover": "unknown", "paper": "unknown"}}


def test_show_prometheus_is_what_a_scrape_reads(capsys):
    assert main(["metrics", "show", "--prometheus", "--device", "printer"]) == exitcodes.OK
    out = capsys.readouterr().out
    assert 'kiosk_device_state{device="printer",state="no_device"} 1.0' in out


def test_show_says_plainly_when_there_is_no_outbox_yet(capsys):
    assert main(["metrics", "show", "--device", "printer"]) == exitcodes.OK
    assert "not readable (no database yet?)" in capsys.readouterr().out


def test_serve_on_a_port_already_taken_exits_1_and_says_so(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        code = main(["metrics", "serve", "--port", str(taken.getsockname()[1]), "--device", "printer"])
    assert code == exitcodes.FAILED
    assert "cannot listen" in capsys.readouterr().err
