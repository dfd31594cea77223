"""docs/audit-events.md is the catalogue rendered: this fails when the two differ.

Regenerate: `kiosk audit catalogue --markdown > docs/audit-events.md`."""

from pathlib import Path

from kiosk.audit import catalogue
from kiosk.audit.markdown import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "audit-events.md"


def test_docs_audit_events_md_is_the_catalogue_rendered():
    assert DOC.read_text(encoding="utf-8") == render(catalogue()), (
        "docs/audit-events.md is out of date: kiosk audit catalogue --markdown > docs/audit-events.md"
    )


def test_every_event_has_a_row():
    text = DOC.read_text(encoding="utf-8")
    for event_id in catalogue().events:
        assert f"| `{event_id}` |" in text
