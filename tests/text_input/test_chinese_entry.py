"""The Chinese text step headless: limits, empty answers, names in Han characters."""

from __future__ import annotations

import asyncio

from kiosk.flows.chinese_entry import FOREIGNER_CHINESE_NAME, HOLDER_NAME, SCREEN, problem, write_chinese
from kiosk.flows.scripted import ScriptedPort
from kiosk.flows.steps import BACK, HOME


def run(field, script, **kwargs):
    port = ScriptedPort(script)
    result = asyncio.run(write_chinese(port, field, **kwargs))
    assert port.remaining == 0, port.screens()
    return result, port


def test_written_name_is_returned():
    name, port = run(HOLDER_NAME, [(SCREEN, "张伟")])
    assert name == "张伟"
    params = port.asked(SCREEN)[0].params
    assert params["max_chars"] == 15 and params["kind"] == "name" and params["optional"] is False


def test_empty_pad_answer_is_refused_with_a_message():
    name, port = run(HOLDER_NAME, [(SCREEN, ""), ("notice", "ok"), (SCREEN, "李娜")])
    assert name == "李娜"
    assert port.asked("notice")[0].params["body"].zh == "还没有写字。"


def test_optional_name_may_be_left_empty():
    name, _ = run(FOREIGNER_CHINESE_NAME, [(SCREEN, "  ")])
    assert name == ""


def test_name_over_the_limit_keeps_what_fits():
    long = "王" * 20
    name, port = run(HOLDER_NAME, [(SCREEN, long), ("notice", "ok"), (SCREEN, lambda s: s.params["current"][:3])])
    assert port.asked(SCREEN)[1].params["current"] == "王" * 15
    assert name == "王王王"


def test_name_in_latin_letters_is_refused():
    assert problem(HOLDER_NAME, "Zhang Wei").zh == "姓名要用汉字写。"
    assert problem(HOLDER_NAME, "阿依古丽·买买提") is None


def test_control_characters_are_refused():
    assert problem(HOLDER_NAME, "张\x00伟") is not None


def test_back_and_home_pass_through():
    assert run(HOLDER_NAME, [(SCREEN, BACK)])[0] == BACK
    assert run(HOLDER_NAME, [(SCREEN, "")] + [("notice", HOME)])[0] == HOME


def test_current_text_is_offered_again():
    _, port = run(HOLDER_NAME, [(SCREEN, "张伟")], current="张")
    assert port.asked(SCREEN)[0].params["current"] == "张"
