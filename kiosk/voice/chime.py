"""The short beep before a spoken warning (the idle countdown), so a resident who turned away
looks back at the screen before the words begin.

The tone is written once as a WAV file beside the voice cache (`write_tone`, pure `wave`)
and played through its own Kivy sound, so it does not cut off the prompt that follows.
"""

from __future__ import annotations

import array
import logging
import math
import wave
from pathlib import Path

from kiosk.config.settings import Config
from kiosk.voice.audio import KivyAudio
from kiosk.voice.cache import CACHE_SUBDIR

log = logging.getLogger(__name__)

RATE = 22050
TONE_HZ = 880.0  # A5: clear to ageing ears, not shrill
TONE_S = 0.25
LEVEL = 0.5  # of full scale
FADE_S = 0.01  # no click at either end


def write_tone(path: Path, hz: float = TONE_HZ, seconds: float = TONE_S) -> Path:
    """A sine beep as a 16-bit mono WAV file."""
    count = int(RATE * seconds)
    fade = max(1, int(RATE * FADE_S))
    samples = array.array("h")
    for n in range(count):
        envelope = min(1.0, n / fade, (count - 1 - n) / fade)
        samples.append(int(32767 * LEVEL * envelope * math.sin(2 * math.pi * hz * n / RATE)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


class Chime:
    """Plays the beep at the voice's volume; silent (and says why once) where it cannot."""

    def __init__(self, config: Config) -> None:
        self.enabled = config.voice.enabled
        self.volume = config.voice.volume
        self.path = Path(config.data_dir) / CACHE_SUBDIR / "chime.wav"
        self._audio = KivyAudio()
        self.played = 0  # how many times it was sounded (tests)

    def play(self) -> None:
        """On the UI thread."""
        if not self.enabled:
            return
        self.played += 1
        try:
            if not self.path.exists():
                write_tone(self.path)
        except OSError as exc:
            log.warning("no warning beep: %s", exc)
            return
        problem = self._audio.play(self.path, self.volume, lambda: None)
        if problem is not None:
            log.debug("warning beep not played: %s", problem)
