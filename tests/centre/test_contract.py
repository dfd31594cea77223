"""docs/centre-api.yaml and the centre simulator agree, as a client no one here wrote finds them.

schemathesis (`st run`) runs against `kiosk sim centre`, started as a real process on loopback
and stopped by PID, over mutual TLS with the client certificate the simulator enrolled, with every check it has plus contract_checks.py and all four phases:
the document's examples, coverage (boundaries, missing and malformed parts, undeclared
methods), fuzzing, and stateful sequences along the document's links (an application it
submitted, then its status; a loss report, then its cancellation). A fixed seed and a bounded
number of examples keep it under a minute on a 2-core machine; CONTRACT_EXAMPLES (examples per
operation) and CONTRACT_SEED run it longer or differently. Every endpoint the document gains
goes through the same run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hwsim.centre.contract import contract
from hwsim.centre.server import SIMULATED_TERMINAL, simulator_tls_dir
from kiosk.enrolment import TerminalTls

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "centre-api.yaml"
CONFIG = Path(__file__).with_name("schemathesis.toml")
ST = str(Path(sys.executable).with_name("st"))
SEED = int(os.environ.get("CONTRACT_SEED", "16"))
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "6"))  # scripts/long-checks: 50
PHASES = ("examples", "coverage", "fuzzing", "stateful")
BUDGET_S = max(300, 15 * EXAMPLES)  # for the whole test; the default run takes under a minute


def run_schemathesis(
    url: str, report_dir: Path, phases: tuple[str, ...] = PHASES, only: tuple[str, ...] = ()
) -> tuple[subprocess.CompletedProcess, dict, list[dict]]:
    """`st run` with the test's settings: its output, its JSON report and its NDJSON events.
    `only`: `--include-…` arguments that narrow the run to some operations."""
    tls = TerminalTls(simulator_tls_dir())
    env = {
        "SCHEMATHESIS_HOOKS": "tests.centre.contract_checks",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "hardware-sim"), os.environ.get("PYTHONPATH", "")]),
        "NO_COLOR": "1",
    }
    cmd = [
        ST, "--config-file", str(CONFIG), "run", str(DOC), "--url", url,
        "--checks", "all", "--phases", ",".join(phases), *only, "--seed", str(SEED), "--max-examples", str(EXAMPLES),
        "--report", "json,ndjson", "--report-dir", str(report_dir), "--output-truncate", "false",
        # mutual TLS, as terminal T01 the simulator enrolled; the centre is checked against its CA
        "--request-cert", str(tls.cert_file), "--request-cert-key", str(tls.key_file), "--tls-verify", str(tls.ca_file),
        "--header", f"X-Terminal-Id: {SIMULATED_TERMINAL}",  # another id is 403 wrong_terminal, by design
    ]  # fmt: skip
    report_dir.mkdir(parents=True, exist_ok=True)  # also its working directory, for its .schemathesis cache
    done = subprocess.run(
        cmd, cwd=report_dir, env={**os.environ, **env}, capture_output=True, text=True, timeout=BUDGET_S - 30
    )
    report = next(report_dir.glob("*.json"), None)
    events = next(report_dir.glob("*.ndjson"), None)
    return (
        done,
        json.loads(report.read_text(encoding="utf-8")) if report else {},
        [json.loads(line) for line in events.read_text(encoding="utf-8").splitlines()] if events else [],
    )


def followed_links(events: list[dict]) -> set[tuple[str, int]]:
    """(link name, status answered) of every request the stateful phase made along a documented link."""
    followed = set()
    for event in events:
        scenario = event.get("ScenarioFinished", {})
        if scenario.get("phase") != "stateful":
            continue
        recorder = scenario.get("recorder", {})
        for case_id, case in recorder.get("cases", {}).items():
            transition = case.get("transition") or {}
            interaction = recorder.get("interactions", {}).get(case_id)
            if transition and not transition["is_inferred"] and interaction:
                followed.add((transition["id"].split(" -> ")[1].split()[-1], interaction["response"]["status_code"]))
    return followed


@pytest.mark.timeout(BUDGET_S)
def test_schemathesis_finds_no_disagreement_between_the_document_and_the_centre(centre, tmp_path):
    done, report, events = run_schemathesis(centre.url, tmp_path / "schemathesis")
    summary = done.stdout[-30_000:] + done.stderr[-5_000:]
    assert done.returncode == 0 and report.get("failures") == [] and report.get("errors") == [], summary
    assert report["complete"] and report["seed"] == SEED
    assert {name: phase["status"] for name, phase in report["phases"].items()} == {name: "success" for name in PHASES}
    documented = len(contract(DOC).operations)
    assert report["operations"]["tested"] == report["operations"]["total"] == documented
    assert report["test_cases"]["generated"] >= EXAMPLES * documented


@pytest.mark.timeout(BUDGET_S)
def test_the_stateful_phase_follows_the_link_from_an_application_to_its_status(centre, tmp_path):
    """Narrowed to the applications, so the random walk over every link cannot spend its
    steps elsewhere: every endpoint the document gains would otherwise reshuffle it."""
    only = ("--include-tag", "applications")
    done, report, events = run_schemathesis(centre.url, tmp_path / "schemathesis", ("stateful",), only)
    summary = done.stdout[-30_000:] + done.stderr[-5_000:]
    assert done.returncode == 0 and report.get("failures") == [] and report.get("errors") == [], summary
    # it submitted an application, then asked for its status along the document's link
    assert ("ApplicationStatus", 200) in followed_links(events), summary
