"""Pinyin to Chinese candidates with libpinyin (Debian libpinyin15 + libpinyin-data).

Why libpinyin: it is a kept input-method engine (ibus-libpinyin uses it) with word and
character frequencies from a large corpus and a bigram model, so "wang" gives 王 first,
"zhangwei" gives 张伟, "fengcheng" gives 凤城, and it takes initials ("zw" → 作为, 自我 …)
out of the box. pypinyin's data maps characters to readings but carries no frequencies,
so ranking would have been ours to invent; libgooglepinyin's API is C++ only.

Privacy: the engine learns nothing. Its user directory is a private temporary folder,
removed on close; nothing is trained or saved (no pinyin_train, no pinyin_save, no
DYNAMIC_ADJUST), so one resident's name never ranks higher for the next.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import tempfile
import threading
from pathlib import Path

from kiosk.text_input.interface import EngineUnavailable
from kiosk.text_input.native import load_library

LIBRARY = "libpinyin.so.15"
DATA = Path("/usr/lib/x86_64-linux-gnu/libpinyin/data")

# pinyin_custom2.h (PinyinTableFlag)
IS_PINYIN = 1 << 2
PINYIN_INCOMPLETE = 1 << 3  # initials: "zw" for 作为
USE_DIVIDED_TABLE = 1 << 6  # "xian" may be xi'an as well as xian
USE_RESPLIT_TABLE = 1 << 7  # "fangan" may be fang'an as well as fan'gan
OPTIONS = IS_PINYIN | PINYIN_INCOMPLETE | USE_DIVIDED_TABLE | USE_RESPLIT_TABLE
# pinyin.h (sort_option_t): SORT_BY_PHRASE_LENGTH_AND_FREQUENCY, the engine's usual order:
# its best guesses for the whole input first, then words by length and frequency.
SORT_WITHOUT_LONGER_CANDIDATE, SORT_BY_PHRASE_LENGTH, SORT_BY_FREQUENCY = 0x2, 0x4, 0x10
SORT = SORT_WITHOUT_LONGER_CANDIDATE | SORT_BY_PHRASE_LENGTH | SORT_BY_FREQUENCY

LETTERS = re.compile(r"^[a-z']{1,40}$")  # v stands for ü (lv, nv), ' splits syllables (xi'an)

_P = ctypes.c_void_p


def _load(name: str) -> ctypes.CDLL:
    signatures = {
        "pinyin_init": ([ctypes.c_char_p, ctypes.c_char_p], _P),
        "pinyin_fini": ([_P], None),
        "pinyin_set_options": ([_P, ctypes.c_uint32], ctypes.c_bool),
        "pinyin_alloc_instance": ([_P], _P),
        "pinyin_free_instance": ([_P], None),
        "pinyin_reset": ([_P], ctypes.c_bool),
        "pinyin_parse_more_full_pinyins": ([_P, ctypes.c_char_p], ctypes.c_size_t),
        "pinyin_guess_sentence": ([_P], ctypes.c_bool),
        "pinyin_guess_candidates": ([_P, ctypes.c_size_t, ctypes.c_uint32], ctypes.c_bool),
        "pinyin_get_n_candidate": ([_P, ctypes.POINTER(ctypes.c_uint)], ctypes.c_bool),
        "pinyin_get_candidate": ([_P, ctypes.c_uint, ctypes.POINTER(_P)], ctypes.c_bool),
        "pinyin_get_candidate_string": ([_P, _P, ctypes.POINTER(ctypes.c_char_p)], ctypes.c_bool),
    }
    return load_library(name, "libpinyin15 libpinyin-data", signatures)


class LibpinyinLookup:
    """PinyinLookup (kiosk.text_input.interface); safe to call from any thread."""

    def __init__(self, data: Path = DATA, library: str = LIBRARY) -> None:
        if not (data / "pinyin_index.bin").is_file():
            raise EngineUnavailable(f"no pinyin data in {data}: apt-get install libpinyin-data")
        self._lib = _load(library)
        self._userdir = tempfile.mkdtemp(prefix="kiosk-pinyin-")
        self._context = self._lib.pinyin_init(str(data).encode(), self._userdir.encode())
        if not self._context:
            shutil.rmtree(self._userdir, ignore_errors=True)
            raise EngineUnavailable(f"libpinyin cannot load {data}")
        self._lib.pinyin_set_options(self._context, OPTIONS)
        self._instance = self._lib.pinyin_alloc_instance(self._context)
        self._lock = threading.Lock()

    def candidates(self, letters: str, n: int = 30) -> list[str]:
        letters = letters.strip().lower()
        if not LETTERS.match(letters) or n < 1:
            return []
        lib, instance = self._lib, self._instance
        with self._lock:
            if self._instance is None:
                raise EngineUnavailable("the pinyin engine was closed")
            lib.pinyin_reset(instance)
            if lib.pinyin_parse_more_full_pinyins(instance, letters.encode()) == 0:
                return []
            lib.pinyin_guess_sentence(instance)
            lib.pinyin_guess_candidates(instance, 0, SORT)
            count = ctypes.c_uint()
            lib.pinyin_get_n_candidate(instance, ctypes.byref(count))
            found: list[str] = []
            for index in range(count.value):
                candidate, text = _P(), ctypes.c_char_p()
                if lib.pinyin_get_candidate(instance, index, ctypes.byref(candidate)) and lib.pinyin_get_candidate_string(
                    instance, candidate, ctypes.byref(text)
                ):
                    word = (text.value or b"").decode("utf-8")
                    if word and word not in found:
                        found.append(word)
                if len(found) >= n:
                    break
            lib.pinyin_reset(instance)
            return found

    def close(self) -> None:
        with self._lock:
            if self._instance is not None:
                self._lib.pinyin_free_instance(self._instance)
                self._lib.pinyin_fini(self._context)
                self._instance = None
            shutil.rmtree(self._userdir, ignore_errors=True)
