"""docs/audit-events.md from the catalogue, so the page and the code can never disagree
(tests/audit/test_catalogue_doc.py fails when they do; `kiosk audit catalogue --markdown`
writes it)."""

from __future__ import annotations

from typing import Any

from kiosk.audit.catalogue import LISTED, Catalogue, EventSpec
from kiosk.audit.trail import FOLD_WINDOW_S

HEADER = f"""# Audit events

Generated from `kiosk/audit/events.toml` by `kiosk audit catalogue --markdown`; do not edit by
hand (`tests/audit/test_catalogue_doc.py` fails when this page and the catalogue differ).

Every event is one JSON object per line, in the journal (logger `kiosk.audit`) and in
`audit.jsonl` in the data directory (mode 0600, rotated at a size cap): `ts` (UTC, ISO 8601),
`event`, `disposition` (`success` or `failure`, on a long action's `-complete` line), `fields`,
`terminal` (the terminal id), `version` (the kiosk's software version), and `repeats` on a
folded line. Read it with `kiosk audit [--since T] [--event ID] [--json]`.

A *pair* is a long action, written as `<id>-init` when it begins and `<id>-complete` with its
disposition when it ends. A *folded* event comes from polling: the first is written at once,
the same event with the same fields again within {FOLD_WINDOW_S:.0f} s is counted, and one more
line with `repeats: N` is written when the window passes.

No field type can hold a name, an ID number, a phone number or a PIN: each is a closed list
of values, a count, or a short lowercase code.
"""


def _event_row(spec: EventSpec) -> str:
    fields = ", ".join(
        f"`{name}` ({type_}{', optional' if name in spec.optional else ''})" for name, type_ in spec.fields.items()
    )
    form = "pair: " + " / ".join(f"`{w}`" for w in spec.written_ids) if spec.pair else "single" + (", folded" if spec.fold else "")
    return f"| `{spec.id}` | {spec.means} | {spec.by} | {fields or '-'} | {form} |"


def render(cat: Catalogue) -> str:
    lines = [HEADER, "## Events", "", "| id | what it means | by | fields | written as |", "|---|---|---|---|---|"]
    lines += [_event_row(spec) for spec in cat.events.values()]
    lines += ["", "## Field types", "", "| type | what it holds | values |", "|---|---|---|"]
    for type_, spec in cat.types.items():
        values = ", ".join(f"`{v}`" for v in spec.values) if type_ in LISTED else "-"
        lines.append(f"| `{type_}` | {spec.means} | {values} |")
    return "\n".join(lines) + "\n"


def to_dict(cat: Catalogue) -> dict[str, Any]:
    return {
        "events": [
            {"id": s.id, "means": s.means, "by": s.by, "fields": {k: str(v) for k, v in s.fields.items()},
             "optional": sorted(s.optional), "pair": s.pair, "fold": s.fold, "written_as": list(s.written_ids)}
            for s in cat.events.values()
        ],  # fmt: skip
        "types": {str(t): {"means": s.means, "values": list(s.values)} for t, s in cat.types.items()},
    }
