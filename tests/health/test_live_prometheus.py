"""Debian's real Prometheus against three simulated terminals on loopback, each a `kiosk
metrics serve` process with its own data and its own printer simulator: one out of paper, one
with a dead outbox item, one healthy. With deploy/monitoring/alerts.yml evaluated every second
(its `for:` waits set to 0), the alerts Prometheus's HTTP API reports firing are exactly the
paper-out and the dead-item ones, on the right terminals."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from hwsim.printer import PrinterSimulator
from kiosk.config import SIMULATOR_CONFIG
from tests.centre.fixtures import unused_port
from tests.health.terminals import terminal_config, with_dead_item
from tests.support.processes import start, stop, wait_for

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"
TERMINALS = {"T01": "paper out", "T02": "dead item", "T03": "healthy"}
EXPECTED = {("KioskPaperOut", "T01"), ("KioskOutboxDeadItem", "T02")}


def write_terminal_config(directory: Path, terminal_id: str, printer_tty: str) -> Path:
    """The simulator config as terminal `terminal_id`, its printer on `printer_tty`."""
    text = SIMULATOR_CONFIG.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^terminal_id = "[^"]*"', f'terminal_id = "{terminal_id}"', text)
    text = re.sub(r'(?m)^printer = "[^"]*"', f'printer = "serial://{printer_tty}?baud=115200"', text)
    directory.mkdir(parents=True)
    (directory / "simulator-terminal.key").write_bytes((SIMULATOR_CONFIG.parent / "simulator-terminal.key").read_bytes())
    path = directory / "terminal.toml"
    path.write_text(text, encoding="utf-8")
    return path


def fast_rules(path: Path) -> None:
    """The district's rules as they are, evaluated every second and firing without waiting."""
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text(encoding="utf-8"))
    for group in rules["groups"]:
        group["interval"] = "1s"
        for rule in group["rules"]:
            rule["for"] = "0s"
    path.write_text(yaml.safe_dump(rules, allow_unicode=True), encoding="utf-8")


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.loads(response.read())


def firing(api: str) -> set[tuple[str, str]]:
    try:
        alerts = get(f"{api}/api/v1/alerts")["data"]["alerts"]
    except OSError:
        return set()
    return {(a["labels"]["alertname"], a["labels"].get("terminal", "")) for a in alerts if a["state"] == "firing"}


def all_up(api: str) -> bool:
    try:
        result = get(f"{api}/api/v1/query?query=up")["data"]["result"]
    except OSError:
        return False
    return len(result) == len(TERMINALS) and all(r["value"][1] == "1" for r in result)


@pytest.fixture
def terminals(tmp_path):
    """The three terminals' exporters: {terminal id: port}."""
    printers, processes, ports = [], [], {}
    try:
        for terminal_id, trouble in TERMINALS.items():
            printer = PrinterSimulator(name=f"printer-{terminal_id}", jobs_dir=tmp_path / terminal_id / "jobs").start()
            printers.append(printer)
            if trouble == "paper out":
                printer.model.set_paper(0)
            data = tmp_path / terminal_id / "data"
            if trouble == "dead item":
                with_dead_item(terminal_config(data))
            config = write_terminal_config(tmp_path / terminal_id / "config", terminal_id, printer.port)
            ports[terminal_id] = unused_port()
            processes.append(start(
                [sys.executable, "-m", "kiosk", "metrics", "serve", "--config", str(config), "--port", str(ports[terminal_id]),
                 "--device", "printer", "--poll-s", "0.5"],
                env={"KIOSK_DATA_DIR": str(data)},
            ))  # fmt: skip
        yield ports
    finally:
        for proc in processes:
            stop(proc)
        for printer in printers:
            printer.stop()


def test_prometheus_fires_paper_out_and_dead_item_on_the_right_terminals_and_nothing_on_the_healthy_one(tmp_path, terminals):
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.fail("prometheus is missing: Debian's `prometheus` package (deploy/apt-packages.txt; scripts/setup installs it)")
    fast_rules(tmp_path / "alerts.yml")
    targets = [{"targets": [f"127.0.0.1:{port}"], "labels": {"outlet": "CS-01", "terminal": terminal_id}}
               for terminal_id, port in terminals.items()]  # fmt: skip
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
        "rule_files": ["alerts.yml"],
        "scrape_configs": [{"job_name": "sscard-kiosk", "scrape_timeout": "900ms", "static_configs": targets}],
    }
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    port = unused_port()
    api = f"http://127.0.0.1:{port}"
    prometheus = start(
        [binary, f"--config.file={tmp_path / 'prometheus.yml'}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        stdout=(tmp_path / "prometheus.log").open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        wait_for(lambda: all_up(api), timeout=15, what="Prometheus scraping all three terminals")
        wait_for(lambda: firing(api) == EXPECTED, timeout=10, what=f"exactly {sorted(EXPECTED)} firing")
        time.sleep(2)  # two more rounds of scrapes and evaluations: still these, still none on T03
        assert firing(api) == EXPECTED
    except TimeoutError:
        raise AssertionError(f"firing: {sorted(firing(api))}; log:\n{(tmp_path / 'prometheus.log').read_text()[-2000:]}")
    finally:
        stop(prometheus)
