"""Each prompt rendered once: WAV files kept by a digest of their text, voice and language.

Prompts are a fixed set (titles, instructions, warnings) plus a few variables (seconds left,
the outlet's phone), so the cache stays small; it lives under the data directory the config
names (`<data_dir>/cache/voice`). A text that may be personal (a run of four or more digits:
an ID, phone, card or voucher number; or a masked value) is never kept: it is rendered to a
file the speaker deletes once played, because personal data is not left on disk in the clear.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.voice.engine import SpeechEngine

PERSONAL = re.compile(r"\d{4}|[*＊]")
CACHE_SUBDIR = Path("cache") / "voice"


def may_be_personal(text: str) -> bool:
    return PERSONAL.search(text) is not None


@dataclass(frozen=True)
class Rendering:
    path: Path
    cached: bool  # False: a one-off file, to delete after playing

    def discard(self) -> None:
        if not self.cached:
            self.path.unlink(missing_ok=True)


class PromptCache:
    def __init__(self, directory: Path, engine: SpeechEngine) -> None:
        self.directory = Path(directory)
        self.engine = engine

    @classmethod
    def under(cls, data_dir: Path, engine: SpeechEngine) -> PromptCache:
        return cls(Path(data_dir) / CACHE_SUBDIR, engine)

    def key(self, text: str, language: str) -> str:
        return hashlib.sha256(f"{self.engine.identity}\0{language}\0{text}".encode()).hexdigest()[:32]

    def path(self, text: str, language: str) -> Path:
        return self.directory / f"{self.key(text, language)}.wav"

    def rendering(self, text: str, language: str) -> Rendering:
        """The sound of `text`, rendered now unless it is cached; RenderError from the engine."""
        self.directory.mkdir(parents=True, exist_ok=True)
        if may_be_personal(text):
            fd, name = tempfile.mkstemp(prefix="once-", suffix=".wav", dir=self.directory)
            os.close(fd)
            try:
                self.engine.render(text, language, Path(name))
            except BaseException:
                Path(name).unlink(missing_ok=True)
                raise
            return Rendering(Path(name), cached=False)
        path = self.path(text, language)
        if not path.is_file():
            partial = path.with_name(f"{path.stem}.{os.getpid()}.{id(self)}.part")
            try:
                self.engine.render(text, language, partial)
                partial.replace(path)  # atomic: a reader never sees half a file
            finally:
                partial.unlink(missing_ok=True)
        return Rendering(path, cached=True)

    def clear_leftovers(self) -> int:
        """One-off renderings a crash left behind; their number."""
        removed = 0
        for pattern in ("once-*.wav", "*.part"):
            for path in self.directory.glob(pattern):
                path.unlink(missing_ok=True)
                removed += 1
        return removed
