"""Spoken prompts (语音播报): every step's title and instruction read aloud, offline.

`engine.py` turns text into a WAV file (espeak-ng on the terminal; `fake.py` for tests),
`cache.py` keeps each rendering so a prompt is rendered once, `audio.py` plays a file through
Kivy's SoundLoader (SDL2), and `speaker.py` ties them together off the UI thread: the newest
prompt wins, a screen change stops the voice, and a terminal without the engine or without a
sound card runs silently and says why (`Speaker.state`, `kiosk voice check`).
"""

from kiosk.voice.speaker import Speaker, VoiceState

__all__ = ["Speaker", "VoiceState"]
