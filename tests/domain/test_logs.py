"""No ID number or phone number reaches a log: through the console, the file, or a traceback."""

import logging

import pytest

from kiosk.logs import RedactingFilter, setup_logging

ID_NUMBER = "50011519900101123X"
PHONE = "13812345678"


@pytest.fixture(autouse=True)
def _restore_root_logger():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler in handlers:
        for f in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(f)
    root.setLevel(level)


def assert_masked(text: str) -> None:
    assert ID_NUMBER not in text and "19900101" not in text and PHONE not in text
    assert "500115********123X" in text and "138****5678" in text


def test_id_number_and_phone_in_a_log_call_come_out_masked(tmp_path, capsys):
    log_file = tmp_path / "logs" / "kiosk.log"
    setup_logging("INFO", log_file=log_file)
    logging.getLogger("kiosk.flows.apply").info("applicant %s, phone %s", ID_NUMBER, PHONE)
    assert_masked(log_file.read_text(encoding="utf-8"))
    assert_masked(capsys.readouterr().err)


def test_numbers_inside_the_message_itself_are_masked(tmp_path):
    log_file = tmp_path / "kiosk.log"
    setup_logging(log_file=log_file)
    logging.getLogger("kiosk").warning(f"queued {ID_NUMBER} / {PHONE}")
    assert_masked(log_file.read_text(encoding="utf-8"))


def test_numbers_in_an_exception_traceback_are_masked(tmp_path):
    log_file = tmp_path / "kiosk.log"
    setup_logging(log_file=log_file)
    try:
        raise ValueError(f"centre refused {ID_NUMBER} with phone {PHONE}")
    except ValueError:
        logging.getLogger("kiosk.offline").exception("delivery failed")
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "delivery failed" in text
    assert_masked(text)


def test_a_bad_format_string_neither_crashes_nor_leaks(tmp_path):
    log_file = tmp_path / "kiosk.log"
    setup_logging(log_file=log_file)
    logging.getLogger("kiosk").info("applicant %d phone %s", ID_NUMBER, PHONE)
    assert_masked(log_file.read_text(encoding="utf-8"))


def test_handlers_already_on_the_root_are_covered(tmp_path):
    log_file = tmp_path / "other.log"
    other = logging.FileHandler(log_file, encoding="utf-8")
    logging.getLogger().addHandler(other)
    setup_logging()
    logging.getLogger("kiosk").warning("applicant %s phone %s", ID_NUMBER, PHONE)
    other.flush()
    assert_masked(log_file.read_text(encoding="utf-8"))


def test_calling_setup_twice_does_not_duplicate_lines(tmp_path):
    log_file = tmp_path / "kiosk.log"
    setup_logging(log_file=log_file)
    setup_logging(log_file=log_file)
    logging.getLogger("kiosk").warning("once")
    assert log_file.read_text(encoding="utf-8").count("once") == 1


def test_level_is_applied(tmp_path):
    log_file = tmp_path / "kiosk.log"
    setup_logging("WARNING", log_file=log_file)
    logging.getLogger("kiosk").info("chatter")
    logging.getLogger("kiosk").warning("matters")
    text = log_file.read_text(encoding="utf-8")
    assert "matters" in text and "chatter" not in text
