"""Chinese input: how long recognition and pinyin lookup take, and what the UI thread pays.

Three numbers, each with a baseline measured in the same run:
- recognition per stroke (after every stroke of 57 recorded characters: the ink so far
  recognised, 20 candidates): our ZinniaRecogniser against the bare Zinnia C calls on the
  same points (the recogniser alone), median and p99;
- pinyin candidate lookup (whole syllables, initials, names and places, 64 candidates):
  our LibpinyinLookup against the bare libpinyin calls, median and p99;
- the main thread's work per stroke on the real screen under Xvfb: the pad's touch
  handlers (down, every move, up: the ink kept, drawn, handed to the worker) plus showing
  the candidates when they arrive, median and p99, against one frame (16.7 ms); and what
  recognition would have added had it run on the main thread.
Run: bench/run text_input
"""

from __future__ import annotations

import asyncio
import ctypes
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FRAME_MS = 1000 / 60
PINYIN = ["wang", "li", "zhang", "zhangwei", "wangfang", "lijianguo", "zw", "xyl", "changshou", "fengcheng",
          "xiangyanglu", "jiangnanjiedao", "lv", "nv", "shi", "q"]  # fmt: skip
ROUNDS = 5


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# --- recognition ---------------------------------------------------------------------


def recognition() -> tuple[list[float], list[float]]:
    from kiosk.text_input.handwriting import MODEL, SIZE, ZinniaRecogniser, _load
    from kiosk.text_input.interface import Ink
    from tests.text_input.strokes import medians, strokes

    ours = ZinniaRecogniser()
    lib = _load("libzinnia.so.0")
    bare = lib.zinnia_recognizer_new()
    lib.zinnia_recognizer_open(bare, str(MODEL).encode())
    character = lib.zinnia_character_new()

    def bare_classify(points: list[list[tuple[float, float]]]) -> None:
        lib.zinnia_character_clear(character)
        lib.zinnia_character_set_width(character, SIZE)
        lib.zinnia_character_set_height(character, SIZE)
        for i, line in enumerate(points):
            for x, y in line:
                lib.zinnia_character_add(character, i, int(x), int(y))
        result = lib.zinnia_recognizer_classify(bare, character, 20)
        [lib.zinnia_result_value(result, k) for k in range(lib.zinnia_result_size(result))]
        lib.zinnia_result_destroy(result)

    ours_s, bare_s = [], []
    for _ in range(ROUNDS):
        for char in medians():
            lines = strokes(char, SIZE)
            for n in range(1, len(lines) + 1):
                so_far = lines[:n]
                ours_s.append(timed(lambda: ours.recognise(Ink(SIZE, SIZE, so_far), 20)))
                bare_s.append(timed(lambda: bare_classify(so_far)))
    ours.close()
    return ours_s, bare_s


# --- pinyin --------------------------------------------------------------------------


def pinyin() -> tuple[list[float], list[float]]:
    import tempfile

    from kiosk.text_input import pinyin as engine

    ours = engine.LibpinyinLookup()
    lib = engine._load(engine.LIBRARY)
    context = lib.pinyin_init(str(engine.DATA).encode(), tempfile.mkdtemp(prefix="bench-pinyin-").encode())
    lib.pinyin_set_options(context, engine.OPTIONS)
    instance = lib.pinyin_alloc_instance(context)

    def bare(letters: str) -> None:
        lib.pinyin_reset(instance)
        lib.pinyin_parse_more_full_pinyins(instance, letters.encode())
        lib.pinyin_guess_sentence(instance)
        lib.pinyin_guess_candidates(instance, 0, engine.SORT)
        count = ctypes.c_uint()
        lib.pinyin_get_n_candidate(instance, ctypes.byref(count))
        for index in range(min(count.value, 64)):
            candidate, text = ctypes.c_void_p(), ctypes.c_char_p()
            lib.pinyin_get_candidate(instance, index, ctypes.byref(candidate))
            lib.pinyin_get_candidate_string(instance, candidate, ctypes.byref(text))

    ours_s, bare_s = [], []
    for _ in range(ROUNDS * 4):
        for letters in PINYIN:
            ours_s.append(timed(lambda: ours.candidates(letters, 64)))
            bare_s.append(timed(lambda: bare(letters)))
    ours.close()
    return ours_s, bare_s


# --- the UI thread (a child process with the real app on a virtual display) -----------


