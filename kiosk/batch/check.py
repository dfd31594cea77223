"""Checking an employer's batch package: every row, every person's images, the package itself.

`check_package` reads the package once, in the order a clerk would check it by hand: find
the one details sheet, read its title and header, check each row, then each person's images,
then what is left over. It never raises for what the package holds: whatever stops the read
is a package-level problem in a report with `readable=False`, everything else is listed all
at once, per row as Excel numbers it, so the clerk fixes the sheet in one go.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Callable, NamedTuple, Protocol

from kiosk.batch import fields
from kiosk.batch.columns import HEADER_SEARCH_ROWS, Column, Header, find_header, kind_of_sheet, read_title
from kiosk.batch.jpeg import JpegInfo, JpegVerdict, probe
from kiosk.batch.kinds import BatchKind
from kiosk.batch.marked_copy import is_marked_copy
from kiosk.batch.naming import ImageName, NamingRule, is_image_name
from kiosk.batch.problems import BatchProblem, ProblemCode, problem
from kiosk.batch.report import BatchPerson, CheckedFile, PackageReport
from kiosk.batch.sheet import SheetError, SheetFault, SheetFormat, SheetRow, read_sheet
from kiosk.batch.source import (
    DEFAULT_LIMITS,
    Limits,
    Member,
    MemberDamaged,
    MemberTooLarge,
    PackageRefused,
    PackageSource,
    SourceLost,
    open_source,
)
from kiosk.domain.identity import InvalidIdNumber, parse_id_number
from kiosk.domain.policy import ImageKind, RegionPolicy

Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)
IMAGE_WORKERS = 2  # threads reading and checking images (bench/bench_batch.py measures the gain)
INSPECTION_CHUNK = 64  # images a worker takes at a time

_SHEET_ERRORS = {
    SheetFault.UNREADABLE: ProblemCode.SHEET_UNREADABLE,
    SheetFault.TOO_LARGE: ProblemCode.SHEET_TOO_LARGE,
    SheetFault.MACROS: ProblemCode.MACROS,
}
_ID_SCANS = (ImageKind.ID_FRONT, ImageKind.ID_BACK, ImageKind.ID_BOTH)


class Cancellable(Protocol):
    """What a check needs of a cancel token (kiosk.drivers.status.CancelToken is one)."""

    @property
    def cancelled(self) -> bool: ...


class _Stop(Exception):
    """Ends a check early with a package-level problem."""

    def __init__(self, found: BatchProblem) -> None:
        self.problem = found


def check_package(
    source: Path,
    *,
    kind: BatchKind | None,
    policy: RegionPolicy,
    today: date,
    progress: Progress | None = None,
    cancel: Cancellable | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> PackageReport:
    """The report on the package at `source` (a folder or a `.zip`). `kind` None: read from the
    sheet (the replacement columns or the title). `progress(done, total)` is called per person."""
    source = Path(source)
    report = PackageReport(source, False, kind, 0, [], [], checked_on=today, limits=limits)
    if policy.batch is None:
        raise ValueError(f"region {policy.code} has no [batch] rules: the service is not offered at its kiosks")
    try:
        with open_source(source, limits) as package:
            _Check(package, report, policy, today, progress, cancel).run()
    except PackageRefused as refused:
        report.problems.insert(0, refused.problem)
    except _Stop as stop:
        report.problems.insert(0, stop.problem)
    except SourceLost:
        report.problems.insert(0, problem(ProblemCode.SOURCE_LOST))
    except Exception:  # a fault of ours, not of the package: the clerk gets a message, staff the log
        log.exception("batch check failed")
        report.problems.insert(0, problem(ProblemCode.CHECK_FAILED))
    report.problems.sort(key=lambda p: (p.row is not None, p.row or 0))  # the package's first, then by row
    report.readable = not any(p.stops_reading for p in report.problems)
    if not report.readable:
        report.people = [_failed(p) for p in report.people]
    log.info(
        "batch check: readable=%s kind=%s rows=%d ok=%d problems=%d first=%s",
        report.readable, report.kind, report.rows, report.ok, len(report.problems),
        report.problems[0].code if report.problems else "-",
    )
    return report


def _failed(person: BatchPerson) -> BatchPerson:
    return replace(person, passed=False)


@dataclass
class _Check:
    package: PackageSource
    report: PackageReport
    policy: RegionPolicy
    today: date
    progress: Progress | None
    cancel: Cancellable | None
    digest_lines: list[bytes] = field(default_factory=list)
    bad_id_rows: set[int] = field(default_factory=set)  # rows whose ID number cannot be used

    @property
    def limits(self) -> Limits:
        return self.package.limits

    def run(self) -> None:
        self.report.problems.extend(self.package.skipped)
        sheet_member = self._sheet_member()
        images = _ImageIndex.build(self.package.members, NamingRule(self.policy.batch))  # type: ignore[arg-type]
        # The images are judged on worker threads while this one reads the sheet: reading and
        # unzipping release the GIL, so both cores work (bench/bench_batch.py measures it).
        pool = ThreadPoolExecutor(max_workers=IMAGE_WORKERS, thread_name_prefix="batch-images")
        try:
            inspections = self._start_inspections(pool, images.to_inspect())
            data = self._read_sheet_bytes(sheet_member)
            self.report.sheet_name = sheet_member.name
            sheet_digest = hashlib.sha256(data).hexdigest()
            rows = self._read_rows(data, sheet_member.name)
            self._check_people(rows)
            self._check_files(images, inspections)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        self.digest_lines.append(f"sheet\0{sheet_member.name}\0{sheet_digest}".encode())
        self.report.package_digest = hashlib.sha256(b"\n".join(sorted(self.digest_lines))).hexdigest()

    # --- the sheet ------------------------------------------------------------------------

    def _sheet_member(self) -> Member:
        sheets = [m for m in self.package.members if SheetFormat.of(m.name) is not None and not is_marked_copy(m.name)]
        if not sheets:
            raise _Stop(problem(ProblemCode.NO_SHEET))
        if len(sheets) > 1:
            names = "、".join(m.name for m in sheets[:5])
            raise _Stop(problem(ProblemCode.SEVERAL_SHEET_FILES, count=len(sheets), names=names))
        if SheetFormat.of(sheets[0].name) is SheetFormat.XLSM:
            raise _Stop(problem(ProblemCode.MACROS, file=sheets[0].name))
        return sheets[0]

    def _read_sheet_bytes(self, member: Member) -> bytes:
        try:
            return self.package.read(member, self.limits.max_sheet_bytes)
        except MemberTooLarge:
            raise _Stop(problem(ProblemCode.SHEET_TOO_LARGE, detail=f"{member.size // (1024 * 1024)} MB")) from None
        except MemberDamaged:
            raise _Stop(problem(ProblemCode.SHEET_UNREADABLE, detail="damaged")) from None

    def _read_rows(self, data: bytes, name: str) -> list[tuple[SheetRow, Header]]:
        """The sheet's person rows with the header, after the title and header are read."""
        try:
            reading = read_sheet(data, name, max_unpacked=self.limits.max_sheet_unpacked_bytes, max_rows=self.limits.max_sheet_rows)
            rows = reading.rows
            title_rows: list[SheetRow] = []
            header = None
            for row in rows:
                header = find_header(row)
                if header is not None:
                    break
                title_rows.append(row)
                if len(title_rows) >= HEADER_SEARCH_ROWS:
                    break
            if header is None:
                raise _Stop(problem(ProblemCode.NO_HEADER))
            title = read_title(title_rows)
            self.report.employer_name, self.report.employer_credit_code = title.employer_name, title.credit_code
            for other in reading.other_sheets:
                self.report.problems.append(problem(ProblemCode.SECOND_SHEET, sheet=other, first=reading.sheet_name or ""))
            declared = kind_of_sheet(header, title)
            if self.report.kind and declared and self.report.kind is not declared:
                raise _Stop(problem(ProblemCode.KIND_MISMATCH, sheet=declared.sheet_title.zh, chosen=self.report.kind.sheet_title.zh,
                                    sheet_en=declared.sheet_title.en, chosen_en=self.report.kind.sheet_title.en))
            kind = self.report.kind or declared or BatchKind.NEW
            self.report.kind = kind
            missing = header.missing(kind)
            if missing:
                raise _Stop(problem(ProblemCode.MISSING_COLUMN, column="、".join(c.title for c in missing)))
            self.report.header_row = header.row
            self.report.columns = {str(c): n for c, n in header.positions.items()}
            people: list[tuple[SheetRow, Header]] = []
            for row in rows:
                if header.holds_person(row):
                    people.append((row, header))
                    if len(people) > self.limits.max_people:
                        raise _Stop(problem(ProblemCode.TOO_MANY_PEOPLE, limit=self.limits.max_people))
            return people
        except SheetError as exc:
            log.info("batch sheet not read: %s", exc)  # the technical reason, for staff; no content
            raise _Stop(problem(_SHEET_ERRORS[exc.kind], detail=exc.detail, file=name)) from None

    # --- the rows -------------------------------------------------------------------------

    def _check_people(self, rows: list[tuple[SheetRow, Header]]) -> None:
        seen: dict[str, int] = {}
        for row, header in rows:
            self.report.people.append(self._check_row(row, header, seen))
        self.report.rows = len(self.report.people)
        if not self.report.people:
            self.report.problems.append(problem(ProblemCode.NO_PEOPLE))

    def _check_row(self, row: SheetRow, header: Header, seen: dict[str, int]) -> BatchPerson:
        found: list[BatchProblem] = []

        def flag(code: ProblemCode, column: Column | None, **facts: object) -> None:
            col_no = header.positions.get(column) if column else None
            cell = f"{_letter(col_no)}{row.number}" if col_no else None
            text = header.texts.get(column) if column else None
            found.append(problem(code, row=row.number, column=text, cell=cell, **facts))

        def value(column: Column) -> object:
            number = header.positions.get(column)
            return row.value(number) if number else None

        if row.hidden:
            flag(ProblemCode.HIDDEN_ROW, None)
        by_number = {n: c for c, n in header.positions.items()}
        for number, cell in sorted(row.cells.items()):
            if cell.formula:
                found.append(problem(ProblemCode.FORMULA, row=row.number, column=header.texts.get(by_number.get(number)) or _letter(number), cell=f"{_letter(number)}{row.number}"))

        id_text = fields.id_number_text(value(Column.ID_NUMBER))
        id_number, minor = "", None
        if isinstance(id_text, ProblemCode):
            flag(id_text, Column.ID_NUMBER)
            self.bad_id_rows.add(row.number)
        else:
            id_number = id_text
            try:
                parsed = parse_id_number(id_text, self.today)
                minor = parsed.is_minor_on(self.today)
            except InvalidIdNumber as exc:
                flag(ProblemCode.ID_INVALID, Column.ID_NUMBER, reason=exc.reason.zh, reason_en=exc.reason.en)
                self.bad_id_rows.add(row.number)
            if id_number in seen:
                flag(ProblemCode.ID_DUPLICATE, Column.ID_NUMBER, first_row=seen[id_number])
            else:
                seen[id_number] = row.number

        name = fields.text(value(Column.NAME))
        if not name:
            flag(ProblemCode.NAME_MISSING, Column.NAME)
        nation = fields.nation(value(Column.NATION))
        if isinstance(nation, ProblemCode):
            flag(nation, Column.NATION)
            nation = None
        if header.has(Column.VALIDITY):
            validity = fields.validity(one=value(Column.VALIDITY) if value(Column.VALIDITY) is not None else "")
            validity_column = Column.VALIDITY
        else:
            validity = fields.validity(start=value(Column.VALID_FROM), end=value(Column.VALID_TO))
            validity_column = Column.VALID_TO if isinstance(validity, fields.Validity) else Column.VALID_FROM
        if isinstance(validity, ProblemCode):
            flag(validity, validity_column)
            validity = None
        elif validity.expired_on(self.today):
            flag(ProblemCode.VALIDITY_EXPIRED, validity_column)
        phone = fields.phone(value(Column.PHONE))
        if isinstance(phone, ProblemCode):
            flag(phone, Column.PHONE)
            phone = ""
        bank = fields.bank(value(Column.BANK), self.policy.banks)
        if isinstance(bank, ProblemCode):
            flag(bank, Column.BANK, banks="、".join(b.name.zh for b in self.policy.banks))
            bank = None
        address = fields.text(value(Column.ADDRESS))
        if not address:
            flag(ProblemCode.ADDRESS_MISSING, Column.ADDRESS)

        reason = photo_changes = None
        if self.report.kind is BatchKind.REPLACE:
            reason = fields.reason(value(Column.REASON))
            if isinstance(reason, ProblemCode):
                flag(reason, Column.REASON)
                reason = None
            photo_changes = fields.photo_change(value(Column.PHOTO_CHANGE))
            if isinstance(photo_changes, ProblemCode):
                flag(photo_changes, Column.PHOTO_CHANGE)
                photo_changes = None

        self.report.problems.extend(found)
        return BatchPerson(
            row=row.number,
            id_number=id_number,
            name=name,
            nation=nation.name.zh if nation else "",
            nation_code=nation.code if nation else "",
            validity_start=validity.start if validity else None,
            validity_end=validity.end if validity else None,
            phone=phone,
            bank_code=bank.code if bank else "",
            address=address,
            minor=bool(minor),
            passed=not found,
            replacement_reason=reason,
            photo_changes=photo_changes,
        )

    # --- the images -----------------------------------------------------------------------

    def _check_files(self, images: "_ImageIndex", inspections: dict[str, Future[dict[str, _Inspection]]]) -> None:
        ids = {p.id_number for p in self.report.people}
        for member in images.unmatched(ids):
            self.report.problems.append(problem(ProblemCode.UNMATCHED_IMAGE, file=member.name))
            self.digest_lines.append(f"other\0{member.name}\0{member.size}".encode())
        people = list(self.report.people)
        for done, person in enumerate(people, start=1):
            if self.cancel is not None and self.cancel.cancelled:
                raise _Stop(problem(ProblemCode.CANCELLED))
            found = images.of(person.id_number) if person.id_number else {}
            checked: list[CheckedFile] = []
            problems: list[BatchProblem] = []
            for kind, members in sorted(found.items()):
                if len(members) > 1:
                    problems.append(problem(ProblemCode.DUPLICATE_IMAGE, row=person.row, file=images.rule.expected(kind, person.id_number)))
                member, name = members[0]
                ok = self._judge(person, member, name, inspections[member.name].result()[member.name], problems)
                if ok is not None:
                    checked.append(ok)
            problems += self._missing_files(person, set(found))
            self.report.problems.extend(problems)
            self.report.people[done - 1] = replace(person, files=tuple(checked), passed=person.passed and not problems)
            if self.progress is not None:
                self.progress(done, len(people))

    def _start_inspections(self, pool: ThreadPoolExecutor, members: list[Member]) -> dict[str, Future[dict[str, _Inspection]]]:
        """Member name -> the future of its chunk's inspections (one task per chunk: a task per
        image would cost more in hand-overs than the image does)."""
        futures: dict[str, Future[dict[str, _Inspection]]] = {}
        for at in range(0, len(members), INSPECTION_CHUNK):
            chunk = members[at : at + INSPECTION_CHUNK]
            future = pool.submit(lambda c: {m.name: self._inspect(m) for m in c}, chunk)
            futures.update((m.name, future) for m in chunk)
        return futures

    def _inspect(self, member: Member) -> _Inspection:
        """What an image's head and tail say (on a worker thread; SourceLost goes to the caller)."""
        limit = self.limits.max_image_bytes
        try:
            sample = self.package.sample(member, limit)
            info = probe(sample.head, self.limits.max_image_pixels, tail=sample.tail, whole=sample.whole)
            if info.verdict is JpegVerdict.NEEDS_MORE:  # a long EXIF or ICC block: read it all
                data, _ = self.package.read_with_fingerprint(member, limit)
                info = probe(data, self.limits.max_image_pixels)
        except MemberTooLarge:
            return _Inspection(ProblemCode.IMAGE_TOO_LARGE, detail=f"{member.size // (1024 * 1024)} MB")
        except MemberDamaged:
            return _Inspection(ProblemCode.IMAGE_DAMAGED)
        return _Inspection(None, info, sample.size, sample.fingerprint)

    def _judge(self, person: BatchPerson, member: Member, name: ImageName, seen: _Inspection, problems: list[BatchProblem]) -> CheckedFile | None:
        """The person's image as inspected: a checked file, or the problems with it."""

        def flag(code: ProblemCode, **facts: object) -> None:
            problems.append(problem(code, row=person.row, file=member.name, **facts))

        if seen.refused is not None:
            flag(seen.refused, **({"detail": seen.detail} if seen.detail else {}))
            return None
        self.digest_lines.append(f"image\0{member.name}\0{seen.fingerprint}".encode())
        info, rules = seen.info, self.policy.batch
        if not name.jpeg_name or info.verdict is JpegVerdict.NOT_JPEG:
            flag(ProblemCode.IMAGE_NOT_JPEG)
        elif info.verdict is JpegVerdict.DAMAGED:
            flag(ProblemCode.IMAGE_DAMAGED)
        elif info.verdict is JpegVerdict.TOO_LARGE:
            flag(ProblemCode.IMAGE_TOO_LARGE, detail=f"{info.width}×{info.height}")
        elif name.kind is ImageKind.PHOTO and (info.width, info.height) != (rules.photo_width_px, rules.photo_height_px):  # type: ignore[union-attr]
            flag(ProblemCode.PHOTO_SIZE, width=info.width, height=info.height, want_width=rules.photo_width_px, want_height=rules.photo_height_px)  # type: ignore[union-attr]
        else:
            return CheckedFile(name.kind, member.name, seen.size, seen.fingerprint)
        return None

    def _missing_files(self, person: BatchPerson, present: set[ImageKind]) -> list[BatchProblem]:
        """What the rule requires and the package lacks (seed 003 1.2.1 and 3.2.1, seed 000 附件3)."""
        if not person.id_number or person.row in self.bad_id_rows:
            return []  # whose files these are is unclear until the number is fixed
        out: list[BatchProblem] = []
        sides = {ImageKind.ID_FRONT, ImageKind.ID_BACK} <= present or ImageKind.ID_BOTH in present
        if person.minor:
            if not sides and ImageKind.HOUSEHOLD_OWN not in present:
                out.append(problem(ProblemCode.HOUSEHOLD_PAGE_MISSING, row=person.row))
        elif not sides:
            missing = [k for k in (ImageKind.ID_FRONT, ImageKind.ID_BACK) if k not in present]
            out.append(
                problem(
                    ProblemCode.ID_SCAN_MISSING, row=person.row,
                    missing="、".join(_SIDE_WORDS[k][0] for k in missing), missing_en=", ".join(_SIDE_WORDS[k][1] for k in missing),
                )
            )
        photo_needed = self.report.kind is BatchKind.NEW or person.photo_changes is True
        if photo_needed and not person.minor and ImageKind.PHOTO not in present:
            out.append(problem(ProblemCode.PHOTO_MISSING, row=person.row))
        return out


