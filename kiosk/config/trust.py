"""What a configuration must say for the terminal to be trusted, and to trust its centre.

A production terminal talks to its centre over `https://` only, proves who it is with the
enrolment in `tls_dir` (kiosk.enrolment: client certificate for this terminal id, the centre's
CA), and keeps its master key file readable by its owner alone. A simulator configuration may
use plain `http://`, and its `tls_dir` is only checked when it is used (the simulator writes it
when it starts). Each rule yields (key, reason) for the loader to report.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

Finding = tuple[str, str]

_VARIABLE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)")


def expand_variables(value: str) -> tuple[str, list[str]]:
    """`${NAME}`, `${NAME:-default}` and `$NAME` from the environment; the names left unset."""
    unset: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        default = match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        unset.append(name)
        return match.group(0)

    return _VARIABLE.sub(one, value), unset


def _scheme(url: str) -> str:
    """The URL's scheme; "" for a URL too broken to split (the loader's URL check names it)."""
    try:
        return urlsplit(url).scheme
    except ValueError:
        return ""


def centre_url_findings(url: str, production: bool) -> Iterator[Finding]:
    if production and _scheme(url) == "http":  # other schemes: the loader's URL check
        yield "centre_url", f"{url!r}: a production terminal talks to its centre over https:// only (mutual TLS)"


def key_file_findings(path: Path, production: bool) -> Iterator[Finding]:
    from kiosk.enrolment import others_can_read

    if production and path.is_file() and others_can_read(path):
        yield "key_file", f"{path} can be read by others: `chmod 600` it (it signs vouchers and seals residents' data)"


def tls_findings(tls_dir: Path | None, centre_url: str, terminal_id: str | None, production: bool) -> Iterator[Finding]:
    """A production terminal with an https:// centre must be enrolled, for its own terminal id."""
    if _scheme(centre_url) != "https":
        return
    if tls_dir is None:
        yield "tls_dir", "missing: an https:// centre needs the terminal's enrolment directory (see `kiosk keys csr`)"
        return
    if not production:
        return
    from kiosk.enrolment import TerminalTls

    for reason in TerminalTls(tls_dir).problems(terminal_id):
        yield "tls_dir", reason
