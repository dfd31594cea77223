"""The Prometheus exporter: served over HTTP by the config's [metrics], built from the
snapshot at scrape time, off in the simulator config, its settings checked."""

from __future__ import annotations

import dataclasses
import re
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.config import ConfigError, MetricsSettings, load_config
from kiosk.drivers.status import DeviceKind, DeviceState, DeviceStatus, SupplyState
from kiosk.health.exporter import exposition
from kiosk.health.monitor import HealthMonitor
from kiosk.health.snapshot import HealthSources
from tests.centre.fixtures import local_centre  # noqa: F401  (enrols the simulator's terminal)
from tests.health.terminals import terminal_config, with_dead_item, with_waiting


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def scrape(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


@pytest.fixture
def printer():
    """A printer status the test can change between scrapes."""
    box = [DeviceStatus(DeviceKind.PRINTER, DeviceState.ONLINE, supplies={"paper": SupplyState.FULL})]
    return box


def test_a_scrape_reads_the_terminal_as_it_is_at_that_moment(tmp_path, printer):
    config = terminal_config(tmp_path / "data")
    settings = MetricsSettings(enabled=True, port=0, heartbeat_s=0)
    monitor = HealthMonitor(HealthSources(config, lambda: list(printer)), settings).start()
    try:
        url = f"http://127.0.0.1:{monitor.server.port}/metrics"
        first = samples(scrape(url))
        assert first[("kiosk_printer_paper", (("state", "full"),))] == 1
        printer[0] = dataclasses.replace(printer[0], supplies={"paper": SupplyState.OUT})
        with_waiting(config, 4)
        with_dead_item(config)
        second = samples(scrape(url))
    finally:
        monitor.stop()
    assert second[("kiosk_printer_paper", (("state", "out"),))] == 1
    assert second[("kiosk_printer_paper", (("state", "full"),))] == 0
    assert second[("kiosk_outbox_items", (("state", "pending"),))] == 4
    assert second[("kiosk_outbox_items", (("state", "dead"),))] == 1
    assert second[("kiosk_outbox_needing_staff", (("kind", "loss_report"),))] == 1
    assert second[("kiosk_device_state", (("device", "printer"), ("state", "online")))] == 1


def test_the_build_certificate_and_clock_are_exported(tmp_path, local_centre):
    text = exposition(HealthSources(terminal_config(tmp_path / "data"), lambda: [])).decode()
    names = {name for name, _ in samples(text)}
    assert {"kiosk_build_info", "kiosk_certificate_expiry_timestamp_seconds", "kiosk_clock_timestamp_seconds"} <= names


def test_no_process_or_platform_metrics_are_exported(tmp_path):
    """The default collectors name the command line, its paths and the Python build."""
    text = exposition(HealthSources(terminal_config(tmp_path / "data"), lambda: [])).decode()
    assert all(name.startswith("kiosk_") for name, _ in samples(text))


def test_the_exporter_is_off_in_the_simulator_config():
    assert load_config().metrics.enabled is False


def test_a_port_already_taken_is_logged_and_the_terminal_goes_on(tmp_path, caplog):
    config = terminal_config(tmp_path / "data")
    first = HealthMonitor(HealthSources(config, lambda: []), MetricsSettings(enabled=True, port=0, heartbeat_s=0)).start()
    try:
        taken = MetricsSettings(enabled=True, port=first.server.port, heartbeat_s=0)
        second = HealthMonitor(HealthSources(config, lambda: []), taken).start()
        assert second.server is None
        assert "cannot listen" in caplog.text
        second.stop()
    finally:
        first.stop()


def write_config(tmp_path, metrics: str):
    from kiosk.config import SIMULATOR_CONFIG

    text = SIMULATOR_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r"\[metrics\]\n(.+\n)+", f"[metrics]\n{metrics}\n", text, count=1)
    path = tmp_path / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    for sibling in ("simulator-terminal.key",):
        (tmp_path / sibling).write_bytes((SIMULATOR_CONFIG.parent / sibling).read_bytes())
    return path


@pytest.mark.parametrize(
    "line, key",
    [('port = 80', "metrics.port"), ('port = 70000', "metrics.port"), ('bind = "kiosk.local"', "metrics.bind"),
     ('heartbeat_s = -1', "metrics.heartbeat_s"), ('heartbeat_s = 7200', "metrics.heartbeat_s")],
)  # fmt: skip
def test_a_metrics_setting_out_of_range_is_named_with_its_key(tmp_path, line, key):
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, line))
    assert any(key in str(p) for p in caught.value.problems)


TOKEN = "district-scrape-token-0123456789"


def test_with_a_token_file_a_scrape_without_the_token_is_refused_and_one_with_it_is_served(tmp_path):
    token_file = tmp_path / "metrics-token"
    token_file.write_text(TOKEN + "\n")
    settings = MetricsSettings(enabled=True, port=0, heartbeat_s=0, token_file=str(token_file))
    monitor = HealthMonitor(HealthSources(terminal_config(tmp_path / "data"), lambda: []), settings).start()
    url = f"http://127.0.0.1:{monitor.server.port}/metrics"
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            scrape(url)
        wrong = urllib.request.Request(url, headers={"Authorization": "Bearer not-the-token-at-all"})
        with pytest.raises(urllib.error.HTTPError) as wrong_refused:
            urllib.request.urlopen(wrong, timeout=5)
        right = urllib.request.Request(url, headers={"Authorization": f"Bearer {TOKEN}"})
        with urllib.request.urlopen(right, timeout=5) as response:
            served = response.read().decode()
    finally:
        monitor.stop()
    assert refused.value.code == wrong_refused.value.code == 401
    assert "kiosk_build_info" in served


def test_a_token_too_short_to_guard_anything_keeps_the_exporter_off(tmp_path, caplog):
    token_file = tmp_path / "metrics-token"
    token_file.write_text("1234\n")
    settings = MetricsSettings(enabled=True, port=0, heartbeat_s=0, token_file=str(token_file))
    monitor = HealthMonitor(HealthSources(terminal_config(tmp_path / "data"), lambda: []), settings).start()
    monitor.stop()
    assert monitor.server is None and "shorter than 16" in caplog.text


def test_a_production_terminal_serving_beyond_itself_without_a_token_is_a_config_problem(tmp_path):
    from kiosk.config import EXAMPLE_TERMINAL_CONFIG

    text = EXAMPLE_TERMINAL_CONFIG.read_text(encoding="utf-8").replace('bind = "127.0.0.1"', 'bind = "10.21.1.11"', 1)
    path = tmp_path / "terminal.toml"
    path.write_text(re.sub(r"(?m)^token_file = .*\n", "", text), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any("metrics.token_file" in str(p) and "unauthenticated" in str(p) for p in caught.value.problems)
