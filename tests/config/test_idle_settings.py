"""[idle]: how long each kind of step waits for a touch, refused with its reason when unsafe."""

from kiosk.config import load_config
from tests.config.test_config import key_file  # noqa: F401  (fixture)
from tests.config.test_config import write
from tests.hardening.test_config_inputs import problems_of, production_config


def test_the_shipped_waits_give_documents_and_typing_longer_than_a_menu():
    config = load_config()
    assert config.idle.document_s > config.idle_timeout_s and config.idle.typing_s > config.idle_timeout_s


def test_a_document_wait_of_a_few_seconds_is_refused_with_its_reason(tmp_path, key_file):
    found = problems_of(write(tmp_path, production_config(key_file, "[idle]\ndocument_s = 5\n")))
    assert list(found) == ["idle.document_s"] and "户口簿" in found["idle.document_s"]


def test_a_document_wait_shorter_than_the_menus_is_refused(tmp_path, key_file):
    found = problems_of(write(tmp_path, production_config(key_file, "[idle]\ndocument_s = 60\n", idle_timeout_s="120")))
    assert list(found) == ["idle.document_s"] and "idle_timeout_s" in found["idle.document_s"]
