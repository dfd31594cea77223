"""Playing a prompt through the kiosk's sound output: Kivy's SoundLoader (SDL2's mixer).

Call it on the UI thread (the speaker posts there). A terminal without a sound card still
gets a Sound object from SDL, but one of length 0 that never plays: that is how "no audio
device" is recognised, and the speaker then stays silent and says so.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Protocol, runtime_checkable

log = logging.getLogger(__name__)

Done = Callable[[], None]


@runtime_checkable
class AudioOutput(Protocol):
    def play(self, path: Path, volume: float, done: Done) -> str | None:
        """Start playing `path`; None when it plays, else why it cannot. `done()` once it
        stopped (played out or stopped), and also when it could not start."""
        ...

    def stop(self) -> None:
        """Stop what is playing now, if anything."""
        ...


class KivyAudio:
    def __init__(self) -> None:
        self._sound = None
        self._done: Done | None = None

    def play(self, path: Path, volume: float, done: Done) -> str | None:
        from kivy.core.audio import SoundLoader  # Kivy's audio providers load on first use

        self.stop()
        sound = SoundLoader.load(str(path))
        if sound is None:
            done()
            return "no audio provider can play WAV files (Kivy SoundLoader)"
        if not sound.length:
            sound.unload()
            done()
            return "no audio device: SDL opened the file but has no output to play it on"
        sound.volume = volume
        self._sound, self._done = sound, done
        sound.bind(on_stop=lambda s: self._finished(s))
        sound.play()
        return None

    def _finished(self, sound) -> None:
        if sound is not self._sound:
            return
        done, self._sound, self._done = self._done, None, None
        sound.unload()
        if done is not None:
            done()

    def stop(self) -> None:
        sound = self._sound
        if sound is not None:
            sound.stop()  # on_stop -> _finished
            if self._sound is sound:  # a provider that does not dispatch on_stop for stop()
                self._finished(sound)
