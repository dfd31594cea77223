"""`kiosk voice check`: a technician learns whether the kiosk will speak, and why not."""

import json
import os
import shutil
import subprocess
import sys

import pytest


def voice_check(*args, env=None):
    return subprocess.run([sys.executable, "-m", "kiosk", "voice", "check", "--json", *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})  # fmt: skip


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_engine_renders_both_languages_as_speech():
    done = voice_check("--no-audio")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["state"] == "ready" and report["ok"]
    assert all(not s["silent"] and s["seconds"] > 0.5 for s in report["samples"].values())


def test_espeak_missing_exit_4_and_the_reason():
    done = voice_check("--no-audio", env={"PATH": "/nonexistent"})
    assert done.returncode == 4
    report = json.loads(done.stdout)
    assert report["state"] == "no_engine" and "espeak-ng is not installed" in report["reason"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_no_sound_output_exit_4_and_the_reason():
    done = voice_check(env={"SDL_AUDIODRIVER": "no-such-output"})
    assert done.returncode == 4
    assert "no audio device" in json.loads(done.stdout)["audio"]