_SIDE_WORDS = {ImageKind.ID_FRONT: ("正面", "front"), ImageKind.ID_BACK: ("反面", "back")}


class _Inspection(NamedTuple):
    """An image as a worker found it: refused before judging (too big, unreadable), or its JPEG facts."""

    refused: ProblemCode | None
    info: JpegInfo = JpegInfo(JpegVerdict.NOT_JPEG)
    size: int = 0
    fingerprint: str = ""
    detail: str = ""


@dataclass
class _ImageIndex:
    """The package's images by whose they are (the ID number in the name) and of which kind."""

    rule: NamingRule
    by_id: dict[str, dict[ImageKind, list[tuple[Member, ImageName]]]]
    nameless: list[Member]  # image files whose name follows no rule

    @classmethod
    def build(cls, members: list[Member], rule: NamingRule) -> "_ImageIndex":
        by_id: dict[str, dict[ImageKind, list[tuple[Member, ImageName]]]] = defaultdict(lambda: defaultdict(list))
        nameless = []
        for member in members:
            if not is_image_name(member.name):
                continue
            name = rule.read(member.name)
            if name is None:
                nameless.append(member)
            else:
                by_id[name.id_number][name.kind].append((member, name))
        return cls(rule, by_id, nameless)

    def to_inspect(self) -> list[Member]:
        """The first image of each kind of each person (a second one is a problem of its own)."""
        return [found[0][0] for kinds in self.by_id.values() for found in kinds.values()]

    def of(self, id_number: str) -> dict[ImageKind, list[tuple[Member, ImageName]]]:
        return self.by_id.get(id_number, {})

    def unmatched(self, ids: set[str]) -> list[Member]:
        strays = [m for id_number, kinds in self.by_id.items() if id_number not in ids for found in kinds.values() for m, _ in found]
        return sorted(self.nameless + strays, key=lambda m: m.name)


def _letter(column: int | None) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column) if column else ""
