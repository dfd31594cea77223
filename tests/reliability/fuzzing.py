"""The fuzzing engine behind scripts/fuzz: hypothesis draws the cases, a target runs its parser.

A target names the module it tests and the error type(s) that module documents for bad
input. Each case runs under a per-case limit of CPU time (ITIMER_PROF): a documented error is an answer,
anything else is a crash, and running past the limit is a hang. Findings are grouped by
exception type and the line that raised it, with the first input that showed each (its repr
cut short: inputs here are synthetic, never a resident's data).

Hypothesis is used for generation only (no shrinking, no example database): `mutated()`
draws a valid sample the target supplies and changes it (flips, inserts, deletions,
repeats, splices), which reaches deeper into a parser than random bytes alone.
"""

from __future__ import annotations

import importlib.util
import signal
import time
import traceback
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from hypothesis import HealthCheck, Phase, given, seed as hypothesis_seed, settings, strategies as st

BATCH = 50
INTERESTING_BYTES = (0x00, 0x01, 0x7F, 0x80, 0xFF, 0xAA, 0x96, 0x69, 0x90, 0x61, 0x6C, 0x20, 0x0A)


class Hang(BaseException):
    """Raised by the alarm inside a case that ran past its CPU time limit (BaseException: a parser's
    own `except Exception` must not swallow it)."""


@dataclass(frozen=True)
class Target:
    name: str
    module: str  # the module under test: the target is skipped, saying so, when it is absent
    about: str
    declared: tuple[type[BaseException], ...]  # the module's documented error type(s)
    strategy: Callable[[], st.SearchStrategy]  # built when the target runs
    check: Callable[[Any], None]  # runs the parser on one case
    missing: Callable[[], str | None] = lambda: None  # why the module, present, cannot be fuzzed yet


@dataclass
class Finding:
    kind: str  # "crash" or "hang"
    error: str
    where: str
    example: str
    count: int = 1


@dataclass
class Result:
    target: str
    cases: int = 0
    seconds: float = 0.0
    declared_errors: int = 0
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    skipped: str | None = None

    @property
    def cases_per_s(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "cases": self.cases, "seconds": round(self.seconds, 1),
                "cases_per_s": round(self.cases_per_s), "declared_errors": self.declared_errors,
                "findings": [vars(f) for f in self.findings.values()], "skipped": self.skipped}  # fmt: skip


def available(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [f for f in frames if "/kiosk/" in f.filename] or frames
    last = inside[-1]
    return f"{last.filename.rsplit('/kiosk/', 1)[-1]}:{last.lineno} in {last.name}"


class _Clock:
    """The per-case limit in CPU seconds (ITIMER_PROF): a parser that spins is caught, a machine
    busy with other work is not mistaken for one. `fired` also tells of an alarm that landed
    where Python could not raise it (inside a garbage collector callback)."""

    fired = False

    @classmethod
    def on_alarm(cls, _signum: int, _frame: Any) -> None:
        cls.fired = True
        raise Hang()


def run(target: Target, cases: int, time_limit_s: float = 1.0, seed: int = 0) -> Result:
    """`cases` cases of `target` (fewer when hypothesis has tried every distinct input)."""
    result = Result(target.name)
    if not available(target.module):
        result.skipped = f"{target.module} is not in this tree yet; nothing to fuzz"
        return result
    if (why := target.missing()) is not None:
        result.skipped = why
        return result

    def batch(values: list[Any]) -> None:
        for value in values[: cases - result.cases]:
            one(value)

    def one(value: Any) -> None:
        result.cases += 1
        _Clock.fired = False
        signal.setitimer(signal.ITIMER_PROF, time_limit_s)
        try:
            target.check(value)
        except target.declared:
            result.declared_errors += 1
        except Hang as exc:
            _record(result, "hang", f"more than {time_limit_s} s of CPU", _where(exc), value)
        except Exception as exc:  # anything else is a crash: the point of the exercise
            _record(result, "crash", f"{type(exc).__name__}: {str(exc)[:160]}", _where(exc), value)
        else:
            if _Clock.fired:  # the alarm went off where it could not be raised: a hang all the same
                _record(result, "hang", f"more than {time_limit_s} s of CPU", "(not raised)", value)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)

    # BATCH cases per hypothesis example: its own cost per example (about a millisecond) would
    # otherwise be most of the run.
    test = given(st.lists(target.strategy(), min_size=BATCH, max_size=BATCH))(batch)
    test = settings(max_examples=-(-cases // BATCH), database=None, deadline=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))(test)  # fmt: skip
    previous = signal.signal(signal.SIGPROF, _Clock.on_alarm)
    started = time.monotonic()
    try:
        hypothesis_seed(seed)(test)()
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        result.seconds = time.monotonic() - started
    return result


def _record(result: Result, kind: str, error: str, where: str, value: Any) -> None:
    key = (error.split(":")[0], where)
    if key in result.findings:
        result.findings[key].count += 1
    else:
        result.findings[key] = Finding(kind, error, where, repr(value)[:300])


# --- strategies the targets share ---------------------------------------------------------


@st.composite
def mutated(draw: st.DrawFn, seeds: Sequence[bytes], max_size: int = 8192, keep_length: bool = False) -> bytes:
    """A valid sample with a few random changes, or now and then plain random bytes.
    `keep_length`: changes in place only (for fixed-size blocks, whose length is checked first)."""
    if not keep_length and draw(st.integers(0, 15)) == 0:
        return draw(st.binary(max_size=64))
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 5))):
        op = draw(st.sampled_from((0, 1, 7, 8) if keep_length else (0, 1, 2, 3, 4, 5, 6, 7, 8)))
        at = draw(st.integers(0, len(data))) if data else 0
        if op == 0 and data:  # flip bits of one byte
            data[min(at, len(data) - 1)] ^= draw(st.integers(1, 255))
        elif op == 1 and data:  # an interesting byte
            data[min(at, len(data) - 1)] = draw(st.sampled_from(INTERESTING_BYTES))
        elif op == 2:  # insert a few random bytes
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == 3:  # delete a slice
            del data[at : at + draw(st.integers(1, 64))]
        elif op == 4 and data:  # repeat a slice
            end = min(len(data), at + draw(st.integers(1, 64)))
            data[at:at] = data[at:end] * draw(st.integers(1, 8))
        elif op == 5:  # cut the end off
            del data[at:]
        elif op == 6:  # another sample spliced in
            other = draw(st.sampled_from(seeds))
            data[at:at] = other[: draw(st.integers(0, len(other)))]
        elif op == 7 and len(data) >= 2:  # a 16-bit field set to an edge value
            value = draw(st.sampled_from((0, 1, 2, 3, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF)))
            start = min(at, len(data) - 2)
            data[start : start + 2] = value.to_bytes(2, draw(st.sampled_from(("big", "little"))))
        elif op == 8 and data:  # a slice overwritten with random bytes
            noise = draw(st.binary(min_size=1, max_size=32))[: len(data) - min(at, len(data) - 1)]
            start = min(at, len(data) - len(noise))
            data[start : start + len(noise)] = noise
    return bytes(data[:max_size])


