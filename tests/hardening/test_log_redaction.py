"""No ID number, phone, document number, PIN or name reaches a log, in the forms the issue
lists and the ones hypothesis makes up (issue 12, 5). Records go through the real handlers
setup_logging installs, into a real log file."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.application import Identity, Source
from kiosk.domain.documents import DocumentKind
from kiosk.flows.session import Session
from kiosk.logs import session_secrets, setup_logging
from tests.domain.test_identity import resident_numbers
from tests.domain.test_logs import _restore_root_logger  # noqa: F401  (autouse: handlers put back)

ID = "50011519900101123X"


@pytest.fixture
def log_file(tmp_path):
    path = tmp_path / "kiosk.log"
    setup_logging("INFO", log_file=path)
    yield path
    session_secrets.clear()


def logged(path: Path, message: str, *args) -> str:
    start = path.stat().st_size if path.exists() else 0
    logging.getLogger("kiosk.flows.test").info(message, *args)
    for handler in logging.getLogger().handlers:
        handler.flush()
    line = path.read_bytes()[start:].decode("utf-8")
    return line.split("kiosk.flows.test: ", 1)[1]  # the message, without the time stamp


def digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text)


@pytest.mark.parametrize(
    "written",
    [
        "500115 19900101 123X", "500115-1990-0101-123X", "5001 1519 9001 0112 3X",
        "8613812345678", "1381 234 5678", "(138)1234-5678", "+86 138 1234 5678",
        "023-40401234", "(023)40401234", "E12345678", "EA1234567", "G12345678", "H1234567890", "M12345678",
    ],
)  # fmt: skip
def test_a_number_in_the_issues_forms_is_masked_in_the_log(log_file, written):
    out = logged(log_file, "resident gave %s at the counter", written)
    assert written not in out
    assert digits(written)[2:-2] not in digits(out)


def test_a_new_pin_in_a_log_line_is_masked(log_file):
    out = logged(log_file, "reset body new_pin=654321 pin: 123456 {'pin': '777777'}")
    assert "654321" not in out and "123456" not in out and "777777" not in out


def test_a_name_the_session_knows_is_masked_until_the_session_ends(log_file):
    session = Session()
    person = Identity(DocumentKind.RESIDENT_ID, ID, "欧阳娜娜", Source.READER)
    session.set("holder", person)
    assert "欧阳娜娜" not in logged(log_file, "hello %s", "欧阳娜娜")
    assert "欧阳娜娜".encode("gbk").hex() not in logged(log_file, "raw %s", "欧阳娜娜".encode("gbk").hex())
    assert repr("欧阳娜娜".encode("gbk"))[2:-1] not in logged(log_file, "raw %r", "欧阳娜娜".encode("gbk"))
    assert repr("欧阳娜娜".encode("utf-16-le"))[2:-1] not in logged(log_file, "raw %r", "欧阳娜娜".encode("utf-16-le"))
    session.clear()
    assert "欧阳娜娜" in logged(log_file, "next resident's session: %s", "欧阳娜娜")  # cleared with the session


def test_utf16_bytes_of_an_id_number_are_masked(log_file):
    out = logged(log_file, "raw %r", ID.encode("utf-16-le"))
    assert "19900101" not in digits(out.replace("\\x00", ""))


# --- generated PII --------------------------------------------------------------------------

_sep = st.sampled_from([" ", "-", ""])


@st.composite
def written_id_numbers(draw) -> str:
    number = draw(resident_numbers())
    cuts = draw(st.sampled_from([(6, 14), (6, 10, 14), (4, 8, 12, 16), ()]))
    sep = draw(_sep)
    parts, last = [], 0
    for cut in (*cuts, 18):
        parts.append(number[last:cut])
        last = cut
    return sep.join(parts)


@st.composite
def written_phones(draw) -> str:
    body = "1" + draw(st.sampled_from("3456789")) + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    sep = draw(_sep)
    form = draw(st.sampled_from(["3-4-4", "4-3-4", "paren", "plain"]))
    text = {"3-4-4": f"{body[:3]}{sep}{body[3:7]}{sep}{body[7:]}", "4-3-4": f"{body[:4]}{sep}{body[4:7]}{sep}{body[7:]}",
            "paren": f"({body[:3]}){body[3:7]}-{body[7:]}", "plain": body}[form]  # fmt: skip
    prefix = draw(st.sampled_from(["", "+86 ", "86", "0086-", "+86"]))
    return prefix + text


documents = st.one_of(
    st.from_regex(r"E[0-9]{8}|E[A-Z][0-9]{7}|G[0-9]{8}|[HM][0-9]{8}|[HM][0-9]{10}|0[1-9][0-9]-[2-8][0-9]{7}", fullmatch=True)
)
han_names = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=2, max_size=4)
fillers = st.sampled_from([" ", ", ", " 申请人 ", " applicant=", "：", " (", ") "])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pii=st.lists(st.one_of(written_id_numbers(), written_phones(), documents), min_size=1, max_size=4), glue=fillers)
def test_generated_numbers_never_reach_the_log_whole(log_file, pii, glue):
    out = logged(log_file, glue.join(pii))
    for value in pii:
        assert value not in out
        assert digits(value) not in digits(out)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=han_names, glue=fillers, encoding=st.sampled_from(["text", "gbk", "utf-16-le", "utf-16-be", "hex"]))
def test_a_generated_name_the_session_knows_never_reaches_the_log(log_file, name, glue, encoding):
    session = Session()
    session.set("holder", {"name": name, "id_number": ID})
    try:
        shown = {"text": name, "hex": name.encode("utf-8").hex()}.get(encoding) or name.encode(encoding)
        out = logged(log_file, "%s%s%r", "resident", glue, shown)
        forms = {name, name.encode("utf-8").hex(), repr(name.encode("gbk"))[2:-1], repr(name.encode("utf-16-le"))[2:-1]}
        assert not any(form in out for form in forms)
    finally:
        session.clear()
