"""Checks on a document just read: is its number well-formed, is it still valid today.

A failed check is a value on the read (`DocumentCheck`), with words the screen can show
the resident, never an exception: the UI decides what to refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kiosk.domain.identity import InvalidIdNumber, parse_id_number
from kiosk.drivers.id_reader.documents import IdentityDocument
from kiosk.i18n import Bilingual

EXPIRED = Bilingual(
    "您的证件已过期（有效期至{day}），请使用有效的证件。",
    "Your document expired on {day}. Please use a valid document.",
)
NUMBER_MISMATCH = Bilingual(
    "证件号码与证件信息不一致，请到服务窗口办理。",
    "The document number does not match the document. Please go to a service window.",
)


@dataclass(frozen=True)
class DocumentCheck:
    expired: bool
    id_number_valid: bool
    problems: tuple[Bilingual, ...]  # for the resident, in the order to show them

    @property
    def acceptable(self) -> bool:
        return not self.problems


def check_document(document: IdentityDocument, today: date) -> DocumentCheck:
    problems: list[Bilingual] = []
    expired = document.expired_on(today)
    if expired:
        problems.append(EXPIRED.format(day=document.valid_to.isoformat()))
    try:
        number = parse_id_number(document.id_number, today)
    except InvalidIdNumber as exc:
        problems.append(exc.reason)
        valid = False
    else:
        valid = number.kind == document.kind and number.birth_date == document.birth_date
        if not valid:
            problems.append(NUMBER_MISMATCH)
    return DocumentCheck(expired, valid, tuple(problems))
