"""In-process stand-ins for the speech engine and the sound output, for fast tests.

`FakeEngine` writes a real WAV (a tone as long as the text) so the cache and the loudness
check run unchanged; a test can make it missing, silent, slow or failing. `FakeAudio` plays
nothing and records what it was asked to play; a test can take its sound device away.
"""

from __future__ import annotations

import array
import math
import threading
import wave
from pathlib import Path

from kiosk.voice.engine import RenderError

RATE = 16000


def write_tone(out: Path, seconds: float, amplitude: int = 8000, hz: float = 440.0) -> None:
    frames = max(1, int(seconds * RATE))
    samples = array.array("h", (int(amplitude * math.sin(2 * math.pi * hz * i / RATE)) for i in range(frames)))
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())


class FakeEngine:
    def __init__(self, identity: str = "fake") -> None:
        self._identity = identity
        self.rendered: list[tuple[str, str]] = []
        self.absent = False
        self.silent = False
        self.failing = False
        self.gate: threading.Event | None = None  # set by a test: rendering waits for it

    @property
    def identity(self) -> str:
        return self._identity

    def missing(self) -> str | None:
        return "fake engine removed" if self.absent else None

    def render(self, text: str, language: str, out: Path) -> None:
        if self.gate is not None:
            self.gate.wait(10)
        if self.absent:
            raise RenderError(self.missing())
        if self.failing:
            raise RenderError("fake engine failed")
        self.rendered.append((text, language))
        write_tone(out, 0.05 + 0.01 * len(text), amplitude=0 if self.silent else 8000)


class FakeAudio:
    def __init__(self) -> None:
        self.played: list[tuple[Path, float]] = []
        self.stops = 0
        self.no_device = False
        self._done = None

    def play(self, path: Path, volume: float, done) -> str | None:
        self.stop()
        if self.no_device:
            done()
            return "fake: no audio device"
        self.played.append((path, volume))
        self._done = done
        return None

    def finish(self) -> None:
        """The sound played out."""
        done, self._done = self._done, None
        if done is not None:
            done()

    def stop(self) -> None:
        self.stops += 1
        self.finish()
