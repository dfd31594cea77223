"""Every screen of every service checked for elderly residents, per display mode: text size,
contrast >= 7:1 (WCAG AAA), touch targets, a voice prompt, the step strip on step screens,
the staff button in the top bar (rules: tests/ui/screen_rules.py; checks on the real widgets:
tests/ui/screen_checks.py; the walk: tests/ui/screen_checks_scenarios.py).

The per-screen table is printed at the end of the pytest run (tests/ui/conftest.py) and
written with every problem found to artifacts/screen-checks/<mode>.txt.
"""

from __future__ import annotations

import pytest

from kiosk.domain.services import GROUPS, SERVICES
from tests.ui.conftest import REPO, run_scenario
from tests.ui.screen_rules import MODES, RULES, TABLES, problems_text, table

pytestmark = pytest.mark.ui

ARTIFACTS = REPO / "artifacts" / "screen-checks"


@pytest.fixture(scope="module", params=sorted(MODES))
def checked(request, portrait_display, tmp_path_factory):
    mode = request.param
    report = run_scenario(
        "every_screen", portrait_display, tmp_path_factory.mktemp(f"screen-checks-{mode}"),
        module="tests.ui.screen_checks_scenarios", extra_env={"KIOSK_SCREEN_CHECK_MODE": mode},
    ).report  # fmt: skip
    results = report["results"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    text = table(results, mode)
    walked = "\n".join(f"{service}: {how}" for service, how in report["flows_ended"].items())
    (ARTIFACTS / f"{mode}.txt").write_text(f"{text}\n\n{problems_text(results)}\n\nflows walked:\n{walked}\n", encoding="utf-8")
    TABLES.append(text)
    return report


def test_every_service_and_every_kind_of_step_was_checked(checked):
    names = set(checked["results"])
    assert {f"service {s.code}" for s in SERVICES} <= names
    assert {f"group {g.code}" for g in GROUPS} <= names
    assert {"attract", "home", "step choose", "step keypad", "step pin_pad", "step review", "step sign", "step done"} <= names


@pytest.mark.parametrize("rule", RULES)
def test_every_screen_follows_the_rule(rule, checked):
    failing = {name: result["checks"][rule] for name, result in checked["results"].items() if result["checks"][rule]}
    assert failing == {}


def test_every_service_with_a_flow_was_walked_through_its_own_screens(checked):
    from kiosk.flows.registry import FLOWS

    walked = {name.split()[1] for name in checked["results"] if name.startswith("flow ")}
    assert walked == set(FLOWS), checked["flows_ended"]


def test_the_strip_is_checked_on_every_step_screen_and_no_menu(checked):
    for name, result in checked["results"].items():
        applies = result["checks"]["step_strip"] is not None
        if name.startswith("step "):
            assert applies, name
        elif not name.startswith("flow "):
            assert not applies, name


def test_every_flow_shows_its_plan_in_the_strip(checked):
    with_strip = {name.split()[1] for name, result in checked["results"].items()
                  if name.startswith("flow ") and result["checks"]["step_strip"] is not None}  # fmt: skip
    walked = {name.split()[1] for name in checked["results"] if name.startswith("flow ")}
    assert with_strip == walked


@pytest.mark.parametrize("rule", RULES)
def test_a_screen_that_breaks_the_rule_fails_it(rule, checked):
    assert checked["broken"]["checks"][rule], f"the deliberately broken screen passed {rule}"
