"""Finding and reading a region's policy file, cached until the file changes.

A policy is a TOML file in `kiosk/domain/policies/` (one per region), validated against
`policy.schema.json` beside it. Every problem in a file is reported at once, each with the
file and the path of the bad key, so whoever edits a policy fixes it in one go.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from kiosk.domain.policy.builder import PolicyBuilder
from kiosk.domain.policy.model import RegionPolicy
from kiosk.domain.policy.schema import SCHEMA_PATH, schema_problems
from kiosk.domain.problems import FileProblems, Problem

POLICY_DIR = SCHEMA_PATH.parent  # the region files sit beside their schema


class PolicyError(FileProblems):
    """A policy file with mistakes; `problems` lists every one of them."""


def available_regions() -> list[str]:
    return sorted(p.stem for p in POLICY_DIR.glob("*.toml"))


def policy_path(region: str) -> Path:
    return POLICY_DIR / f"{region}.toml"


def load_policy(region: str) -> RegionPolicy:
    """The policy of `region` (a file name in policies/, without .toml)."""
    path = policy_path(region)
    if region not in available_regions():
        known = ", ".join(available_regions())
        raise PolicyError([Problem(str(path), "-", f"unknown region {region!r} (known: {known})")])
    return load_policy_file(path)


def load_policy_file(path: str | Path) -> RegionPolicy:
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise PolicyError([Problem(str(path), "-", "file not found")]) from None
    return _load_cached(path.resolve(), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load_cached(path: Path, mtime_ns: int, size: int) -> RegionPolicy:
    name = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError([Problem(name, "-", f"cannot be read: {exc}")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError([Problem(name, "-", f"not valid TOML: {exc}")]) from None
    problems = [Problem(name, key, reason) for key, reason in schema_problems(raw)]
    if problems:
        raise PolicyError(problems)
    builder = PolicyBuilder(path, raw)
    policy = builder.build()
    if builder.problems:
        raise PolicyError(builder.problems)
    return policy
