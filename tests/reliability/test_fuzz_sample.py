"""CI's sample of scripts/fuzz: every target, 500 cases each, a fixed seed. The long run
(100,000 cases per target) is the command; its figures are in docs/reliability.md."""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

from tests.reliability.fuzz_targets import targets
from tests.reliability.fuzzing import Target, available, run

SAMPLE_CASES = 500

@pytest.mark.parametrize("target", targets(), ids=lambda t: t.name)
def test_every_parser_takes_the_sample_without_a_new_crash_or_a_hang(target):
    result = run(target, SAMPLE_CASES, time_limit_s=2.0, seed=12)
    if not available(target.module) or target.missing():
        assert result.skipped and target.module in result.skipped and result.cases == 0
        return
    assert result.cases == SAMPLE_CASES
    found = list(result.findings.values())
    assert not found, "\n".join(f"{f.kind} {f.error} at {f.where}, e.g. {f.example}" for f in found)


def _sometimes_broken(value: int) -> None:
    if value == 1:
        raise KeyError("a crash")
    if value == 2:
        while True:  # a parser that spins
            pass
    if value >= 3:
        raise ValueError("the documented error")


def test_a_crash_a_hang_and_a_declared_error_are_told_apart():
    target = Target("toy", "tests.reliability.fuzzing", "toy", (ValueError,), lambda: st.integers(0, 3), _sometimes_broken)
    result = run(target, 200, time_limit_s=0.02, seed=1)
    kinds = sorted((f.kind, f.error.split(":")[0]) for f in result.findings.values())
    assert kinds == [("crash", "KeyError"), ("hang", "more than 0.02 s of CPU")]
    assert result.declared_errors > 0 and result.cases == 200


def test_a_target_whose_module_is_absent_is_skipped_saying_so():
    target = Target("absent", "kiosk.no_such_module", "absent", (), lambda: st.integers(), _sometimes_broken)
    result = run(target, 10)
    assert result.cases == 0 and "kiosk.no_such_module" in result.skipped
