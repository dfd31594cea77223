"""`kiosk voice check` and `kiosk voice say`: can this terminal speak, and how does it sound.

Exit codes: 0 the voice works (or is switched off in the config, which `check` says); 4
(NO_DEVICE) when espeak-ng or one of its configured voices is missing, or there is no sound
output: the kiosk then runs silently; 5 (DEVICE_ERROR) when the engine renders silence.
"""

from __future__ import annotations

import argparse
import sys

from kiosk.cli import exitcodes
from kiosk.cli.main import CLI, emit, load_config_or_exit

SAMPLES = {"zh": "请选择要办理的业务", "en": "Please choose a service"}


def register(cli: CLI) -> None:
    cli.group("voice", "The kiosk's spoken prompts (espeak-ng)")
    p = cli.command("voice", "check", "Render a sample prompt in each language and try the sound output", check, json_output=True)
    p.add_argument("--no-audio", action="store_true", help="check the engine only, not the sound output")
    p = cli.command("voice", "say", "Speak TEXT through the kiosk's voice and sound output", say, json_output=True)
    p.add_argument("text", help="what to say")
    p.add_argument("--language", choices=("zh", "en"), default="zh")


def _speaker(args: argparse.Namespace):
    from kiosk.voice import Speaker

    return Speaker.for_config(load_config_or_exit(args))


def check(args: argparse.Namespace) -> int:
    from kiosk.voice import VoiceState
    from kiosk.voice.engine import RenderError
    from kiosk.voice.sound import loudness

    speaker = _speaker(args)
    report: dict = {"state": str(speaker.check()), "reason": speaker.reason, "engine": speaker.cache.engine.identity,
                    "cache": str(speaker.cache.directory), "samples": {}}  # fmt: skip
    if speaker.state is VoiceState.OFF:
        emit(args, report, f"voice: off ({speaker.reason})")
        return exitcodes.OK
    if speaker.state is not VoiceState.READY:
        emit(args, {**report, "ok": False}, f"voice: SILENT: {speaker.reason}")
        return exitcodes.NO_DEVICE
    silent = []
    for language, text in SAMPLES.items():
        try:
            rendering = speaker.cache.rendering(text, language)
        except RenderError as exc:
            emit(args, {**report, "ok": False, "state": str(VoiceState.NO_ENGINE), "reason": str(exc)}, f"voice: SILENT: {exc}")
            return exitcodes.NO_DEVICE
        sound = loudness(rendering.path)
        report["samples"][language] = {"seconds": round(sound.seconds, 2), "rms": round(sound.rms), "silent": sound.silent}
        if sound.silent:
            silent.append(language)
    audio = None if args.no_audio else _try_audio(speaker)
    report["audio"] = "not checked" if args.no_audio else (audio or "ok")
    ok = not silent and audio is None
    report["ok"] = ok
    lines = [f"voice: {'ready' if ok else 'PROBLEM'} ({report['engine']})"]
    lines += [f"  {lang}: {s['seconds']} s of speech, rms {s['rms']}{' SILENT' if s['silent'] else ''}" for lang, s in report["samples"].items()]
    lines.append(f"  sound output: {report['audio']}")
    emit(args, report, "\n".join(lines))
    if silent:
        return exitcodes.DEVICE_ERROR
    return exitcodes.OK if audio is None else exitcodes.NO_DEVICE


def _try_audio(speaker) -> str | None:
    """Why the sound output cannot play a prompt, or None (played at volume 0, then stopped)."""
    rendering = speaker.cache.rendering(SAMPLES["en"], "en")
    problem = speaker.audio.play(rendering.path, 0.0, lambda: None)
    speaker.audio.stop()
    return problem


def say(args: argparse.Namespace) -> int:
    import time

    from kiosk.voice.engine import RenderError
    from kiosk.voice.sound import loudness

    speaker = _speaker(args)
    try:
        rendering = speaker.cache.rendering(args.text, args.language)
    except RenderError as exc:
        print(f"voice: not spoken: {exc}", file=sys.stderr)
        return exitcodes.NO_DEVICE
    problem = speaker.audio.play(rendering.path, speaker.settings.volume, rendering.discard)
    if problem is not None:
        print(f"voice: not spoken: {problem}", file=sys.stderr)
        return exitcodes.NO_DEVICE
    time.sleep(loudness(rendering.path).seconds + 0.2)  # no Kivy clock here to tell us it ended
    speaker.audio.stop()
    emit(args, {"ok": True, "language": args.language, "cached": rendering.cached}, "spoken")
    return exitcodes.OK
