"""An employer's batch package (seed 003 1.2 批量新办, 3.2 批量补换; seed 000 附件3): read from a
folder or a `.zip` on the clerk's USB drive and checked row by row, without changing it.

The contract with the submission flow and the screens (docs/batch-package.md):
`check_package(source, kind=…, policy=…, today=…, progress=…, cancel=…) -> PackageReport`,
`PackageReport.files_of(person)`, `write_marked_copy(report, folder)`, `find_packages(drive)`,
`kiosk.batch.template.write_template(…)`.
No Kivy and no device here: this package reads bytes and says what is wrong with them.
"""

from kiosk.batch.check import Cancellable, check_package
from kiosk.batch.kinds import BatchKind
from kiosk.batch.locate import find_packages
from kiosk.batch.marked_copy import write_marked_copy
from kiosk.batch.problems import BatchProblem, ProblemCode, Scope
from kiosk.batch.report import BatchPerson, CheckedFile, PackageChanged, PackageReport, PersonFiles
from kiosk.batch.source import DEFAULT_LIMITS, Limits, PackageRefused, SourceLost
from kiosk.domain.policy import ImageKind

__all__ = [
    "DEFAULT_LIMITS",
    "BatchKind",
    "BatchPerson",
    "BatchProblem",
    "Cancellable",
    "CheckedFile",
    "ImageKind",
    "Limits",
    "PackageChanged",
    "PackageRefused",
    "PackageReport",
    "PersonFiles",
    "ProblemCode",
    "Scope",
    "SourceLost",
    "check_package",
    "find_packages",
    "write_marked_copy",
]
