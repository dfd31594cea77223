"""Voice prompts: what a prompt costs the first time (espeak-ng renders it) and afterwards
(the cache has it), against starting a bare process, measured in the same run.

1. espeak-ng rendering one step prompt (a title and an instruction, ~20 Chinese characters,
   and the same in English) to a WAV: the wait between a screen appearing and its first
   word the first time that prompt is said on a terminal;
2. the same prompt from the cache (PromptCache.rendering of a text it has);
3. the baseline: spawning /bin/true, the floor of any engine run as a program.
Also the length of the speech per language at the configured rate.

Run: bench/run voice  (BENCH_PROMPTS=N prompts per language, default 20)
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from kiosk.config.settings import VoiceSettings  # noqa: E402
from kiosk.voice.cache import PromptCache  # noqa: E402
from kiosk.voice.engine import EspeakEngine  # noqa: E402
from kiosk.voice.sound import loudness  # noqa: E402

PROMPTS = int(os.environ.get("BENCH_PROMPTS", "20"))
TEXT = {
    "zh": "请把身份证放在读卡区。请不要移动，读完会有提示音。第{n}步。",
    "en": "Please put your ID card on the reader. Keep it still until you hear a beep. Step {n}.",
}


def ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def main() -> int:
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: nothing to measure")
        return 1
    spawn = []
    for _ in range(PROMPTS):
        started = time.perf_counter()
        subprocess.run(["/bin/true"], check=True)
        spawn.append(time.perf_counter() - started)
    print(f"baseline: spawn /bin/true            {ms(spawn):7.1f} ms median")
    with tempfile.TemporaryDirectory() as folder:
        cache = PromptCache(Path(folder), EspeakEngine(VoiceSettings()))
        for language, text in TEXT.items():
            cold, warm, speech = [], [], []
            for n in range(PROMPTS):
                prompt = text.format(n=n)
                started = time.perf_counter()
                rendering = cache.rendering(prompt, language)
                cold.append(time.perf_counter() - started)
                started = time.perf_counter()
                cache.rendering(prompt, language)
                warm.append(time.perf_counter() - started)
                speech.append(loudness(rendering.path).seconds)
            print(f"{language}: first time (espeak-ng)       {ms(cold):7.1f} ms median ({ms(cold) / ms(spawn):.1f}x the spawn baseline), "
                  f"{statistics.median(speech):.1f} s of speech")  # fmt: skip
            print(f"{language}: from the cache               {ms(warm):7.3f} ms median ({ms(cold) / ms(warm):.0f}x faster than rendering)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
