"""The kiosk's voice: say a prompt in the session's language without ever blocking the UI.

`say()` returns at once. A worker thread renders the text (or finds it in the cache) and
posts the playing back to the UI thread. Only the newest prompt counts: a prompt said while
another is still rendering or playing replaces it, and `stop()` (the screen changed) silences
whatever is under way, even a rendering that finishes later. When the engine is missing or
there is no sound output the kiosk simply runs silently; `state` and `reason` say why, for
`kiosk voice check` and the logs.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Callable

from kiosk.background import Listeners
from kiosk.config.settings import Config, VoiceSettings
from kiosk.voice.audio import AudioOutput, KivyAudio
from kiosk.voice.cache import PromptCache, Rendering
from kiosk.voice.engine import EspeakEngine, RenderError

log = logging.getLogger(__name__)

Post = Callable[[Callable[[], None]], None]


def run_here(job: Callable[[], None]) -> None:
    job()


class VoiceState(StrEnum):
    READY = "ready"
    OFF = "off"  # switched off in the config
    NO_ENGINE = "no_engine"  # espeak-ng missing or failing: silent
    NO_AUDIO = "no_audio"  # no sound output: silent


@dataclass(frozen=True)
class Spoken:
    """A prompt that started playing (tests and the UI journey capture these)."""

    text: str
    language: str
    rendering: Rendering


class Speaker:
    def __init__(self, cache: PromptCache, audio: AudioOutput, settings: VoiceSettings, post: Post = run_here) -> None:
        self.cache = cache
        self.audio = audio
        self.settings = settings
        self.post = post  # runs a job on the UI thread
        self.spoken: Listeners[Spoken] = Listeners("voice")
        self._lock = threading.Lock()
        self._generation = 0
        self._job: tuple[int, str, str] | None = None
        self._wake = threading.Event()
        self._problem: tuple[VoiceState, str] | None = None
        self._thread: threading.Thread | None = None
        if not settings.enabled:
            self._problem = (VoiceState.OFF, "voice is switched off in the config ([voice] enabled = false)")

    @classmethod
    def for_config(cls, config: Config, post: Post = run_here) -> Speaker:
        """The terminal's voice: espeak-ng, prompts cached under the data directory, Kivy's audio."""
        cache = PromptCache.under(config.data_dir, EspeakEngine(config.voice))
        return cls(cache, KivyAudio(), config.voice, post)

    def check(self) -> VoiceState:
        """Ask the engine now whether it can speak (a technician's check; `say` finds out by itself)."""
        missing = self.cache.engine.missing() if self.state is VoiceState.READY else None
        if missing:
            self._set_problem(VoiceState.NO_ENGINE, missing)
        return self.state

    # --- what the kiosk and the technician see -------------------------------------------

    @property
    def state(self) -> VoiceState:
        return self._problem[0] if self._problem else VoiceState.READY

    @property
    def reason(self) -> str:
        return self._problem[1] if self._problem else ""

    def _set_problem(self, state: VoiceState, reason: str) -> None:
        if self._problem is None or self._problem[0] is not state:
            log.warning("the kiosk runs without voice: %s", reason)
        self._problem = (state, reason)

    # --- speaking ------------------------------------------------------------------------

    def say(self, text: str, language: str) -> None:
        """Speak `text` ("zh"/"en") instead of anything said before; returns at once."""
        text = " ".join(text.split())
        with self._lock:
            self._generation += 1
            generation = self._generation
            if text and self.state is VoiceState.READY:
                self._job = (generation, text, language)
                self._wake.set()
                self._start_worker()
        self.post(self.audio.stop)

    def stop(self) -> None:
        """Silence now; a prompt still being rendered is dropped when it is ready."""
        with self._lock:
            self._generation += 1
            self._job = None
        self.post(self.audio.stop)

    def close(self) -> None:
        self.stop()
        with self._lock:
            thread, self._thread = self._thread, None
            self._wake.set()
        if thread is not None:
            thread.join(timeout=5)

    def _current(self, generation: int) -> bool:
        with self._lock:
            return generation == self._generation

    def _start_worker(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._work, name="voice-render", daemon=True)
            self._thread.start()

    def _work(self) -> None:
        me = threading.current_thread()
        while True:
            self._wake.wait()
            with self._lock:
                if self._thread is not me:
                    return
                self._wake.clear()
                job, self._job = self._job, None
            if job is not None:
                self._render(*job)

    def _render(self, generation: int, text: str, language: str) -> None:
        try:
            rendering = self.cache.rendering(text, language)
        except RenderError as exc:
            self._set_problem(VoiceState.NO_ENGINE, str(exc))
            return
        except OSError as exc:  # the cache folder: full disk, read-only
            log.warning("voice prompt not rendered: %s", exc)
            return
        if not self._current(generation):
            rendering.discard()  # the screen moved on while it was rendered
            return
        self.post(lambda: self._play(generation, text, language, rendering))

    def _play(self, generation: int, text: str, language: str, rendering: Rendering) -> None:
        """On the UI thread."""
        if not self._current(generation):
            rendering.discard()
            return
        problem = self.audio.play(rendering.path, self.settings.volume, rendering.discard)
        if problem is not None:
            self._set_problem(VoiceState.NO_AUDIO, problem)
            return
        self.spoken.emit(Spoken(text, language, rendering))