def chunked(data: st.SearchStrategy[bytes]) -> st.SearchStrategy[list[bytes]]:
    """Bytes as a serial line delivers them: in pieces of any size."""

    @st.composite
    def pieces(draw: st.DrawFn) -> list[bytes]:
        whole = draw(data)
        cuts = sorted(draw(st.lists(st.integers(0, len(whole)), max_size=6)))
        bounds = [0, *cuts, len(whole)]
        return [whole[a:b] for a, b in zip(bounds, bounds[1:])]

    return pieces()


# --- scripts/fuzz -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    from tests.reliability.fuzz_targets import targets

    every = {t.name: t for t in targets()}
    parser = argparse.ArgumentParser(prog="scripts/fuzz", description="Fuzz every parser of outside input (docs/reliability.md).")
    parser.add_argument("targets", nargs="*", metavar="TARGET", help=f"default: all of {', '.join(every)}")
    parser.add_argument("--cases", type=int, default=100_000, help="cases per target (default 100000)")
    parser.add_argument("--seed", type=int, default=0, help="the generator's seed (a run repeats with it)")
    parser.add_argument("--time-limit", type=float, default=1.0, help="CPU seconds one case may take before it is a hang (default 1)")
    parser.add_argument("--json", action="store_true", help="the results as JSON on stdout")
    args = parser.parse_args(argv)
    unknown = [name for name in args.targets if name not in every]
    if unknown or args.cases < 1 or args.time_limit <= 0:
        parser.error(f"unknown target(s) {', '.join(unknown)}" if unknown else "--cases and --time-limit must be positive")
    results = []
    for name in args.targets or list(every):
        result = run(every[name], args.cases, args.time_limit, args.seed)
        results.append(result)
        if not args.json:
            print(_line(result), flush=True)
            for finding in result.findings.values():
                print(f"    {finding.kind.upper()} x{finding.count}: {finding.error}\n      at {finding.where}\n      e.g. {finding.example}")
    if args.json:
        print(json.dumps([r.to_dict() for r in results], indent=2))
    return 1 if any(r.findings for r in results) else 0


def _line(result: Result) -> str:
    if result.skipped:
        return f"{result.target:<18} SKIPPED: {result.skipped}"
    return (f"{result.target:<18} {result.cases:>7} cases  {result.cases_per_s:>7.0f} cases/s  "
            f"{result.declared_errors:>7} declared errors  {len(result.findings)} finding(s)")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
