"""The terminal image's committed lock (deploy/image/requirements.lock) against pyproject.toml,
and the build installing only from it. Cheap: no network, no resolving (the image build and
deploy/image/update-lock --check do that)."""

import importlib.machinery
import importlib.util
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

REPO = Path(__file__).resolve().parents[2]
IMAGE = REPO / "deploy/image"


def load_update_lock():
    loader = importlib.machinery.SourceFileLoader("update_lock", str(IMAGE / "update-lock"))
    spec = importlib.util.spec_from_loader("update_lock", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


update_lock = load_update_lock()
PINS = update_lock.read_lock((IMAGE / "requirements.lock").read_text(encoding="utf-8"))
RUNTIME = [Requirement(r) for r in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]]


def test_every_runtime_dependency_of_pyproject_is_pinned_at_a_version_it_accepts():
    missing = [str(r) for r in RUNTIME if update_lock.canonical(r.name) not in PINS]
    assert not missing, f"not in the lock (run deploy/image/update-lock): {missing}"
    refused = [f"{r} vs {PINS[update_lock.canonical(r.name)][0]}" for r in RUNTIME
               if not r.specifier.contains(PINS[update_lock.canonical(r.name)][0], prereleases=True)]
    assert not refused, f"the lock pins versions pyproject.toml does not accept (run deploy/image/update-lock): {refused}"


def test_every_pin_is_exact_and_carries_a_sha256():
    text = (IMAGE / "requirements.lock").read_text(encoding="utf-8").replace("\\\n", " ")
    entries = [line.split("#", 1)[0].split() for line in text.splitlines() if line.split("#", 1)[0].strip()]
    assert len(entries) == len(PINS) > len(RUNTIME)
    for words in entries:
        assert re.fullmatch(r"[a-z0-9-]+==[^=<>~!*,;\s]+", words[0]), f"not an exact pin: {words[0]}"
        hashes = [w for w in words[1:] if w.startswith("--hash=")]
        assert hashes and all(re.fullmatch(r"--hash=sha256:[0-9a-f]{64}", h) for h in hashes), f"{words[0]}: no sha256"
        assert len(hashes) == len(words) - 1, f"{words[0]}: something besides hashes: {words[1:]}"


def test_the_kiosk_itself_is_not_in_the_lock():
    """Its wheel is built from the tree at each build; a pin here would fight it."""
    assert "sscard-kiosk" not in PINS


def test_the_build_fetches_only_the_committed_lock_checking_every_hash():
    build = (IMAGE / "build-wheels").read_text().replace("\\\n", " ")
    fetch = [line for line in build.splitlines() if "pip\" wheel" in line and "-r \"$lock\"" in line]
    assert len(fetch) == 1, "build-wheels must fetch the dependencies from the lock in one pip wheel"
    assert "--require-hashes" in fetch[0] and "--no-deps" in fetch[0]
    assert "lock=$repo/deploy/image/requirements.lock" in build
    installs = [line for line in (IMAGE / "customize-root").read_text().replace("\\\n", " ").splitlines()
                if "pip install" in line]
    assert installs and all("--require-hashes" in line and "--no-index" in line for line in installs)


def test_the_lock_reads_back_as_update_lock_writes_it():
    assert update_lock.read_lock(update_lock.render(PINS)) == PINS
