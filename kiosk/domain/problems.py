"""What is wrong with a file someone edits by hand (a terminal's config, a region's policy).

Each problem names the file, the key and the reason. A reader of such a file collects every
problem before giving up, so whoever edits it fixes it in one go instead of one error a run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str
    key: str  # dotted path of the bad key, "-" for the file as a whole
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}"


class FileProblems(Exception):
    """Raised with every problem a file has, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ProblemCollector:
    """Base of a reader that checks a whole file and notes each problem as it goes."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.problems: list[Problem] = []

    def problem(self, key: str, reason: str) -> None:
        self.problems.append(Problem(str(self.path), key, reason))
