"""libpinyin through the ctypes wrapper: whole syllables, initials, names, places."""

from __future__ import annotations

import os

import pytest

from kiosk.text_input.interface import EngineUnavailable
from kiosk.text_input.pinyin import LibpinyinLookup


@pytest.fixture(scope="module")
def pinyin():
    engine = LibpinyinLookup()
    yield engine
    engine.close()


@pytest.mark.parametrize(
    "letters, expected, within",
    [
        ("wang", "王", 1),  # the commonest surname first
        ("li", "李", 1),
        ("zhang", "张", 3),
        ("zhangwei", "张伟", 3),  # a whole name in full syllables
        ("lv", "吕", 3),  # v for ü
        ("changshou", "长寿", 1),  # the district
        ("fengcheng", "凤城", 1),  # a Changshou street
        ("xiangyanglu", "向阳路", 1),  # a road
        ("zw", "作为", 3),  # initials only
    ],
)
def test_candidates_are_ranked_for_names_and_places(pinyin, letters, expected, within):
    found = pinyin.candidates(letters, 20)
    assert expected in found[:within], f"{letters}: {found[:10]}"


def test_letters_that_are_not_pinyin_give_nothing(pinyin):
    assert pinyin.candidates("12") == []
    assert pinyin.candidates("WANG!") == []
    assert pinyin.candidates("") == []


def test_candidates_are_unique_and_limited(pinyin):
    found = pinyin.candidates("shi", 10)
    assert len(found) == 10 and len(set(found)) == 10


def test_nothing_learnt_from_one_resident_for_the_next(pinyin):
    """Choosing is not training: the order for the same letters never changes."""
    first = pinyin.candidates("wangwei", 10)
    for _ in range(3):
        pinyin.candidates("wangwei", 10)
    assert pinyin.candidates("wangwei", 10) == first


def test_user_folder_is_removed_on_close():
    engine = LibpinyinLookup()
    folder = engine._userdir
    assert os.path.isdir(folder)
    engine.close()
    assert not os.path.exists(folder)


def test_missing_data_says_what_to_install(tmp_path):
    with pytest.raises(EngineUnavailable, match="libpinyin-data"):
        LibpinyinLookup(data=tmp_path)
