"""How loud a WAV file is: the check that a prompt is real speech, not silence.

Used by `kiosk voice check` and the tests (pure `wave` + `array`, no sox needed).
"""

from __future__ import annotations

import array
import math
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

SILENCE_RMS = 100  # of 32767: below this, 16-bit audio is silence for a listener


@dataclass(frozen=True)
class Loudness:
    seconds: float
    rms: float  # root mean square of the samples, 16-bit scale
    peak: int

    @property
    def silent(self) -> bool:
        return self.seconds <= 0 or self.rms < SILENCE_RMS


def loudness(path: Path) -> Loudness:
    """Raises wave.Error / EOFError for a file that is not a 16-bit PCM WAV."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise wave.Error(f"{path.name}: {8 * w.getsampwidth()}-bit samples, expected 16-bit")
        frames = w.getnframes()
        rate = w.getframerate()
        data = w.readframes(frames)
    return loudness_of(data, rate, frames)


def loudness_of(data: bytes, rate: int, frames: int | None = None) -> Loudness:
    """Of raw 16-bit little-endian PCM (e.g. what SDL's disk audio driver wrote)."""
    samples = array.array("h")
    samples.frombytes(data[: len(data) - len(data) % 2])
    if sys.byteorder != "little":
        samples.byteswap()
    if not samples:
        return Loudness(0.0, 0.0, 0)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples))
    return Loudness((frames if frames is not None else len(samples)) / rate, rms, max(abs(min(samples)), max(samples)))
