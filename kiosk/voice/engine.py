"""Text to a WAV file, offline, by an engine behind one small interface.

The terminal's engine is Debian's espeak-ng: Mandarin (`cmn`) and English voices inside the
package, no model to download, a few milliseconds per prompt. It is run as a program (one
process per prompt, text on stdin so no prompt can become an option), which also makes
"espeak-ng is not installed" a plain, reportable state rather than an import error.

Why espeak-ng: it is the one engine in Debian 12's main archive with a Mandarin voice inside
the package. festival and flite ship English (and a few Indian and European) voices only;
pico (libttspico) and MBROLA's voices are not in main; the neural engines on PyPI (piper,
kokoro, sherpa-onnx) download their models from a hub at run time, which a terminal must not
depend on. Measured on this 2-core machine (bench/run voice): a step prompt of ~28 Chinese
syllables renders in 22-81 ms (English: 17-65 ms) depending on the load, once; from the cache
it costs 0.08 ms. The sound is
robotic but clear; a better voice can come in behind `SpeechEngine` without touching callers.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path
from typing import Protocol, runtime_checkable

from kiosk.config.settings import VoiceSettings

RENDER_TIMEOUT_S = 20.0


class RenderError(Exception):
    """The engine could not turn this text into sound (missing, crashed, no output)."""


@runtime_checkable
class SpeechEngine(Protocol):
    @property
    def identity(self) -> str:
        """Everything that changes the sound besides the text (engine, voices, rate): part of
        every cache key, so a new voice never plays an old rendering."""
        ...

    def missing(self) -> str | None:
        """Why this engine cannot speak on this machine, or None when it can."""
        ...

    def render(self, text: str, language: str, out: Path) -> None:
        """Write `text` spoken in `language` ("zh" or "en") as a WAV file to `out`; RenderError."""
        ...


class EspeakEngine:
    def __init__(self, settings: VoiceSettings, program: str = "espeak-ng") -> None:
        self.settings = settings
        self.program = program

    @property
    def identity(self) -> str:
        s = self.settings
        return f"{self.program}|{s.voice_zh}|{s.voice_en}|{s.rate_zh_wpm}|{s.rate_en_wpm}|{s.pitch}"

    def voice(self, language: str) -> str:
        return self.settings.voice_en if language == "en" else self.settings.voice_zh

    def rate(self, language: str) -> int:
        return self.settings.rate_en_wpm if language == "en" else self.settings.rate_zh_wpm

    def missing(self) -> str | None:
        if shutil.which(self.program) is None:
            return f"{self.program} is not installed (Debian package espeak-ng)"
        # espeak-ng speaks an unknown voice with its default one: English words for Chinese text.
        known = self.voices()
        for voice in (self.settings.voice_zh, self.settings.voice_en):
            if voice.lower() not in known:
                return f"{self.program} has no voice {voice!r} (`{self.program} --voices` lists them)"
        return None

    @functools.cache
    def voices(self) -> frozenset[str]:
        """Every name a voice answers to: its language, its file and its other languages."""
        try:
            listing = subprocess.run([self.program, "--voices"], capture_output=True, text=True, timeout=RENDER_TIMEOUT_S).stdout
        except (OSError, subprocess.TimeoutExpired):
            return frozenset()
        names = set()
        for line in listing.splitlines()[1:]:
            columns = line.split()
            if len(columns) >= 5:
                names |= {columns[1].lower(), columns[4].rsplit("/", 1)[-1].lower()}
                names |= {c.strip("()").lower() for c in columns[5:] if c.startswith("(")}
        return frozenset(names)

    def render(self, text: str, language: str, out: Path) -> None:
        binary = shutil.which(self.program)
        problem = self.missing()
        if binary is None or problem:
            raise RenderError(problem)
        command = [binary, "-b", "1", "-v", self.voice(language), "-s", str(self.rate(language)),
                   "-p", str(self.settings.pitch), "-w", str(out), "--stdin"]  # fmt: skip
        try:
            done = subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=RENDER_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RenderError(f"{self.program} failed: {type(exc).__name__}") from None
        if done.returncode != 0 or not out.is_file() or out.stat().st_size <= 44:
            why = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            raise RenderError(f"{self.program} made no sound: {why[0][:200]}")
