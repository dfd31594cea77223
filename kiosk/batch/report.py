"""What checking a package found: the people in the sheet, every problem, and a way back to
each person's files.

`PackageReport` is the contract with the submission flow and the screens: `people` in sheet
order with `passed`, `problems` (package, row and file problems together), the employer read
from the title, and `package_digest` for idempotency keys. `files_of(person)` reads that
person's images again from the drive, with the same limits, and refuses a file whose
fingerprint differs from the one checked (`PackageChanged`), so what is submitted is what
was checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kiosk.batch.kinds import BatchKind
from kiosk.batch.problems import BatchProblem, ProblemCode, Scope
from kiosk.batch.source import DEFAULT_LIMITS, Limits, MemberDamaged, MemberTooLarge, PackageRefused, PackageSource, SourceLost, open_source
from kiosk.domain.masking import mask_id_number, mask_name
from kiosk.domain.policy import ImageKind
from kiosk.domain.replacement import Reason


@dataclass(frozen=True)
class CheckedFile:
    """One image of a person as it was checked: where it is and what its bytes were."""

    kind: ImageKind
    member: str  # the member's name in the package
    size: int
    fingerprint: str  # kiosk.batch.source.Sample: what a later read must match


@dataclass(frozen=True, repr=False)
class BatchPerson:
    """One row of the sheet. Personal data: `repr` is masked, never log the fields."""

    row: int  # as Excel numbers it
    id_number: str  # as written (folded, capital X); checked only if `passed`
    name: str
    nation: str  # GB/T 3304 short name (汉, 土家), "" if unknown
    nation_code: str  # "01", "" if unknown
    validity_start: date | None
    validity_end: date | None  # None with validity_start set: 长期
    phone: str
    bank_code: str  # the policy's partner bank code, "" if unknown
    address: str
    minor: bool  # under 16 on the day of the check
    passed: bool
    replacement_reason: Reason | None = None  # REPLACE only
    photo_changes: bool | None = None  # REPLACE only; NEW: a photo is always given (minors: optional)
    files: tuple[CheckedFile, ...] = ()

    @property
    def long_term(self) -> bool:
        return self.validity_start is not None and self.validity_end is None

    def file(self, kind: ImageKind) -> CheckedFile | None:
        for f in self.files:
            if f.kind is kind:
                return f
        return None

    def __repr__(self) -> str:
        return f"BatchPerson(row={self.row}, {mask_name(self.name)!r}, {mask_id_number(self.id_number)!r}, passed={self.passed})"


class PackageChanged(Exception):
    """A person's file on the drive is no longer the one that was checked: check again."""


@dataclass
class PackageReport:
    source: Path
    readable: bool
    kind: BatchKind | None
    rows: int  # people in the sheet (rows with anything in them below the header)
    people: list[BatchPerson]
    problems: list[BatchProblem]
    employer_name: str | None = None  # from the sheet's title, when it says
    employer_credit_code: str | None = None  # from the title, checked (GB 32100)
    package_digest: str = ""  # hex SHA-256 over the sheet's bytes and every image's name and fingerprint
    checked_on: date | None = None
    sheet_name: str = ""  # the sheet file's member name
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)  # Column value -> column number, for the marked copy
    limits: Limits = field(default=DEFAULT_LIMITS, repr=False)

    @property
    def ok(self) -> int:
        """People who passed every check."""
        return sum(p.passed for p in self.people)

    @property
    def all_passed(self) -> bool:
        return self.readable and not self.problems and self.ok == self.rows

    def passed_people(self) -> list[BatchPerson]:
        return [p for p in self.people if p.passed] if self.readable else []

    def problems_of(self, person: BatchPerson) -> list[BatchProblem]:
        return [p for p in self.problems if p.row == person.row]

    def package_problems(self) -> list[BatchProblem]:
        return [p for p in self.problems if p.row is None]

    def by_person(self) -> list[tuple[BatchPerson | None, list[BatchProblem]]]:
        """Problems grouped as a screen shows them: the package's first, then each person's in row order."""
        groups: list[tuple[BatchPerson | None, list[BatchProblem]]] = []
        package = self.package_problems()
        if package:
            groups.append((None, package))
        for person in self.people:
            mine = self.problems_of(person)
            if mine:
                groups.append((person, mine))
        return groups

    def files_of(self, person: BatchPerson) -> dict[ImageKind, bytes]:
        """The person's images, read again from the drive. Raises SourceLost if the drive is gone,
        PackageChanged if a file is not the one checked. For many people, `open_files()`."""
        with self.open_files() as files:
            return files.of(person)

    def open_files(self) -> "PersonFiles":
        """The package opened once for reading many people's files: `with report.open_files() as f: f.of(p)`."""
        try:
            return PersonFiles(open_source(self.source, self.limits), self.limits)
        except PackageRefused as refused:  # gone, or no longer a package: the drive was pulled or swapped
            raise SourceLost(2, f"the package cannot be opened again: {refused.problem.code}") from None

    def scope_of(self, found: BatchProblem) -> Scope:
        if found.row is None:
            return Scope.PACKAGE
        return Scope.FILES if found.code in _FILE_CODES else Scope.ROW


_FILE_CODES = frozenset(
    {
        ProblemCode.PHOTO_MISSING,
        ProblemCode.ID_SCAN_MISSING,
        ProblemCode.HOUSEHOLD_PAGE_MISSING,
        ProblemCode.IMAGE_NOT_JPEG,
        ProblemCode.IMAGE_DAMAGED,
        ProblemCode.IMAGE_TOO_LARGE,
        ProblemCode.PHOTO_SIZE,
    }
)


class PersonFiles:
    """An opened package that hands out people's checked files (see PackageReport.files_of)."""

    def __init__(self, source: PackageSource, limits: Limits) -> None:
        self._source = source
        self._limits = limits
        self._members = {m.name: m for m in source.members}

    def of(self, person: BatchPerson) -> dict[ImageKind, bytes]:
        out: dict[ImageKind, bytes] = {}
        for checked in person.files:
            member = self._members.get(checked.member)
            if member is None:
                raise PackageChanged(f"row {person.row}: a file is gone")
            try:
                data, fingerprint = self._source.read_with_fingerprint(member, self._limits.max_image_bytes)
            except (MemberTooLarge, MemberDamaged):
                raise PackageChanged(f"row {person.row}: a file changed") from None
            if fingerprint != checked.fingerprint:
                raise PackageChanged(f"row {person.row}: a file changed")
            out[checked.kind] = data
        return out

    def close(self) -> None:
        self._source.close()

    def __enter__(self) -> "PersonFiles":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
