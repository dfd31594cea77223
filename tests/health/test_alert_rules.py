"""deploy/monitoring with Debian's own Prometheus tools: the scrape config and the rules are
valid, and the rules' unit tests (tests/alerts_test.yml) pass under `promtool test rules`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

MONITORING = Path(__file__).resolve().parents[2] / "deploy" / "monitoring"


def promtool(*args: str) -> subprocess.CompletedProcess:
    tool = shutil.which("promtool")
    if tool is None:
        pytest.fail("promtool is missing: Debian's `prometheus` package (deploy/apt-packages.txt; scripts/setup installs it)")
    return subprocess.run([tool, *args], cwd=MONITORING, capture_output=True, text=True, timeout=60)


def test_the_scrape_config_and_its_rules_are_valid(tmp_path):
    """Checked as deployed: the district's token file beside it (promtool reads that it exists)."""
    deployed = tmp_path / "monitoring"
    shutil.copytree(MONITORING, deployed)
    (deployed / "sscard-metrics-token").write_text("district-scrape-token-0123456789\n")
    done = promtool("check", "config", str(deployed / "prometheus.yml"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_alert_rules_pass_their_unit_tests():
    done = promtool("test", "rules", "tests/alerts_test.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_has_a_unit_test_that_fires_it():
    import yaml

    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text(encoding="utf-8"))
    alerts = {r["alert"] for g in rules["groups"] for r in g["rules"]}
    tests = yaml.safe_load((MONITORING / "tests" / "alerts_test.yml").read_text(encoding="utf-8"))
    fired = {t["alertname"] for case in tests["tests"] for t in case["alert_rule_test"] if t["exp_alerts"]}
    assert alerts - fired == set()


def test_an_alert_with_a_wrong_threshold_fails_its_unit_test(tmp_path):
    """The unit tests can fail: outbox alerts moved to an hour are caught."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "alerts.yml").write_text((MONITORING / "alerts.yml").read_text().replace("> 1800", "> 3600"))
    shutil.copy(MONITORING / "tests" / "alerts_test.yml", tmp_path / "tests")
    done = promtool("test", "rules", str(tmp_path / "tests" / "alerts_test.yml"))
    assert done.returncode != 0 and "KioskOutboxNotDraining" in done.stdout + done.stderr