def child_ui() -> dict:
    from kiosk.config import load_config
    from kiosk.ui.bootstrap import WindowPlan
    from kiosk.ui.runner import RunOptions, run

    result: dict = {}

    async def measure(r) -> None:
        from kiosk.flows.chinese_entry import HOLDER_NAME, SCREEN
        from kiosk.screens.chinese_input import ChineseInputScreen, WritingPad
        from kiosk.ui.demo_journey import stroke
        from kiosk.ui.flow_host import ScreenPort
        from tests.text_input.strokes import strokes

        handlers: list[float] = []  # this stroke's touch handling so far
        per_stroke: list[float] = []
        offers: list[float] = []

        def timing(cls, name, into):
            original = getattr(cls, name)

            def wrapper(self, *args, **kwargs):
                started = time.perf_counter()
                try:
                    return original(self, *args, **kwargs)
                finally:
                    into.append(time.perf_counter() - started)

            setattr(cls, name, wrapper)

        for name in ("on_touch_down", "on_touch_move", "on_touch_up"):
            timing(WritingPad, name, handlers)
        timing(ChineseInputScreen, "_offer", offers)

        await r.tap(r.screen)
        await r.wait_for_screen("home")
        port = ScreenPort("apply", r.app.session, r.app.navigator)
        asyncio.ensure_future(port.ask(SCREEN, title=HOLDER_NAME.title, max_chars=15))
        await r.wait_for_screen(SCREEN)
        await r.frames(3)
        screen = r.screen
        pad = screen.ids.pad
        side = min(pad.width, pad.height) * 0.9
        fx, fy = side / pad.width, side / pad.height
        for char in "王李陈杨黄赵周吴孙马胡林郭高罗中国明华伟":
            for line in strokes(char, 1.0):
                handlers.clear()
                await stroke(r, pad, [(0.5 + (x - 0.5) * fx, 0.5 - (y - 0.5) * fy) for x, y in line])
                per_stroke.append(sum(handlers))
            await r.wait_until(lambda: bool(screen.composer.candidates), 5, "candidates")
            await r.frames(2)
            screen.rewrite()
            await r.frames(2)
        result["stroke"] = stats(per_stroke)
        result["offer"] = stats(offers)
        result["strokes"] = len(per_stroke)

    out = Path(os.environ["BENCH_OUT"])
    outcome = run(load_config(), RunOptions(window=WindowPlan(multisamples=0)), lambda: measure, out)
    if not outcome.ok:
        raise SystemExit(outcome.error)
    return result


def ui() -> dict:
    import tempfile

    from kiosk.ui.display import VirtualDisplay

    with tempfile.TemporaryDirectory() as tmp, VirtualDisplay(1080, 1920) as display:
        work = Path(tmp)
        env = {**os.environ, "DISPLAY": display.name, "KIOSK_DATA_DIR": str(work / "data"),
               "KIOSK_SIM_DIR": str(work / "sim"), "BENCH_OUT": str(work / "out"), "PYTHONPATH": str(ROOT)}  # fmt: skip
        env.pop("KIOSK_CONFIG", None)
        done = subprocess.run([sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise SystemExit(f"UI child failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    recognised, bare = recognition()
    o, b = stats(recognised), stats(bare)
    print(f"{'':34}{'median ms':>10}{'p99 ms':>9}{'baseline median':>17}{'p99':>7}{'ratio':>7}")
    print(f"{'recognition per stroke (n=%d)' % len(recognised):34}{o[0]:>10.2f}{o[1]:>9.2f}{b[0]:>17.2f}{b[1]:>7.2f}{o[0] / b[0]:>7.2f}"
          "   baseline: bare Zinnia calls")  # fmt: skip
    ours, bare = pinyin()
    o, b = stats(ours), stats(bare)
    print(f"{'pinyin lookup (n=%d)' % len(ours):34}{o[0]:>10.2f}{o[1]:>9.2f}{b[0]:>17.2f}{b[1]:>7.2f}{o[0] / b[0]:>7.2f}"
          "   baseline: bare libpinyin calls")  # fmt: skip
    seen = ui()
    s, c = seen["stroke"], seen["offer"]
    rec = stats(recognised)
    print(f"{'UI thread per stroke (n=%d)' % seen['strokes']:34}{s[0]:>10.2f}{s[1]:>9.2f}{FRAME_MS:>17.2f}{'':>7}{s[1] / FRAME_MS:>7.2f}"
          "   baseline: one frame; touch handlers")  # fmt: skip
    print(f"{'UI thread showing candidates':34}{c[0]:>10.2f}{c[1]:>9.2f}{FRAME_MS:>17.2f}{'':>7}{c[1] / FRAME_MS:>7.2f}"
          "   baseline: one frame")  # fmt: skip
    print(f"{'(recognition, kept off it)':34}{rec[0]:>10.2f}{rec[1]:>9.2f}")


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--child":
        print(json.dumps(child_ui()))
    else:
        main()
